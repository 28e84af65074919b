package dev.lain.spec;

import java.util.Objects;

/**
 * Notification channels ({@code notify}); informational, LAIN never acted on them.
 *
 * @param slack {@code ""} when not written
 * @param bearychat {@code ""} when not written
 */
public record NotifySpec(String slack, String bearychat) {
  public static final NotifySpec NONE = new NotifySpec("", "");

  public NotifySpec {
    Objects.requireNonNull(slack, "slack");
    Objects.requireNonNull(bearychat, "bearychat");
  }
}
