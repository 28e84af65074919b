package dev.lain.router.render;

import java.util.Objects;

/**
 * One healthy instance of a proc: where nginx sends requests.
 *
 * @param ip an IPv4 or IPv6 literal (no brackets, no zone); checked by the renderer
 * @param port 1-65535; checked by the renderer
 */
public record Backend(String ip, int port) {
  public Backend {
    Objects.requireNonNull(ip, "ip");
  }
}
