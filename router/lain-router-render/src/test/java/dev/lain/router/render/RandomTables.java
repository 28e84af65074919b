package dev.lain.router.render;

import dev.lain.model.ClusterDomains;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Random route tables for property tests: valid ones, or with hostile text mixed in. */
final class RandomTables {
  private static final String[] LABELS = {
    "a", "b", "hello", "api", "www", "x1", "shop-2", "lain", "local", "example"
  };
  private static final String[] SUFFIXES = {"lain", "lain.local", "example.xyz", "com", "io", ""};
  private static final String[] SEGMENTS = {
    "admin", "api", "v1", "Docs", "a.b", "x~y", "_-", "..."
  };
  private static final String[] APPS = {"hello", "shop", "blog", "a-b", "resource.redis.x"};
  private static final String[] PROCS = {"web", "admin", "api"};
  private static final String[] PATTERNS = {
    "*.lain.local", "*.lain", "*", "*.com", "hello.*", "?.example.xyz", "a*b*c", "*.io"
  };
  private static final String[] CERTIFICATES = {"web", "c1", "c.2", "missing"};

  /** Text that must never reach the config outside a quoted warning. */
  static final String[] HOSTILE = {
    ";", "{", "}", "\"", "'", "\n", "\r", "\t", " ", "#", "$host", "\\", "\u0000", "\u2028", "../",
    "/", "*", "UPPER", "\u00e9", "\u212a", "%0a", "]", "[", ":", "//"
  };

  private RandomTables() {}

  static RouteTable table(Random r, boolean hostile) {
    List<String> extras = new ArrayList<>();
    if (r.nextBoolean()) {
      extras.add("example.xyz");
    }
    if (r.nextInt(4) == 0) {
      extras.add("corp.net");
    }
    ClusterDomains domains = new ClusterDomains("lain.local", extras);
    List<Route> routes = new ArrayList<>();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      routes.add(
          new Route(
              maybeHostile(r, hostile, podGroup(r)),
              maybeHostile(r, hostile, host(r)),
              maybeHostile(r, hostile, path(r)),
              r.nextInt(4) == 0,
              backends(r, hostile)));
    }
    Map<String, String> ssl = new HashMap<>();
    int patterns = r.nextInt(5);
    for (int i = 0; i < patterns; i++) {
      String pattern = r.nextBoolean() ? pick(r, PATTERNS) : host(r);
      ssl.put(maybeHostile(r, hostile, pattern), maybeHostile(r, hostile, pick(r, CERTIFICATES)));
    }
    Set<String> installed = new HashSet<>();
    for (String c : CERTIFICATES) {
      if (!c.equals("missing") && r.nextInt(3) > 0) {
        installed.add(c);
      }
    }
    return new RouteTable(r.nextInt(1000), domains, routes, ssl, installed);
  }

  static String host(Random r) {
    StringBuilder host = new StringBuilder(pick(r, LABELS));
    int extra = r.nextInt(3);
    for (int i = 0; i < extra; i++) {
      host.append('.').append(pick(r, LABELS));
    }
    String suffix = pick(r, SUFFIXES);
    return suffix.isEmpty() ? host.toString() : host + "." + suffix;
  }

  static String path(Random r) {
    if (r.nextInt(5) < 2) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    int segments = 1 + r.nextInt(3);
    for (int i = 0; i < segments; i++) {
      path.append('/').append(pick(r, SEGMENTS));
    }
    return path.toString();
  }

  static String podGroup(Random r) {
    return pick(r, APPS) + ".web." + pick(r, PROCS);
  }

  static List<Backend> backends(Random r, boolean hostile) {
    List<Backend> backends = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      String ip =
          r.nextInt(5) == 0
              ? "fd00::" + Integer.toHexString(r.nextInt(0xffff) + 1)
              : "172.20." + r.nextInt(256) + "." + r.nextInt(256);
      int port = hostile && r.nextInt(8) == 0 ? r.nextInt(200_000) - 50_000 : 1 + r.nextInt(65535);
      backends.add(new Backend(maybeHostile(r, hostile, ip), port));
    }
    return backends;
  }

  static String maybeHostile(Random r, boolean hostile, String value) {
    if (!hostile || r.nextInt(4) != 0) {
      return value;
    }
    int at = r.nextInt(value.length() + 1);
    return value.substring(0, at) + pick(r, HOSTILE) + value.substring(at);
  }

  static <T> T pick(Random r, T[] items) {
    return items[r.nextInt(items.length)];
  }
}
