package dev.lain.agent;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.records.deployd.DeploydState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what changed of the node's instance statuses since the last report, and removes the
 * reports of instances the node no longer has, in as few transactions as possible. It starts from
 * what the store holds, so a restarted agent does not rewrite every report.
 */
final class StatusReporter {
  private final DeploydState state;
  private final String node;
  private final Map<InstanceId, InstanceStatus> reported = new HashMap<>();
  private boolean loaded;

  StatusReporter(DeploydState state, String node) {
    this.state = state;
    this.node = node;
  }

  /** What the store holds for the node as of the last report (or the store's, before the first). */
  List<InstanceStatus> reported() {
    load();
    return List.copyOf(reported.values());
  }

  void report(Map<InstanceId, InstanceStatus> statuses) {
    load();
    List<InstanceStatus> changed =
        statuses.values().stream().filter(s -> !s.equals(reported.get(s.id()))).toList();
    List<InstanceId> gone =
        reported.keySet().stream().filter(id -> !statuses.containsKey(id)).toList();
    state.reportInstances(node, changed, gone);
    changed.forEach(s -> reported.put(s.id(), s));
    gone.forEach(reported::remove);
  }

  private void load() {
    if (!loaded) {
      for (InstanceStatus status : state.instancesOf(node)) {
        reported.put(status.id(), status);
      }
      loaded = true;
    }
  }
}
