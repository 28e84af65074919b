package dev.lain.model.web;

import dev.lain.model.Characters;
import dev.lain.model.ClusterDomains;
import dev.lain.model.DnsNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The mountpoint grammar and the mountpoints a web proc is served at. Mountpoints and health-check
 * paths are written into nginx configuration, so the rules are a whitelist. The webrouter expands
 * declared mountpoints with the cluster's domains at render time, so a change of {@code
 * extra_domains} reaches every app without a redeploy.
 */
public final class Mountpoints {
  private static final String SEGMENT_CHARACTERS = "letters, digits and . _ ~ -";
  private static final String QUERY_CHARACTERS = "letters, digits and . _ ~ - = &";

  /** The longest path nginx is given. */
  public static final int MAX_PATH = 1024;

  private Mountpoints() {}

  /**
   * Reads a mountpoint as lain.yaml writes it: {@code host[/path]} or {@code /path}; hosts are
   * lower-cased (DNS ignores case), a trailing slash is dropped.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static DeclaredMountpoint parse(String text) {
    Read read = read(text);
    return read.value()
        .orElseThrow(
            () ->
                new IllegalArgumentException("mountpoint '" + text + "' " + read.problem().get()));
  }

  /** Why {@code text} is not a mountpoint (without the mountpoint itself), or empty. */
  public static Optional<String> problem(String text) {
    return read(text).problem();
  }

  /** As lain.yaml writes it: {@code example.com/blog} or {@code /admin}. */
  public static String text(DeclaredMountpoint declared) {
    return switch (declared) {
      case DeclaredMountpoint.Absolute absolute -> absolute.mountpoint().text();
      case DeclaredMountpoint.Relative relative ->
          relative.path().isEmpty() ? "/" : relative.path();
    };
  }

  /** Why {@code path} is not {@code ""} or {@code /seg/seg...} of safe segments, or empty. */
  public static Optional<String> pathProblem(String path) {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    if (path.length() > MAX_PATH) {
      return Optional.of("is longer than " + MAX_PATH + " characters");
    }
    if (!path.startsWith("/")) {
      return Optional.of("does not start with '/'");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty()) {
        return Optional.of("has an empty segment ('//' or a trailing '/')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("has a '" + segment + "' segment");
      }
      Optional<String> bad = firstOutside(segment, SEGMENT_CHARACTERS, false);
      if (bad.isPresent()) {
        return bad;
      }
    }
    return Optional.empty();
  }

  /** Why a web proc's {@code healthcheck} is not {@code /path[?k=v&...]} of safe characters. */
  public static Optional<String> healthcheckProblem(String value) {
    if (!value.startsWith("/")) {
      return Optional.of("must be a URL path starting with '/', e.g. /health");
    }
    int question = value.indexOf('?');
    String path = question < 0 ? value : value.substring(0, question);
    String normalPath = path.equals("/") ? "" : withoutTrailingSlash(path);
    Optional<String> problem = pathProblem(normalPath).map(p -> "has a path that " + p);
    if (problem.isPresent() || question < 0) {
      return problem;
    }
    String query = value.substring(question + 1);
    if (query.isEmpty()) {
      return Optional.of("has an empty query after '?'");
    }
    return firstOutside(query, QUERY_CHARACTERS, true).map(p -> "has a query that " + p);
  }

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

  /** A parsed mountpoint or why it is not one. */
  private record Read(Optional<DeclaredMountpoint> value, Optional<String> problem) {
    static Read ok(DeclaredMountpoint value) {
      return new Read(Optional.of(value), Optional.empty());
    }

    static Read bad(String problem) {
      return new Read(Optional.empty(), Optional.of(problem));
    }
  }

  private static Read read(String raw) {
    if (raw.contains("://")) {
      return Read.bad("must not include a scheme; write host[/path], e.g. example.com/blog");
    }
    if (raw.startsWith("/")) {
      String path = withoutTrailingSlash(raw);
      return pathProblem(path)
          .map(p -> Read.bad("has a path that " + p))
          .orElseGet(() -> Read.ok(new DeclaredMountpoint.Relative(path)));
    }
    int slash = raw.indexOf('/');
    String host = (slash < 0 ? raw : raw.substring(0, slash)).toLowerCase(Locale.ROOT);
    String path = slash < 0 ? "" : withoutTrailingSlash(raw.substring(slash));
    Optional<String> hostProblem = DnsNames.problem(host);
    if (hostProblem.isPresent()) {
      return Read.bad("has a host that " + hostProblem.get());
    }
    return pathProblem(path)
        .map(p -> Read.bad("has a path that " + p))
        .orElseGet(() -> Read.ok(new DeclaredMountpoint.Absolute(new Mountpoint(host, path))));
  }

  private static Optional<String> firstOutside(String text, String allowed, boolean query) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '~'
              || c == '-'
              || (query && (c == '=' || c == '&'));
      if (!ok) {
        return Optional.of("contains " + Characters.describe(c) + " (allowed: " + allowed + ")");
      }
    }
    return Optional.empty();
  }

  private static String withoutTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
