package dev.lain.router;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Readiness;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.deploy.WebSettings;
import dev.lain.model.web.Mountpoint;
import dev.lain.model.web.Mountpoints;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.records.deployd.Versioned;
import dev.lain.records.webrouter.SystemRoutes;
import dev.lain.router.render.Backend;
import dev.lain.router.render.Route;
import dev.lain.router.render.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a webrouter serves, from deployd's records and the cluster configuration (pure): each web
 * proc's mountpoints, expanded with the cluster's current domains, pointing at the instances that
 * can take requests now — running and ready by its node's last report, not draining.
 *
 * <p>An instance leaves only on evidence: its report says it is not serving, or its assignment is
 * draining or gone. A node whose heartbeat stopped keeps its instances here, because an agent,
 * master or store that is down or restarting does not stop containers; nginx's own failure
 * detection ({@code proxy_next_upstream}) steps over an instance that really went away until the
 * engine, past the node's grace, moves it and removes its assignment.
 */
public final class RouteTableBuilder {
  private RouteTableBuilder() {}

  /** A route table, and the mountpoints that could not be read (they are left out). */
  public record Result(RouteTable table, List<String> problems) {}

  public static Result build(
      DeploydSnapshot snapshot, ClusterConfig config, Set<String> certificates, Instant now) {
    return build(snapshot, config, certificates, List.of(), now);
  }

  /** As above, with the cluster services the routers serve beside the apps. */
  public static Result build(
      DeploydSnapshot snapshot,
      ClusterConfig config,
      Set<String> certificates,
      List<SystemRoutes.SystemRoute> system,
      Instant now) {
    Map<InstanceId, InstanceStatus> statuses = new HashMap<>();
    for (InstanceStatus s : snapshot.instances()) {
      statuses.put(s.id(), s);
    }
    Map<String, List<Assignment>> byGroup = new HashMap<>();
    for (Assignment a : snapshot.assignments()) {
      byGroup.computeIfAbsent(a.id().podGroup(), g -> new ArrayList<>()).add(a);
    }
    List<Route> routes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> names = snapshot.podGroups().keySet().stream().sorted().toList();
    for (String name : names) {
      Versioned<PodGroupRecord> versioned = snapshot.podGroups().get(name);
      PodGroupSpec spec = versioned.value().spec();
      if (spec.web().isEmpty()) {
        continue;
      }
      WebSettings web = spec.web().get();
      for (String text : web.unreadable()) {
        problems.add(
            name
                + ": mountpoint '"
                + text
                + "' "
                + Mountpoints.problem(text).orElse("is not a mountpoint"));
      }
      List<Mountpoint> mountpoints;
      try {
        mountpoints =
            Mountpoints.effective(
                spec.app(), web.defaultMountpoints(), web.mountpoints(), config.domains());
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
        continue;
      }
      List<Backend> backends = backends(byGroup.getOrDefault(name, List.of()), statuses, now);
      for (Mountpoint m : mountpoints) {
        routes.add(new Route(name, m.host(), m.path(), web.httpsOnly(), backends));
      }
    }
    for (SystemRoutes.SystemRoute service : system) {
      for (Mountpoint m :
          Mountpoints.effective(service.name(), true, List.of(), config.domains())) {
        routes.add(
            new Route(
                service.upstream(),
                m.host(),
                m.path(),
                false,
                service.endpoints().stream().map(e -> new Backend(e.ip(), e.port())).toList()));
      }
    }
    RouteTable table =
        new RouteTable(snapshot.revision(), config.domains(), routes, config.ssl(), certificates);
    return new Result(table, problems);
  }

  private static List<Backend> backends(
      List<Assignment> copies, Map<InstanceId, InstanceStatus> statuses, Instant now) {
    List<Backend> backends = new ArrayList<>();
    for (Assignment a : copies) {
      if (a.draining() || a.target() != TargetState.RUN) {
        continue;
      }
      InstanceStatus s = statuses.get(a.id());
      if (s == null || !s.node().equals(a.node())) {
        continue;
      }
      Optional<InstanceStatus.Endpoint> endpoint = s.endpoint();
      if (endpoint.isPresent() && Readiness.serving(a.spec(), s, now)) {
        backends.add(new Backend(endpoint.get().host(), endpoint.get().port()));
      }
    }
    backends.sort(Comparator.comparing(Backend::ip).thenComparingInt(Backend::port));
    return backends;
  }
}
