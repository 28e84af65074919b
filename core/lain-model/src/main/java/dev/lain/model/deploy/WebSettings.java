package dev.lain.model.deploy;

import dev.lain.model.web.DeclaredMountpoint;
import dev.lain.model.web.Mountpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the webrouter serves a web proc.
 *
 * @param mountpoints the declared mountpoints ({@code host[/path]} or a relative {@code /path});
 *     the router expands them with the cluster's domains
 * @param defaultMountpoints whether the proc also gets LAIN's default mountpoints ({@code
 *     <appdomain>.<domain>}...): true for the proc named {@code web}
 * @param httpsOnly redirect plain HTTP to HTTPS
 * @param unreadable mountpoints of a stored record that are not mountpoints (written by hand or by
 *     another version): kept so that nothing is lost, reported, never served; empty for every
 *     record LAIN writes
 */
public record WebSettings(
    List<DeclaredMountpoint> mountpoints,
    boolean defaultMountpoints,
    boolean httpsOnly,
    List<String> unreadable) {
  public WebSettings {
    mountpoints = List.copyOf(mountpoints);
    unreadable = List.copyOf(unreadable);
  }

  public WebSettings(
      List<DeclaredMountpoint> mountpoints, boolean defaultMountpoints, boolean httpsOnly) {
    this(mountpoints, defaultMountpoints, httpsOnly, List.of());
  }

  /** Settings from mountpoints as text: those that do not parse are kept as {@link #unreadable}. */
  public static WebSettings ofText(
      List<String> mountpoints, boolean defaultMountpoints, boolean httpsOnly) {
    List<DeclaredMountpoint> declared = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (String text : mountpoints) {
      Objects.requireNonNull(text, "mountpoint");
      if (Mountpoints.problem(text).isPresent()) {
        unreadable.add(text);
      } else {
        declared.add(Mountpoints.parse(text));
      }
    }
    return new WebSettings(declared, defaultMountpoints, httpsOnly, unreadable);
  }

  /** Every mountpoint as text, the unreadable ones last: what the store keeps. */
  public List<String> mountpointTexts() {
    List<String> texts = new ArrayList<>(mountpoints.stream().map(Mountpoints::text).toList());
    texts.addAll(unreadable);
    return texts;
  }
}
