package dev.lain.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.deploy.WebSettings;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.StoredCertificate;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.router.render.Listen;
import dev.lain.router.render.RouterSettings;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.testkit.LoopbackHttp;
import dev.lain.testkit.RequiredServices;
import dev.lain.tls.CertificateCheck;
import dev.lain.tls.testing.TestCertificates;
import dev.lain.tls.testing.TestCertificates.Authority;
import dev.lain.tls.testing.TestCertificates.Issued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routers against a store holding deployd's records and a real nginx on free loopback ports, with
 * in-JVM HTTP backends standing in for instances: what the store says is what nginx serves, a bad
 * certificate or a refused configuration never reaches the live nginx, and the router says so.
 */
class RouterTest {
  private static final String NODE = "node1";
  private static final String HELLO = "hello.web.web";
  private static final String SHOP = "shop.web.web";
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Path nginx;
  private Store store;
  private DeploydState state;
  private final List<HttpServer> backends = new ArrayList<>();
  private final List<Router> routers = new ArrayList<>();
  private final List<Assignment> assignments = new ArrayList<>();

  /** A router's listens: internal HTTP/HTTPS, external HTTP/HTTPS, control. */
  private record Ports(int http, int https, int externalHttp, int externalHttps, int control) {}

  @BeforeEach
  void setUp() {
    nginx = RequiredServices.require("nginx", "apt-get install nginx");
    store = new MemoryStore();
    state = new DeploydState(store);
    state.registerNode(
        new NodeInfo(NODE, "127.0.0.1", 22, new Resources(1L << 30, 4000), Map.of()));
    state.heartbeat(NODE, "alive", store.grantLease(Duration.ofMinutes(5)).id());
  }

  @AfterEach
  void tearDown() {
    routers.forEach(Router::close);
    backends.forEach(b -> b.stop(0));
    store.close();
  }

  private Ports ports() {
    List<Integer> p = LoopbackHttp.freePorts(5);
    return new Ports(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4));
  }

  private Router router(String name, Path binary, Ports ports) {
    RouterSettings settings =
        new RouterSettings(
            new Listen("127.0.0.1", ports.http()),
            new Listen("127.0.0.1", ports.https()),
            new Listen("127.0.0.1", ports.externalHttp()),
            new Listen("127.0.0.1", ports.externalHttps()),
            "/unused",
            "off",
            RouterSettings.Tuning.DEFAULT.withWorkerProcesses(1));
    NginxDriver driver =
        new NginxDriver(binary, dir.resolve(name), settings, "127.0.0.1:" + ports.control());
    Router router =
        Router.start(
            store,
            new Router.Config(
                name, Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(10)),
            driver,
            InstantSource.system());
    routers.add(router);
    return router;
  }

  private static PodGroupSpec web(String name, String app, WebSettings web) {
    return new PodGroupSpec(
            name,
            app,
            1,
            ContainerSpec.of("registry/" + app + ":v1").withPort(8080),
            1,
            RestartPolicy.ALWAYS,
            List.of(NodeConstraint.DEFAULT_GROUP),
            false,
            new HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(1))
        .withWeb(web);
  }

  /** Deploys {@code spec} with one serving instance per backend name; returns the backends. */
  private List<String> deploy(PodGroupSpec spec, String... names) {
    state.createPodGroup(PodGroupRecord.deployed(spec));
    for (int i = 0; i < names.length; i++) {
      addInstance(spec, i + 1, names[i]);
    }
    return List.of(names);
  }

  private Assignment addInstance(PodGroupSpec spec, int instance, String backendName) {
    HttpServer backend = LoopbackHttp.echo(backendName);
    backends.add(backend);
    InstanceId id = new InstanceId(spec.name(), instance, spec.version(), 0);
    Instant now = Instant.now();
    Assignment a =
        new Assignment(id, NODE, spec, TargetState.RUN, 0, now.minusSeconds(60), Optional.empty());
    state.applyAssignments(List.of(a), List.of());
    state.reportInstances(
        NODE,
        List.of(
            new InstanceStatus(
                id,
                NODE,
                "127.0.0.1",
                "",
                0,
                backend.getAddress().getPort(),
                RunState.RUNNING,
                Health.NONE,
                0,
                false,
                0,
                "",
                now.minusSeconds(60))),
        List.of());
    assignments.add(a);
    return a;
  }

  private static RouterStatus awaitServing(Router router, long revision) {
    await()
        .atMost(SOON)
        .until(
            () -> router.status().appliedRevision() >= revision && router.status().reloads() > 0);
    return router.status();
  }

  /** Which backends answer {@code host} on {@code port}, over a few requests. */
  private static Set<String> answering(int port, String host) throws IOException {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      String response = LoopbackHttp.get(port, host, "/");
      String body = LoopbackHttp.body(response);
      names.add(body.startsWith("name=") ? body.substring(5, body.indexOf(' ')) : response);
    }
    return names;
  }

  @Test
  void servesEachHostOnTheRightPortsAndReportsTheRevisionItServes() throws Exception {
    deploy(web(HELLO, "hello", WebSettings.ofText(List.of(), true, false)), "hello-1");
    deploy(web(SHOP, "shop", WebSettings.ofText(List.of("shop.com"), true, false)), "shop-1");
    long revision = store.revision();
    Ports p = ports();
    Router router = router("r1", nginx, p);

    RouterStatus status = awaitServing(router, revision);
    assertThat(status.error()).isEmpty();
    assertThat(status.routes()).isGreaterThanOrEqualTo(3);
    RouterStatus reported =
        DeploydJson.read(
            store.get(DeploydKeys.router("r1")).orElseThrow().value(), RouterStatus.class);
    assertThat(reported).isEqualTo(status);

    assertThat(answering(p.http(), "hello.lain.local")).containsExactly("hello-1");
    assertThat(answering(p.http(), "v2.hello.lain.local")).containsExactly("hello-1");
    assertThat(answering(p.http(), "shop.com")).containsExactly("shop-1");
    assertThat(answering(p.externalHttp(), "shop.com")).containsExactly("shop-1");
    // The cluster's own domain is internal: not served on the external entrance.
    assertThat(LoopbackHttp.get(p.externalHttp(), "hello.lain.local", "/"))
        .startsWith("HTTP/1.1 404")
        .contains("no app is mounted at hello.lain.local");
    assertThat(LoopbackHttp.get(p.http(), "nobody.example.org", "/")).startsWith("HTTP/1.1 404");
  }

  @Test
  void aStalePidFileNamingAnotherProcessAfterARebootIsNotSignalled() throws Exception {
    // After a reboot the nginx pid file of the router's directory may name another live process.
    Process bystander = new ProcessBuilder("sleep", "300").start();
    try {
      Files.createDirectories(dir.resolve("r1"));
      Files.writeString(dir.resolve("r1/nginx.pid"), bystander.pid() + "\n");
      deploy(web(HELLO, "hello", WebSettings.ofText(List.of(), true, false)), "hello-1");
      Ports p = ports();
      Router router = router("r1", nginx, p);

      RouterStatus status = awaitServing(router, store.revision());
      assertThat(status.error()).isEmpty();
      assertThat(answering(p.http(), "hello.lain.local")).containsExactly("hello-1");
      assertThat(bystander.isAlive()).as("the process the stale pid file named").isTrue();
    } finally {
      bystander.destroyForcibly();
    }
  }

  @Test
  void followsInstancesAsTheyJoinAndDrain() throws Exception {
    PodGroupSpec spec = web(HELLO, "hello", WebSettings.ofText(List.of(), true, false));
    deploy(spec, "hello-1");
    Ports p = ports();
    Router router = router("r1", nginx, p);
    awaitServing(router, store.revision());
    assertThat(answering(p.http(), "hello.lain.local")).containsExactly("hello-1");

    addInstance(spec, 2, "hello-2");
    awaitServing(router, store.revision());
    assertThat(answering(p.http(), "hello.lain.local"))
        .containsExactlyInAnyOrder("hello-1", "hello-2");

    Assignment first = assignments.getFirst();
    state.applyAssignments(
        List.of(
            new Assignment(
                first.id(),
                first.node(),
                first.spec(),
                first.target(),
                first.restartGeneration(),
                first.assignedAt(),
                Optional.of(Instant.now()))),
        List.of());
    long drained = store.revision();
    long reloadsBefore = router.status().reloads();
    awaitServing(router, drained);
    // Once the router reports the draining revision, the drained copy gets no new request.
    assertThat(answering(p.http(), "hello.lain.local")).containsExactly("hello-2");
    assertThat(router.status().reloads()).isGreaterThan(reloadsBefore);
    assertThat(router.status().effectiveMillis()).isBetween(0L, 10_000L);
  }

  @Test
  void removingTheLastInstanceAnswers503AndChangesAreCoalesced() throws Exception {
    PodGroupSpec spec = web(HELLO, "hello", WebSettings.ofText(List.of(), true, false));
    deploy(spec, "hello-1");
    Ports p = ports();
    Router router = router("r1", nginx, p);
    awaitServing(router, store.revision());
    long reloads = router.status().reloads();

    // A burst of 20 changes: far fewer reloads than changes.
    for (int i = 2; i <= 21; i++) {
      addInstance(spec, i, "hello-" + i);
    }
    awaitServing(router, store.revision());
    assertThat(answering(p.http(), "hello.lain.local")).hasSizeGreaterThan(1);
    assertThat(router.status().reloads() - reloads).isBetween(1L, 5L);

    state.applyAssignments(List.of(), assignments);
    awaitServing(router, store.revision());
    assertThat(LoopbackHttp.get(p.http(), "hello.lain.local", "/"))
        .startsWith("HTTP/1.1 503")
        .endsWith("no healthy instance of " + HELLO + "\n");
  }

  @Test
  void tlsIsServedWithTheMappedCertificateChosenBySni() throws Exception {
    Authority ca = TestCertificates.authority("LAIN router test CA");
    Issued web = ca.issue("*.lain.local", "lain.local");
    CertificateCheck.Passed checked =
        (CertificateCheck.Passed)
            CertificateCheck.check(web.chainPem(), web.keyPem(), Instant.now());
    new CertificateStore(store, InstantSource.system()).add("web", checked.certificate());
    new ClusterConfigStore(store).set(ConfigKey.SSL, "{\"*.lain.local\":\"web\"}");
    deploy(web(HELLO, "hello", WebSettings.ofText(List.of(), true, true)), "hello-1");
    Ports p = ports();
    Router router = router("r1", nginx, p);
    awaitServing(router, store.revision());

    SSLContext trustingTheCa = trusting(ca);
    assertThat(LoopbackHttp.tlsGet(trustingTheCa, p.https(), "hello.lain.local", "/x"))
        .startsWith("HTTP/1.1 200")
        .contains("name=hello-1 uri=/x proto=https");
    // https_only: plain HTTP is sent to https, unless TLS ended in front of the router.
    assertThat(LoopbackHttp.get(p.http(), "hello.lain.local", "/x"))
        .startsWith("HTTP/1.1 301")
        .contains("Location: https://hello.lain.local/x");
    assertThat(LoopbackHttp.get(p.http(), "hello.lain.local", "/x", "X-Forwarded-Proto: https"))
        .contains("name=hello-1");
    // A known name in the handshake does not open unknown hosts.
    assertThat(LoopbackHttp.tlsGet(trustingTheCa, p.https(), "hello.lain.local", "/", "evil.org"))
        .startsWith("HTTP/1.1 404")
        .contains("no app is mounted at evil.org");
    // No certificate covers this name: the handshake is refused rather than answered wrongly. A
    // new context, so no TLS session of the requests above is resumed.
    assertThatThrownBy(() -> LoopbackHttp.tlsGet(trusting(ca), p.https(), "unknown.org", "/"))
        .isInstanceOf(SSLException.class);
    try (Stream<Path> keys = Files.walk(dir.resolve("r1").resolve("live/"))) {
      for (Path key : keys.filter(f -> f.toString().endsWith(".key")).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aBrokenCertificateIsLeftOutAndReportedWhileTheRestIsServed() throws Exception {
    Authority ca = TestCertificates.authority("LAIN router test CA");
    Issued good = ca.issue("shop.com");
    Issued other = ca.issue("other.com");
    // Written around lainctl's check: the key belongs to another certificate.
    StoredCertificate broken =
        new StoredCertificate(
            "shop",
            good.chainPem(),
            other.keyPem(),
            List.of("shop.com"),
            Instant.now().plus(Duration.ofDays(30)),
            "00",
            Instant.now());
    store.put(CertificateStore.storeKey("shop"), broken.toJson());
    new ClusterConfigStore(store).set(ConfigKey.SSL, "{\"shop.com\":\"shop\"}");
    deploy(web(SHOP, "shop", WebSettings.ofText(List.of("shop.com"), true, false)), "shop-1");
    Ports p = ports();
    Router router = router("r1", nginx, p);

    RouterStatus status = awaitServing(router, store.revision());
    assertThat(status.error()).contains("certificate shop is left out").contains("private key");
    assertThat(status.rejected()).isZero();
    assertThat(answering(p.externalHttp(), "shop.com")).containsExactly("shop-1");
    assertThat(Files.readString(liveHttpConf("r1"))).doesNotContain("shop.crt");
  }

  @Test
  void aConfigurationNginxRefusesNeverGoesLiveAndTheRouterSaysWhy() throws Exception {
    Path refuse = dir.resolve("refuse");
    Path wrapper = dir.resolve("nginx-wrapper");
    // Stands in for any configuration nginx -t refuses; everything else is the real nginx.
    Files.writeString(
        wrapper,
        "#!/bin/sh\n"
            + "if [ -e '"
            + refuse
            + "' ] && [ \"$1\" = -t ]; then echo 'nginx: [emerg] refused by the test' >&2; exit 1;"
            + " fi\nexec '"
            + nginx
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    PodGroupSpec spec = web(HELLO, "hello", WebSettings.ofText(List.of(), true, false));
    deploy(spec, "hello-1");
    Ports p = ports();
    Router router = router("r1", wrapper, p);
    long served = awaitServing(router, store.revision()).appliedRevision();

    Files.createFile(refuse);
    addInstance(spec, 2, "hello-2");
    await().atMost(SOON).until(() -> router.status().rejected() > 0);
    RouterStatus refused = router.status();
    assertThat(refused.error()).contains("nginx -t refused").contains("refused by the test");
    assertThat(refused.appliedRevision()).isEqualTo(served);
    assertThat(answering(p.http(), "hello.lain.local")).containsExactly("hello-1");

    Files.delete(refuse);
    await()
        .atMost(SOON)
        .until(
            () -> router.status().error().isEmpty() && router.status().appliedRevision() > served);
    assertThat(answering(p.http(), "hello.lain.local"))
        .containsExactlyInAnyOrder("hello-1", "hello-2");
  }

  @Test
  void aMountpointThatIsNotAHostIsLeftOutAndNeverReachesNginx() throws Exception {
    // Written around deployd's check, as a buggy or hostile tool could.
    deploy(
        web(
            SHOP,
            "shop",
            WebSettings.ofText(List.of("shop.com", "evil.com;}server{listen 9"), true, false)),
        "shop-1");
    Ports p = ports();
    Router router = router("r1", nginx, p);

    RouterStatus status = awaitServing(router, store.revision());
    assertThat(status.error()).contains(SHOP).contains("evil.com");
    assertThat(answering(p.externalHttp(), "shop.com")).containsExactly("shop-1");
    assertThat(Files.readString(liveHttpConf("r1"))).doesNotContain("evil");
  }

  @Test
  void routersConvergeOnTheSameRoutesFromTheStoreAlone() throws Exception {
    PodGroupSpec spec = web(HELLO, "hello", WebSettings.ofText(List.of(), true, false));
    deploy(spec, "hello-1");
    Ports p1 = ports();
    Ports p2 = ports();
    Router first = router("r1", nginx, p1);
    Router second = router("r2", nginx, p2);
    addInstance(spec, 2, "hello-2");
    long revision = store.revision();
    awaitServing(first, revision);
    awaitServing(second, revision);

    assertThat(routingLines("r2")).isEqualTo(routingLines("r1")).isNotEmpty();
    assertThat(answering(p2.http(), "hello.lain.local"))
        .containsExactlyInAnyOrder("hello-1", "hello-2");
    assertThat(new DeploydState(store).routers())
        .extracting(RouterStatus::name)
        .containsExactly("r1", "r2");
  }

  private Path liveHttpConf(String router) {
    return dir.resolve(router).resolve("live").resolve("http.conf");
  }

  /** The server names and upstream servers of a router's live configuration. */
  private List<String> routingLines(String router) throws IOException {
    return Files.readAllLines(liveHttpConf(router)).stream()
        .map(String::strip)
        .filter(l -> l.startsWith("server_name") || l.startsWith("server 127."))
        .toList();
  }

  private static SSLContext trusting(Authority ca) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
