package dev.lain.router.render;

import java.util.List;
import java.util.Objects;

/**
 * What {@link NginxRenderer#render} produced.
 *
 * @param httpConf the file to include inside nginx's {@code http} block
 * @param certificatesUsed the certificate names the file refers to, sorted: their {@code .crt} and
 *     {@code .key} must exist before nginx loads it
 * @param warnings routes, patterns or backends that were skipped or overridden, and why; sorted.
 *     Input text in them is quoted and escaped, so they are safe to log.
 */
public record RenderedConfig(
    String httpConf, List<String> certificatesUsed, List<String> warnings) {
  public RenderedConfig {
    Objects.requireNonNull(httpConf, "httpConf");
    certificatesUsed = List.copyOf(certificatesUsed);
    warnings = List.copyOf(warnings);
  }
}
