package dev.lain.model.deploy;

import java.util.List;
import java.util.Objects;

/**
 * How the webrouter serves a web proc.
 *
 * @param mountpoints the declared mountpoints as written in lain.yaml ({@code host[/path]} or a
 *     relative {@code /path}); the router expands them with the cluster's domains
 * @param defaultMountpoints whether the proc also gets LAIN's default mountpoints ({@code
 *     <appdomain>.<domain>}...): true for the proc named {@code web}
 * @param httpsOnly redirect plain HTTP to HTTPS
 */
public record WebSettings(List<String> mountpoints, boolean defaultMountpoints, boolean httpsOnly) {
  public WebSettings {
    mountpoints = List.copyOf(mountpoints);
    mountpoints.forEach(m -> Objects.requireNonNull(m, "mountpoint"));
  }
}
