package dev.lain.spec;

import dev.lain.model.DnsNames;
import java.util.Locale;
import java.util.Optional;

/**
 * Syntax of mountpoints and health-check paths. These strings are written into nginx configuration,
 * so the rules are a whitelist, not a blacklist.
 */
final class MountpointRules {
  private static final String SEGMENT_CHARACTERS = "letters, digits and . _ ~ -";
  private static final String QUERY_CHARACTERS = "letters, digits and . _ ~ - = &";

  private MountpointRules() {}

  /** Parses {@code host[/path]} or {@code /path}; hosts are lower-cased (DNS ignores case). */
  static Checked<DeclaredMountpoint> parse(String raw) {
    if (raw.contains("://")) {
      return Checked.bad("must not include a scheme; write host[/path], e.g. example.com/blog");
    }
    if (raw.startsWith("/")) {
      String path = withoutTrailingSlash(raw);
      return pathProblem(path)
          .<Checked<DeclaredMountpoint>>map(p -> Checked.bad("has a path that " + p))
          .orElseGet(() -> Checked.ok(new DeclaredMountpoint.Relative(path)));
    }
    int slash = raw.indexOf('/');
    String host = (slash < 0 ? raw : raw.substring(0, slash)).toLowerCase(Locale.ROOT);
    String path = slash < 0 ? "" : withoutTrailingSlash(raw.substring(slash));
    Optional<String> hostProblem = DnsNames.problem(host);
    if (hostProblem.isPresent()) {
      return Checked.bad("has a host that " + hostProblem.get());
    }
    return pathProblem(path)
        .<Checked<DeclaredMountpoint>>map(p -> Checked.bad("has a path that " + p))
        .orElseGet(() -> Checked.ok(new DeclaredMountpoint.Absolute(new Mountpoint(host, path))));
  }

  /** Why {@code path} is not {@code ""} or {@code /seg/seg...} of safe segments. */
  static Optional<String> pathProblem(String path) {
    if (path.isEmpty()) {
      return Optional.empty();
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
  static Optional<String> healthcheckProblem(String value) {
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
        return Optional.of("contains " + Describe.character(c) + " (allowed: " + allowed + ")");
      }
    }
    return Optional.empty();
  }

  private static String withoutTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
