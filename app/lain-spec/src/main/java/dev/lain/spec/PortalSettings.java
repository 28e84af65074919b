package dev.lain.spec;

import java.util.Objects;

/**
 * What only portal procs have.
 *
 * @param serviceName the name client apps list in {@code use_services} and resolve
 * @param allowClients which client apps may connect; only {@code **} was ever implemented
 */
public record PortalSettings(String serviceName, String allowClients) {
  public static final String ALL_CLIENTS = "**";

  public PortalSettings {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(allowClients, "allowClients");
    if (serviceName.isEmpty()) {
      throw new IllegalArgumentException("a portal needs a service name");
    }
  }
}
