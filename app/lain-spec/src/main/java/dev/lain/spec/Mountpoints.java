package dev.lain.spec;

import dev.lain.model.ClusterDomains;
import dev.lain.model.DnsNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The mountpoints a web proc is served at, from what it declares and the cluster's domains. The
 * webrouter uses this at render time, so a change of {@code extra_domains} reaches every app
 * without a redeploy.
 */
public final class Mountpoints {
  private Mountpoints() {}

  /**
   * An app's domain label order reversed: {@code resource.redis.myapp} → {@code
   * myapp.redis.resource}.
   */
  public static String appdomain(String appname) {
    List<String> parts = new ArrayList<>(List.of(appname.split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts);
  }

  /** {@code <appdomain>.<d>} for each cluster domain, then {@code <appdomain>.lain}. */
  public static List<Mountpoint> defaults(String appname, ClusterDomains domains) {
    LinkedHashSet<String> hosts = new LinkedHashSet<>();
    for (String domain : domains.all()) {
      hosts.add(DnsNames.normalize(appdomain(appname) + "." + domain));
    }
    hosts.add(DnsNames.normalize(appdomain(appname) + "." + ClusterDomains.LAIN));
    return hosts.stream().map(h -> new Mountpoint(h, "")).toList();
  }

  /**
   * The mountpoints served: the declared ones, each relative one expanded under every default
   * mountpoint, then the defaults themselves when {@code withDefaults} (the proc named {@code
   * web}). Repeats are dropped.
   */
  public static List<Mountpoint> effective(
      String appname,
      boolean withDefaults,
      List<DeclaredMountpoint> declared,
      ClusterDomains domains) {
    List<Mountpoint> defaults = withDefaults ? defaults(appname, domains) : List.of();
    LinkedHashSet<Mountpoint> result = new LinkedHashSet<>();
    for (DeclaredMountpoint d : declared) {
      switch (d) {
        case DeclaredMountpoint.Absolute absolute -> result.add(absolute.mountpoint());
        case DeclaredMountpoint.Relative relative -> {
          for (Mountpoint base : defaults) {
            result.add(new Mountpoint(base.host(), base.path() + relative.path()));
          }
        }
      }
    }
    result.addAll(defaults);
    return List.copyOf(result);
  }

  /**
   * Reads a mountpoint as lain.yaml writes it.
   *
   * @throws IllegalArgumentException saying what is wrong, if it is not a safe {@code host[/path]}
   *     or {@code /path}
   */
  public static DeclaredMountpoint parse(String text) {
    return switch (MountpointRules.parse(text)) {
      case Checked.Ok<DeclaredMountpoint> ok -> ok.value();
      case Checked.Bad<DeclaredMountpoint> bad ->
          throw new IllegalArgumentException("mountpoint '" + text + "' " + bad.problem());
    };
  }

  /** As lain.yaml writes it: {@code example.com/blog} or {@code /admin}. */
  public static String text(DeclaredMountpoint declared) {
    return switch (declared) {
      case DeclaredMountpoint.Absolute absolute -> absolute.mountpoint().text();
      case DeclaredMountpoint.Relative relative ->
          relative.path().isEmpty() ? "/" : relative.path();
    };
  }
}
