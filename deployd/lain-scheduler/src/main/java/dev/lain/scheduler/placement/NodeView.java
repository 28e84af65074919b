package dev.lain.scheduler.placement;

import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node as placement sees it.
 *
 * @param info the node as its agent registered it (name, labels, capacity)
 * @param allocated the sum of the requests of the instances already assigned to the node
 * @param acceptsNewInstances false for nodes in maintenance, draining, or lost
 * @param instancesPerPodGroup how many instances of each pod group the node holds; pod groups with
 *     none are left out (a zero count given here is dropped)
 */
public record NodeView(
    NodeInfo info,
    Resources allocated,
    boolean acceptsNewInstances,
    Map<String, Integer> instancesPerPodGroup) {
  public NodeView {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(allocated, "allocated");
    Map<String, Integer> counts = new HashMap<>();
    instancesPerPodGroup.forEach(
        (podGroup, count) -> {
          Objects.requireNonNull(podGroup, "pod group");
          Objects.requireNonNull(count, "instance count");
          if (count < 0) {
            throw new IllegalArgumentException(
                "negative instance count on " + info.name() + " for " + podGroup + ": " + count);
          }
          if (count > 0) {
            counts.put(podGroup, count);
          }
        });
    instancesPerPodGroup = Map.copyOf(counts);
  }

  /** An empty node that takes new instances. */
  public static NodeView empty(NodeInfo info) {
    return new NodeView(info, Resources.ZERO, true, Map.of());
  }

  public String name() {
    return info.name();
  }

  /** What is left for new instances: capacity minus allocation, never below zero. */
  public Resources free() {
    return info.capacity().minus(allocated);
  }

  /** Instances of {@code podGroup} on this node. */
  public int instancesOf(String podGroup) {
    return instancesPerPodGroup.getOrDefault(podGroup, 0);
  }
}
