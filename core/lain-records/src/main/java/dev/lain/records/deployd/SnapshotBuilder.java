package dev.lain.records.deployd;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.router.RouterStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Gathers read records into a {@link DeploydSnapshot}. */
final class SnapshotBuilder {
  private final Map<String, String> unreadable = new HashMap<>();
  private final Map<String, Versioned<PodGroupRecord>> podGroups = new HashMap<>();
  private final Map<String, PodGroupCondition> conditions = new HashMap<>();
  private final List<Assignment> assignments = new ArrayList<>();
  private final List<InstanceStatus> instances = new ArrayList<>();
  private final Set<String> alive = new HashSet<>();
  private final Map<String, NodeMode> modes = new HashMap<>();
  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Map<InstanceId, Long> assignmentRevisions = new HashMap<>();
  private final Map<String, RouterStatus> routers = new HashMap<>();

  void add(String key, long modRevision, Optional<Object> record) {
    record.ifPresent(
        r -> {
          switch (r) {
            case PodGroupRecord pg -> podGroups.put(pg.name(), new Versioned<>(pg, modRevision));
            case DeploydRecords.Condition c -> conditions.put(c.podGroup(), c.condition());
            case Assignment a -> {
              assignments.add(a);
              assignmentRevisions.put(a.id(), modRevision);
            }
            case RouterStatus router -> routers.put(router.name(), router);
            case InstanceStatus s -> instances.add(s);
            case DeploydRecords.Heartbeat h -> alive.add(h.node());
            case DeploydRecords.Mode m -> modes.put(m.node(), m.mode());
            case NodeInfo n -> nodes.put(n.name(), n);
            case DeploydRecords.Unreadable u -> unreadable.put(key, u.reason());
            default -> throw new IllegalArgumentException("not a deployd record: " + r);
          }
        });
  }

  DeploydSnapshot build(long revision) {
    return new DeploydSnapshot(
        revision,
        podGroups,
        conditions,
        assignments,
        instances,
        nodes,
        alive,
        modes,
        unreadable,
        assignmentRevisions,
        routers);
  }
}
