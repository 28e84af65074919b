package dev.lain.scheduler;

import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A node as the engine sees it.
 *
 * @param heartbeat whether its agent's heartbeat lease is live
 * @param downSince when the engine first saw the heartbeat gone (empty while it is live)
 */
public record NodeState(
    NodeInfo info, boolean heartbeat, Optional<Instant> downSince, NodeMode mode) {
  public NodeState {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(downSince, "downSince");
    Objects.requireNonNull(mode, "mode");
  }

  public String name() {
    return info.name();
  }

  /** Gone for longer than the grace period: its instances belong elsewhere. */
  public boolean lost(Instant now, Duration grace) {
    return !heartbeat && downSince.map(d -> !now.isBefore(d.plus(grace))).orElse(false);
  }

  /** Alive and open for new instances. */
  public boolean acceptsNewInstances() {
    return heartbeat && mode == NodeMode.ACTIVE;
  }
}
