package dev.lain.spec;

import java.util.Map;
import java.util.Objects;

/**
 * A streamrouter (layer 4) mapping from {@code ports}: cluster port {@code source} to the proc's
 * {@code destination} port.
 *
 * @param attributes extra settings merged into the mapping (for example health-check send/expect)
 */
public record StreamPort(
    int source, int destination, Protocol protocol, Map<String, String> attributes) {
  /** The cluster port range streamrouter owns. */
  public static final int MIN_SOURCE = 9500;

  public static final int MAX_SOURCE = 10000;

  public StreamPort {
    Objects.requireNonNull(protocol, "protocol");
    attributes = Copies.orderedMap(attributes);
    if (source < MIN_SOURCE || source > MAX_SOURCE) {
      throw new IllegalArgumentException("source port must be 9500..10000: " + source);
    }
    if (destination < 1 || destination > 65535) {
      throw new IllegalArgumentException("destination port must be 1..65535: " + destination);
    }
  }
}
