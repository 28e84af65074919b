package dev.lain.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.lain.model.ClusterDomains;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.deploy.WebSettings;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.records.deployd.PodGroupNames;
import dev.lain.records.deployd.Versioned;
import dev.lain.records.webrouter.SystemRoutes;
import dev.lain.router.render.Backend;
import dev.lain.router.render.Route;
import dev.lain.router.render.RouteTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RouteTableBuilder}: which routes a webrouter serves and where each sends requests, from
 * hand-built deployd snapshots (the class is pure, so no store is involved).
 */
class RouteTableBuilderTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NOW = T.plusSeconds(60);
  static final Duration SETUP = Duration.ofSeconds(30);
  static final String PG = "hello.web.web";

  static final HealthCheck HTTP =
      new HealthCheck.Http("/health", Duration.ofSeconds(5), Duration.ofSeconds(2), 3);
  static final HealthCheck COMMAND =
      new HealthCheck.Command("true", Duration.ofSeconds(5), Duration.ofSeconds(2), 3);
  static final HealthCheck NONE = new HealthCheck.None();

  static final ClusterConfig DEFAULT_CONFIG = config(Map.of());

  // ---- fixtures ------------------------------------------------------------------------

  static ClusterConfig config(Map<ConfigKey, String> stored) {
    return ClusterConfig.fromStored(stored, 1);
  }

  static ClusterConfig withExtraDomains(String json) {
    return config(Map.of(ConfigKey.EXTRA_DOMAINS, json));
  }

  static PodGroupSpec spec(
      String name, long version, HealthCheck health, Optional<WebSettings> web) {
    return new PodGroupSpec(
        name,
        PodGroupNames.appOf(name),
        version,
        ContainerSpec.of("registry.lain.local/" + PodGroupNames.appOf(name) + ":" + version),
        2,
        RestartPolicy.ALWAYS,
        List.of(),
        false,
        health,
        SETUP,
        Duration.ofSeconds(10),
        web);
  }

  /** A web proc as the console stores it: mountpoints as lain.yaml writes them. */
  static PodGroupSpec web(String name, boolean defaults, String... mountpoints) {
    return spec(
        name, 1, HTTP, Optional.of(WebSettings.ofText(List.of(mountpoints), defaults, false)));
  }

  static Assignment assignment(PodGroupSpec spec, int instance, String node) {
    return new Assignment(
        new InstanceId(spec.name(), instance, spec.version(), 0),
        node,
        spec,
        TargetState.RUN,
        0,
        T);
  }

  /** Running and healthy since {@link #T}: serving under every kind of health check at NOW. */
  static InstanceStatus running(Assignment a, String ip, int port) {
    return status(a.id(), a.node(), ip, port, RunState.RUNNING, Health.HEALTHY, T);
  }

  static InstanceStatus status(
      InstanceId id,
      String node,
      String ip,
      int port,
      RunState state,
      Health health,
      Instant since) {
    return new InstanceStatus(id, node, ip, "", 0, port, state, health, 0, false, 0, "", since);
  }

  static DeploydSnapshot snapshot(
      long revision,
      List<PodGroupSpec> specs,
      List<Assignment> assignments,
      List<InstanceStatus> instances,
      Set<String> alive) {
    Map<String, Versioned<PodGroupRecord>> groups =
        specs.stream()
            .collect(
                Collectors.toMap(
                    PodGroupSpec::name,
                    s -> new Versioned<>(PodGroupRecord.deployed(s), revision)));
    return new DeploydSnapshot(
        revision,
        groups,
        Map.of(),
        assignments,
        instances,
        Map.of(),
        alive,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }

  static DeploydSnapshot only(PodGroupSpec... specs) {
    return snapshot(5, List.of(specs), List.of(), List.of(), Set.of());
  }

  static RouteTableBuilder.Result build(DeploydSnapshot snapshot, ClusterConfig config) {
    return RouteTableBuilder.build(snapshot, config, Set.of(), NOW);
  }

  /** A route for {@code host[/path]}. */
  static Route route(String podGroup, String mountpoint, boolean httpsOnly, List<Backend> to) {
    int slash = mountpoint.indexOf('/');
    String host = slash < 0 ? mountpoint : mountpoint.substring(0, slash);
    String path = slash < 0 ? "" : mountpoint.substring(slash);
    return new Route(podGroup, host, path, httpsOnly, to);
  }

  static List<Route> routes(String podGroup, List<String> mountpoints, List<Backend> to) {
    return mountpoints.stream().map(m -> route(podGroup, m, false, to)).toList();
  }

  // ---- mountpoints -------------------------------------------------------------------------

  static Stream<Arguments> mountpoints() {
    return Stream.of(
        Arguments.of(
            "the proc named web gets <app>.<domain> and <app>.lain",
            web(PG, true),
            "[]",
            List.of("hello.lain.local", "hello.lain")),
        Arguments.of(
            "every extra domain adds a default mountpoint, after the domain",
            web(PG, true),
            "[\"example.com\",\"example.org\"]",
            List.of("hello.lain.local", "hello.example.com", "hello.example.org", "hello.lain")),
        Arguments.of(
            "an extra domain repeating the domain adds nothing",
            web(PG, true),
            "[\"lain.local\",\"example.com\"]",
            List.of("hello.lain.local", "hello.example.com", "hello.lain")),
        Arguments.of(
            "a dotted app name is reversed into its app domain",
            web("resource.redis.myapp.web.web", true),
            "[]",
            List.of("myapp.redis.resource.lain.local", "myapp.redis.resource.lain")),
        Arguments.of(
            "a relative mountpoint is expanded under every default one, before the defaults",
            web(PG, true, "/admin"),
            "[\"example.com\"]",
            List.of(
                "hello.lain.local/admin",
                "hello.example.com/admin",
                "hello.lain/admin",
                "hello.lain.local",
                "hello.example.com",
                "hello.lain")),
        Arguments.of(
            "a deep relative mountpoint keeps its segments",
            web(PG, true, "/api/v1"),
            "[]",
            List.of(
                "hello.lain.local/api/v1", "hello.lain/api/v1", "hello.lain.local", "hello.lain")),
        Arguments.of(
            "the relative mountpoint / is the defaults themselves, not repeated",
            web(PG, true, "/"),
            "[]",
            List.of("hello.lain.local", "hello.lain")),
        Arguments.of(
            "host/path routes that path on that host only, whatever the domains",
            web("hello.web.admin", false, "admin.example.com/console"),
            "[\"example.com\"]",
            List.of("admin.example.com/console")),
        Arguments.of(
            "a bare host routes the whole host",
            web("hello.web.admin", false, "admin.example.com"),
            "[]",
            List.of("admin.example.com")),
        Arguments.of(
            "the host is lower-cased, the path keeps its case and loses a trailing slash",
            web("hello.web.admin", false, "Admin.Example.COM/Console/"),
            "[]",
            List.of("admin.example.com/Console")),
        Arguments.of(
            "declared mountpoints come first, in their order, then the defaults",
            web(PG, true, "www.example.com", "example.com/hello"),
            "[]",
            List.of("www.example.com", "example.com/hello", "hello.lain.local", "hello.lain")),
        Arguments.of(
            "a declared mountpoint equal to a default one is served once",
            web(PG, true, "hello.lain.local"),
            "[]",
            List.of("hello.lain.local", "hello.lain")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void mountpoints(
      String why, PodGroupSpec spec, String extraDomains, List<String> expectedMountpoints) {
    RouteTableBuilder.Result result = build(only(spec), withExtraDomains(extraDomains));

    assertThat(result.problems()).isEmpty();
    assertThat(result.table().routes())
        .containsExactlyElementsOf(routes(spec.name(), expectedMountpoints, List.of()));
  }

  @Test
  void procsWithoutWebSettingsGetNoRoutesEvenWithServingInstances() {
    PodGroupSpec worker = spec("hello.worker.queue", 1, NONE, Optional.empty());
    // What counts is the web settings, not the type in the name.
    PodGroupSpec webTypedWithoutSettings = spec("hello.web.bare", 1, HTTP, Optional.empty());
    PodGroupSpec web = web(PG, true);
    Assignment w = assignment(worker, 1, "node1");
    Assignment b = assignment(webTypedWithoutSettings, 1, "node1");
    Assignment h = assignment(web, 1, "node1");
    DeploydSnapshot snapshot =
        snapshot(
            5,
            List.of(worker, webTypedWithoutSettings, web),
            List.of(w, b, h),
            List.of(
                running(w, "10.0.0.1", 20001),
                running(b, "10.0.0.1", 20002),
                running(h, "10.0.0.1", 20003)),
            Set.of("node1"));

    RouteTableBuilder.Result result = build(snapshot, DEFAULT_CONFIG);

    assertThat(result.problems()).isEmpty();
    assertThat(result.table().routes())
        .containsExactlyElementsOf(
            routes(
                PG,
                List.of("hello.lain.local", "hello.lain"),
                List.of(new Backend("10.0.0.1", 20003))));
  }

  @Test
  void routesAreOrderedByPodGroupName() {
    RouteTableBuilder.Result result =
        build(
            only(
                web("zeta.web.web", true),
                web("alpha.web.admin", false, "admin.example.com"),
                web("alpha.web.web", true)),
            DEFAULT_CONFIG);

    assertThat(result.table().routes())
        .extracting(Route::podGroup, Route::mountpoint)
        .containsExactly(
            tuple("alpha.web.admin", "admin.example.com"),
            tuple("alpha.web.web", "alpha.lain.local"),
            tuple("alpha.web.web", "alpha.lain"),
            tuple("zeta.web.web", "zeta.lain.local"),
            tuple("zeta.web.web", "zeta.lain"));
  }

  // ---- backends ----------------------------------------------------------------------------

  /**
   * One proc of two instances. Instance 1 (node1, 10.0.0.1:20001) always serves; instance 2 is
   * assigned to node2 and varied from a serving baseline (first row). "running for" is how long
   * before NOW its status began; the proc's setup time is 30 s.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # case                                 | check   | target | draining | node alive | reported from | host port | state      | health    | running for (s) | serves
          running and healthy                    | http    | RUN    | false    | true       | node2         | 20002     | RUNNING    | HEALTHY   | 60              | true
          healthy by its command check           | command | RUN    | false    | true       | node2         | 20002     | RUNNING    | HEALTHY   | 60              | true
          no check, past its setup time          | none    | RUN    | false    | true       | node2         | 20002     | RUNNING    | NONE      | 60              | true
          no check, exactly its setup time       | none    | RUN    | false    | true       | node2         | 20002     | RUNNING    | NONE      | 30              | true
          no check, still within its setup time  | none    | RUN    | false    | true       | node2         | 20002     | RUNNING    | NONE      | 29              | false
          http check has no verdict yet          | http    | RUN    | false    | true       | node2         | 20002     | RUNNING    | STARTING  | 60              | false
          http check unhealthy                   | http    | RUN    | false    | true       | node2         | 20002     | RUNNING    | UNHEALTHY | 60              | false
          command check unhealthy                | command | RUN    | false    | true       | node2         | 20002     | RUNNING    | UNHEALTHY | 60              | false
          being created                          | http    | RUN    | false    | true       | node2         | 20002     | CREATING   | HEALTHY   | 60              | false
          exited                                 | http    | RUN    | false    | true       | node2         | 20002     | EXITED     | HEALTHY   | 60              | false
          failed                                 | http    | RUN    | false    | true       | node2         | 20002     | FAILED     | HEALTHY   | 60              | false
          crash looping                          | none    | RUN    | false    | true       | node2         | 20002     | CRASH_LOOP | NONE      | 60              | false
          stopped                                | none    | RUN    | false    | true       | node2         | 20002     | STOPPED    | NONE      | 60              | false
          target STOP while still running        | http    | STOP   | false    | true       | node2         | 20002     | RUNNING    | HEALTHY   | 60              | false
          draining while still healthy           | http    | RUN    | true     | true       | node2         | 20002     | RUNNING    | HEALTHY   | 60              | false
          its node's heartbeat is gone (no proof) | http    | RUN    | false    | false      | node2         | 20002     | RUNNING    | HEALTHY   | 60              | true
          heartbeat gone, last report unhealthy  | http    | RUN    | false    | false      | node2         | 20002     | RUNNING    | UNHEALTHY | 60              | false
          no status reported yet                 | http    | RUN    | false    | true       |               | 20002     | RUNNING    | HEALTHY   | 60              | false
          status reported by another (live) node | http    | RUN    | false    | true       | node1         | 20002     | RUNNING    | HEALTHY   | 60              | false
          no host port published                 | http    | RUN    | false    | true       | node2         | 0         | RUNNING    | HEALTHY   | 60              | false
          """)
  void onlyInstancesThatCanTakeRequestsNowAreBackends(
      String why,
      String check,
      TargetState target,
      boolean draining,
      boolean nodeAlive,
      String reportedFrom,
      int hostPort,
      RunState state,
      Health health,
      long runningForSeconds,
      boolean serves) {
    HealthCheck healthCheck =
        switch (check) {
          case "http" -> HTTP;
          case "command" -> COMMAND;
          case "none" -> NONE;
          default -> throw new IllegalArgumentException(check);
        };
    PodGroupSpec spec =
        spec(PG, 1, healthCheck, Optional.of(WebSettings.ofText(List.of(), true, false)));
    Assignment control = assignment(spec, 1, "node1");
    Assignment subject = assignment(spec, 2, "node2").withTarget(target);
    if (draining) {
      subject = subject.drainingFrom(NOW.minusSeconds(1));
    }
    List<InstanceStatus> statuses = new ArrayList<>();
    statuses.add(
        status(control.id(), "node1", "10.0.0.1", 20001, RunState.RUNNING, Health.HEALTHY, T));
    if (reportedFrom != null) {
      statuses.add(
          status(
              subject.id(),
              reportedFrom,
              "10.0.0.2",
              hostPort,
              state,
              health,
              NOW.minusSeconds(runningForSeconds)));
    }
    Set<String> alive = nodeAlive ? Set.of("node1", "node2") : Set.of("node1");
    DeploydSnapshot snapshot =
        snapshot(5, List.of(spec), List.of(control, subject), statuses, alive);

    RouteTableBuilder.Result result = build(snapshot, DEFAULT_CONFIG);

    List<Backend> expected =
        serves
            ? List.of(new Backend("10.0.0.1", 20001), new Backend("10.0.0.2", hostPort))
            : List.of(new Backend("10.0.0.1", 20001));
    assertThat(result.problems()).isEmpty();
    assertThat(result.table().routes())
        .containsExactlyElementsOf(routes(PG, List.of("hello.lain.local", "hello.lain"), expected));
  }

  @Test
  void anInstanceOnTheContainerNetworkIsReachedAtItsOwnAddressWithNoHostPortBetween() {
    PodGroupSpec spec = spec(PG, 1, NONE, Optional.of(WebSettings.ofText(List.of(), true, false)));
    Assignment onNetwork = assignment(spec, 1, "node1");
    Assignment published = assignment(spec, 2, "node2");
    List<InstanceStatus> statuses =
        List.of(
            new InstanceStatus(
                onNetwork.id(),
                "node1",
                "10.0.0.1",
                "172.20.1.2",
                8080,
                0,
                RunState.RUNNING,
                Health.NONE,
                0,
                false,
                0,
                "",
                T),
            status(published.id(), "node2", "10.0.0.2", 20001, RunState.RUNNING, Health.NONE, T));
    DeploydSnapshot snapshot =
        snapshot(
            5, List.of(spec), List.of(onNetwork, published), statuses, Set.of("node1", "node2"));

    RouteTableBuilder.Result result = build(snapshot, DEFAULT_CONFIG);

    assertThat(result.table().routes())
        .containsExactlyElementsOf(
            routes(
                PG,
                List.of("hello.lain.local", "hello.lain"),
                List.of(new Backend("10.0.0.2", 20001), new Backend("172.20.1.2", 8080))));
  }

  @Test
  void backendsAreSortedByIpThenPortAndSharedByEveryRouteOfTheProc() {
    PodGroupSpec spec = web(PG, true, "/api");
    List<Assignment> assignments = new ArrayList<>();
    List<InstanceStatus> statuses = new ArrayList<>();
    // Listed out of order on purpose; two instances share node a.
    String[][] placed = {
      {"node-c", "10.0.0.2", "20001"},
      {"node-b", "10.0.0.10", "20001"},
      {"node-a", "10.0.0.1", "20003"},
      {"node-a", "10.0.0.1", "20002"}
    };
    for (int i = 0; i < placed.length; i++) {
      Assignment a = assignment(spec, i + 1, placed[i][0]);
      assignments.add(a);
      statuses.add(running(a, placed[i][1], Integer.parseInt(placed[i][2])));
    }
    DeploydSnapshot snapshot =
        snapshot(5, List.of(spec), assignments, statuses, Set.of("node-a", "node-b", "node-c"));

    RouteTableBuilder.Result result = build(snapshot, DEFAULT_CONFIG);

    // The order is the IP's text order (10.0.0.10 before 10.0.0.2): all it has to be is stable,
    // so an unchanged cluster renders the same config and needs no reload.
    List<Backend> sorted =
        List.of(
            new Backend("10.0.0.1", 20002),
            new Backend("10.0.0.1", 20003),
            new Backend("10.0.0.10", 20001),
            new Backend("10.0.0.2", 20001));
    assertThat(result.table().routes())
        .containsExactlyElementsOf(
            routes(
                PG,
                List.of("hello.lain.local/api", "hello.lain/api", "hello.lain.local", "hello.lain"),
                sorted));
  }

  @Test
  void duringARollingUpgradeServingInstancesOfBothVersionsAreBackends() {
    PodGroupSpec v1 = web(PG, true);
    PodGroupSpec v2 = v1.upgradedTo(ContainerSpec.of("registry.lain.local/hello:2"));
    Assignment old = assignment(v1, 1, "node1");
    Assignment upgraded = assignment(v2, 2, "node2");
    Assignment starting = assignment(v2, 1, "node2");
    DeploydSnapshot snapshot =
        snapshot(
            5,
            List.of(v2),
            List.of(old, upgraded, starting),
            List.of(
                running(old, "10.0.0.1", 20001),
                running(upgraded, "10.0.0.2", 20002),
                status(
                    starting.id(),
                    "node2",
                    "10.0.0.2",
                    20003,
                    RunState.RUNNING,
                    Health.STARTING,
                    NOW)),
            Set.of("node1", "node2"));

    RouteTableBuilder.Result result = build(snapshot, DEFAULT_CONFIG);

    assertThat(result.table().routes())
        .allSatisfy(
            r ->
                assertThat(r.backends())
                    .containsExactly(
                        new Backend("10.0.0.1", 20001), new Backend("10.0.0.2", 20002)));
  }

  @Test
  void aProcWithNoServingInstanceKeepsItsRoutesWithNoBackends() {
    // Kept so the renderer answers 503 for the proc's hosts rather than some other server's page.
    PodGroupSpec starting = web(PG, true);
    PodGroupSpec unplaced = web("hello.web.admin", false, "admin.example.com");
    Assignment a = assignment(starting, 1, "node1");
    DeploydSnapshot snapshot =
        snapshot(
            5,
            List.of(starting, unplaced),
            List.of(a),
            List.of(
                status(a.id(), "node1", "10.0.0.1", 20001, RunState.CREATING, Health.STARTING, T)),
            Set.of("node1"));

    RouteTableBuilder.Result result = build(snapshot, DEFAULT_CONFIG);

    assertThat(result.problems()).isEmpty();
    assertThat(result.table().routes())
        .containsExactly(
            route("hello.web.admin", "admin.example.com", false, List.of()),
            route(PG, "hello.lain.local", false, List.of()),
            route(PG, "hello.lain", false, List.of()));
  }

  // ---- problems ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # mountpoint       | the problem names
          http://example.com | must not include a scheme
          example.com;drop   | ';'
          *.example.com      | '*'
          -bad.example.com   | starting or ending with '-'
          a..b.com/x         | empty label
          example.com/x y    | a space
          example.com/a/../b | '..' segment
          example.com/a//b   | empty segment
          /x{y               | '{'
          """)
  void anUnreadableMountpointIsReportedAndLeftOutWhileTheOthersStillRoute(
      String bad, String reason) {
    PodGroupSpec spec = web(PG, true, "www.example.com", bad, "/admin");
    PodGroupSpec other = web("other.web.web", true);

    RouteTableBuilder.Result result = build(only(spec, other), DEFAULT_CONFIG);

    assertThat(result.problems())
        .singleElement()
        .asString()
        .startsWith(PG + ": mountpoint '" + bad + "' ")
        .contains(reason);
    assertThat(result.table().routes())
        .containsExactly(
            route(PG, "www.example.com", false, List.of()),
            route(PG, "hello.lain.local/admin", false, List.of()),
            route(PG, "hello.lain/admin", false, List.of()),
            route(PG, "hello.lain.local", false, List.of()),
            route(PG, "hello.lain", false, List.of()),
            route("other.web.web", "other.lain.local", false, List.of()),
            route("other.web.web", "other.lain", false, List.of()));
  }

  @Test
  void everyUnreadableMountpointIsReportedInPodGroupOrder() {
    RouteTableBuilder.Result result =
        build(
            only(
                web("zeta.web.web", true, "z;z"),
                web("alpha.web.web", true, "a b", "http://a.com")),
            DEFAULT_CONFIG);

    assertThat(result.problems())
        .hasSize(3)
        .satisfiesExactly(
            p -> assertThat(p).startsWith("alpha.web.web: mountpoint 'a b' "),
            p -> assertThat(p).startsWith("alpha.web.web: mountpoint 'http://a.com' "),
            p -> assertThat(p).startsWith("zeta.web.web: mountpoint 'z;z' "));
    assertThat(result.table().routes())
        .extracting(Route::mountpoint)
        .containsExactly("alpha.lain.local", "alpha.lain", "zeta.lain.local", "zeta.lain");
  }

  @Test
  void anAppNameThatMakesNoHostNameIsReportedAndTheOtherProcsStillRoute() {
    // lain.yaml's app name rules forbid this; a pod group written some other way must not stop
    // the router. The proc loses its declared host too, since its mountpoints come as one list.
    PodGroupSpec badApp = web("hello-.web.web", true, "www.example.com");
    PodGroupSpec good = web(PG, true);

    RouteTableBuilder.Result result = build(only(badApp, good), DEFAULT_CONFIG);

    assertThat(result.problems())
        .singleElement()
        .asString()
        .startsWith("hello-.web.web: ")
        .contains("hello-.lain.local");
    assertThat(result.table().routes())
        .containsExactlyElementsOf(
            routes(PG, List.of("hello.lain.local", "hello.lain"), List.of()));
  }

  @Test
  void aRelativeMountpointOfAProcWithoutDefaultMountpointsRoutesNowhere() {
    // lain.yaml rejects this ("relative mountpoint needs the proc named web"), so it only arrives
    // through a hand-written record; there is no default host to put the path under.
    PodGroupSpec admin = web("hello.web.admin", false, "/admin", "admin.example.com");

    RouteTableBuilder.Result result = build(only(admin), DEFAULT_CONFIG);

    assertThat(result.table().routes())
        .containsExactly(route("hello.web.admin", "admin.example.com", false, List.of()));
  }

  // ---- proc and table settings ---------------------------------------------------------------

  @ParameterizedTest(name = "https_only: {0}")
  @ValueSource(booleans = {true, false})
  void httpsOnlyIsCarriedToEveryRouteOfTheProcAndNoOther(boolean httpsOnly) {
    PodGroupSpec spec =
        spec(
            PG,
            1,
            HTTP,
            Optional.of(WebSettings.ofText(List.of("www.example.com", "/api"), true, httpsOnly)));
    PodGroupSpec other = web("other.web.web", true);

    RouteTableBuilder.Result result =
        build(only(spec, other), withExtraDomains("[\"example.com\"]"));

    Map<String, List<Boolean>> byPodGroup =
        result.table().routes().stream()
            .collect(
                Collectors.groupingBy(
                    Route::podGroup, Collectors.mapping(Route::httpsOnly, Collectors.toList())));
    assertThat(byPodGroup.get(PG)).hasSize(7).containsOnly(httpsOnly);
    assertThat(byPodGroup.get("other.web.web")).hasSize(3).containsOnly(false);
  }

  @Test
  void theTableCarriesTheSnapshotRevisionTheDomainsAndTheTlsSettings() {
    ClusterConfig config =
        ClusterConfig.fromStored(
            Map.of(
                ConfigKey.DOMAIN, "lain.example.net",
                ConfigKey.EXTRA_DOMAINS, "[\"example.com\"]",
                ConfigKey.SSL, "{\"*.example.com\":\"wild\",\"blog.example.com\":\"blog\"}"),
            // The config's own revision is another store read; only the snapshot's is the table's.
            3);
    DeploydSnapshot snapshot = snapshot(42, List.of(web(PG, true)), List.of(), List.of(), Set.of());
    // A certificate no pattern names still passes through: choosing is the renderer's job.
    Set<String> certificates = Set.of("wild", "blog", "spare");

    RouteTable table = RouteTableBuilder.build(snapshot, config, certificates, NOW).table();

    assertThat(table.revision()).isEqualTo(42);
    assertThat(table.domains())
        .isEqualTo(new ClusterDomains("lain.example.net", List.of("example.com")));
    assertThat(table.sslPatterns())
        .isEqualTo(Map.of("*.example.com", "wild", "blog.example.com", "blog"));
    assertThat(table.certificates()).isEqualTo(certificates);
    assertThat(table.routes())
        .extracting(Route::mountpoint)
        .containsExactly("hello.lain.example.net", "hello.example.com", "hello.lain");
  }

  @Test
  void anEmptySnapshotGivesAnEmptyTable() {
    RouteTableBuilder.Result result =
        RouteTableBuilder.build(only(), DEFAULT_CONFIG, Set.of(), NOW);

    assertThat(result.problems()).isEmpty();
    assertThat(result.table())
        .isEqualTo(new RouteTable(5, ClusterDomains.DEFAULT, List.of(), Map.of(), Set.of()));
  }

  @Test
  void aSystemServiceIsServedAtItsNameUnderEveryDomainBesideTheApps() {
    ClusterConfig config = config(Map.of(ConfigKey.EXTRA_DOMAINS, "[\"example.com\"]"));
    SystemRoutes.SystemRoute registry =
        new SystemRoutes.SystemRoute("registry", List.of("127.0.0.1:5000", "10.0.0.2:5000"));

    RouteTableBuilder.Result result =
        RouteTableBuilder.build(only(web(PG, true)), config, Set.of(), List.of(registry), NOW);

    assertThat(result.problems()).isEmpty();
    List<Route> system =
        result.table().routes().stream().filter(r -> r.podGroup().equals("lain.registry")).toList();
    assertThat(system)
        .extracting(Route::mountpoint)
        .containsExactlyInAnyOrder("registry.lain.local", "registry.example.com", "registry.lain");
    assertThat(system.getFirst().backends())
        .containsExactly(
            new dev.lain.router.render.Backend("127.0.0.1", 5000),
            new dev.lain.router.render.Backend("10.0.0.2", 5000));
    assertThat(result.table().routes()).anyMatch(r -> r.podGroup().equals(PG));
  }

  @Test
  void systemServicesOnlyTakeSimpleNamesAndIpv4Backends() {
    for (String name : List.of("Registry", "a.b", "", "x".repeat(40), "../etc")) {
      assertThatThrownBy(() -> new SystemRoutes.SystemRoute(name, List.of("127.0.0.1:5000")))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String backend :
        List.of("localhost:5000", "127.0.0.1", "127.0.0.1:0", "1.2.3.4:99999", "1.2.3.4:5;")) {
      assertThatThrownBy(() -> new SystemRoutes.SystemRoute("registry", List.of(backend)))
          .as(backend)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
