package dev.lain.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * Something happened to a container.
 *
 * @param action Docker's action word: {@code create}, {@code start}, {@code die}, {@code oom},
 *     {@code health_status}, {@code destroy}, ...
 */
public record ContainerEvent(String containerId, String action, Map<String, String> labels) {
  public ContainerEvent {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(action, "action");
    labels = Map.copyOf(labels);
  }
}
