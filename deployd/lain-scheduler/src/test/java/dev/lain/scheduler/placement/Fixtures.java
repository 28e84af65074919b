package dev.lain.scheduler.placement;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small builders for placement tests: sizes in MiB and CPU millis, labels as "k=v". */
final class Fixtures {
  static final long MIB = 1024L * 1024;

  private Fixtures() {}

  static Resources res(long memoryMib, long cpuMillis) {
    return new Resources(memoryMib * MIB, cpuMillis);
  }

  static NodeInfo info(String name, long memoryMib, long cpuMillis, String... labels) {
    Map<String, String> map = new HashMap<>();
    for (String label : labels) {
      String[] kv = label.split("=", 2);
      map.put(kv[0], kv[1]);
    }
    return new NodeInfo(name, "10.0.0.1", 22, res(memoryMib, cpuMillis), map);
  }

  /** An empty node that takes new instances. */
  static NodeView node(String name, long memoryMib, long cpuMillis, String... labels) {
    return NodeView.empty(info(name, memoryMib, cpuMillis, labels));
  }

  static NodeView allocated(NodeView node, long memoryMib, long cpuMillis) {
    return new NodeView(
        node.info(),
        res(memoryMib, cpuMillis),
        node.acceptsNewInstances(),
        node.instancesPerPodGroup());
  }

  static NodeView closed(NodeView node) {
    return new NodeView(node.info(), node.allocated(), false, node.instancesPerPodGroup());
  }

  static NodeView holding(NodeView node, String podGroup, int count) {
    Map<String, Integer> counts = new HashMap<>(node.instancesPerPodGroup());
    counts.put(podGroup, count);
    return new NodeView(node.info(), node.allocated(), node.acceptsNewInstances(), counts);
  }

  static InstanceId id(String podGroup, int instance) {
    return new InstanceId(podGroup, instance, 1, 0);
  }

  static PlacementRequest request(
      String podGroup, int instance, long memoryMib, long cpuMillis, NodeConstraint... cs) {
    return PlacementRequest.of(id(podGroup, instance), res(memoryMib, cpuMillis), List.of(cs));
  }

  static NodeConstraint eq(String label, String value) {
    return new NodeConstraint(label, true, value);
  }

  static NodeConstraint ne(String label, String value) {
    return new NodeConstraint(label, false, value);
  }
}
