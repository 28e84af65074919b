package dev.lain.scheduler.placement;

import dev.lain.model.deploy.InstanceId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What {@link Placement#placeGroup} decided: every request placed, or none. */
public sealed interface PlacementOutcome {

  /**
   * Every request was placed.
   *
   * @param nodes the node chosen for each instance, in request order
   */
  record Placed(Map<InstanceId, String> nodes) implements PlacementOutcome {
    public Placed {
      nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }
  }

  /**
   * Nothing was placed because {@code request} could not be.
   *
   * @param reason for the operator: what stands in the way, e.g. {@code no node can take
   *     hello.web.web i3 (256 MiB, 0.25 CPU): 3 of 4 nodes match constraint:group==default; node2
   *     has 120 MiB free, node3 has 0.1 CPU free, node1 is in maintenance, draining or lost}
   */
  record Unplaceable(PlacementRequest request, String reason) implements PlacementOutcome {
    public Unplaceable {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
