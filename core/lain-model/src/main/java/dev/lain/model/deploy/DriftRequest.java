package dev.lain.model.deploy;

import java.util.Objects;
import java.util.Optional;

/**
 * A request to move an instance to another node.
 *
 * @param to a node to move to; empty for "any other node"
 * @param force move it even if it is stateful (its volumes stay behind)
 */
public record DriftRequest(Optional<String> to, boolean force) {
  public DriftRequest {
    Objects.requireNonNull(to, "to");
  }
}
