package dev.lain.router.render;

import dev.lain.model.DnsNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A strict reader of the routes file: tokenizes it as nginx does and accepts only the statements
 * the renderer means to write, each argument checked against its grammar. A config it accepts
 * cannot carry anything injected from the input. Returns the problems found (empty = fine).
 */
final class ConfChecker {
  private static final Pattern POD_GROUP = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
  private static final Pattern ADDRESS =
      Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]|\\*):\\d{1,5}");
  private static final Pattern FILE = Pattern.compile("/[A-Za-z0-9._/@+,=:-]+");
  private static final Pattern TIME = Pattern.compile("\\d+m?s");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private final List<String> problems = new ArrayList<>();
  private final List<String> tokens = new ArrayList<>();
  private int at;

  private ConfChecker() {}

  static List<String> check(String conf) {
    ConfChecker checker = new ConfChecker();
    checker.run(conf);
    return checker.problems;
  }

  private void run(String conf) {
    for (int i = 0; i < conf.length(); i++) {
      char c = conf.charAt(i);
      if (c != '\n' && (c < 0x20 || c >= 0x7f)) {
        problems.add("character U+" + Integer.toHexString(c) + " at " + i);
      }
    }
    if (!conf.endsWith("\n")) {
      problems.add("does not end with a line break");
    }
    tokenize(conf);
    if (!problems.isEmpty()) {
      return;
    }
    while (at < tokens.size() && problems.isEmpty()) {
      List<String> statement = statement();
      if (statement.equals(List.of("server", "{"))) {
        serverBody();
      } else if (statement.size() == 3
          && statement.get(0).equals("upstream")
          && POD_GROUP.matcher(statement.get(1)).matches()
          && statement.get(2).equals("{")) {
        upstreamBody();
      } else {
        problems.add("unexpected top-level statement " + statement);
      }
    }
  }

  private void tokenize(String conf) {
    int i = 0;
    int depth = 0;
    while (i < conf.length()) {
      char c = conf.charAt(i);
      if (c == '#') {
        while (i < conf.length() && conf.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == ';' || c == '{' || c == '}') {
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        if (depth < 0) {
          problems.add("'}' without a block at " + i);
          return;
        }
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < conf.length() && conf.charAt(end) != c) {
          end += conf.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= conf.length()) {
          problems.add("unterminated quote at " + i);
          return;
        }
        tokens.add(conf.substring(i, end + 1));
        i = end + 1;
      } else {
        int end = i;
        while (end < conf.length()
            && !Character.isWhitespace(conf.charAt(end))
            && ";{}\"'".indexOf(conf.charAt(end)) < 0) {
          end++;
        }
        tokens.add(conf.substring(i, end));
        i = end;
      }
    }
    if (depth != 0) {
      problems.add(depth + " block(s) not closed");
    }
  }

  /** The tokens up to and including the next ';' or '{', or a lone '}'. */
  private List<String> statement() {
    List<String> statement = new ArrayList<>();
    while (at < tokens.size()) {
      String token = tokens.get(at++);
      statement.add(token);
      if (token.equals(";") || token.equals("{") || token.equals("}")) {
        return statement;
      }
    }
    problems.add("statement without an end: " + statement);
    return statement;
  }

  private void upstreamBody() {
    while (problems.isEmpty()) {
      List<String> s = statement();
      if (s.equals(List.of("}"))) {
        return;
      }
      boolean ok =
          s.size() == 3
              && s.get(2).equals(";")
              && switch (s.get(0)) {
                case "server" -> ADDRESS.matcher(s.get(1)).matches();
                case "keepalive" -> NUMBER.matcher(s.get(1)).matches();
                case "keepalive_timeout" -> TIME.matcher(s.get(1)).matches();
                default -> false;
              };
      if (!ok) {
        problems.add("unexpected statement in upstream: " + s);
      }
    }
  }

  private void serverBody() {
    while (problems.isEmpty()) {
      List<String> s = statement();
      if (s.equals(List.of("}"))) {
        return;
      }
      String directive = s.get(0);
      boolean ok =
          switch (directive) {
            case "listen" -> listen(s);
            case "server_name" -> serverNames(s);
            case "ssl_certificate", "ssl_certificate_key" ->
                s.size() == 3 && FILE.matcher(s.get(1)).matches() && s.get(2).equals(";");
            case "ssl_reject_handshake" -> s.equals(List.of(directive, "on", ";"));
            case "return" -> isReturn(s);
            case "location" -> {
              boolean header =
                  (s.size() == 3 && (s.get(1).equals("/") || isPrefix(s.get(1))))
                      || (s.size() == 4
                          && s.get(1).equals("=")
                          && PATH.matcher(s.get(2)).matches());
              if (header && s.getLast().equals("{")) {
                locationBody();
                yield true;
              }
              yield false;
            }
            default -> false;
          };
      if (!ok) {
        problems.add("unexpected statement in server: " + s);
      }
    }
  }

  private void locationBody() {
    while (problems.isEmpty()) {
      List<String> s = statement();
      if (s.equals(List.of("}"))) {
        return;
      }
      if (s.equals(List.of("if", "($lain_redirect_to_https)", "{"))) {
        List<String> inner = statement();
        List<String> end = statement();
        if (!inner.equals(List.of("return", "301", "https://$host$request_uri", ";"))
            || !end.equals(List.of("}"))) {
          problems.add("unexpected https_only block: " + inner + end);
        }
        continue;
      }
      boolean ok =
          isReturn(s)
              || (s.size() == 3
                  && s.get(0).equals("proxy_pass")
                  && s.get(1).startsWith("http://")
                  && POD_GROUP
                      .matcher(
                          s.get(1).endsWith("/")
                              ? s.get(1).substring(7, s.get(1).length() - 1)
                              : s.get(1).substring(7))
                      .matches()
                  && s.get(2).equals(";"));
      if (!ok) {
        problems.add("unexpected statement in location: " + s);
      }
    }
  }

  private static boolean isPrefix(String location) {
    return location.endsWith("/")
        && PATH.matcher(location.substring(0, location.length() - 1)).matches();
  }

  private static boolean listen(List<String> s) {
    if (s.size() < 3 || !ADDRESS.matcher(s.get(1)).matches() || !s.getLast().equals(";")) {
      return false;
    }
    List<String> options = s.subList(2, s.size() - 1);
    return options.isEmpty()
        || options.equals(List.of("default_server"))
        || options.equals(List.of("ssl", "http2"))
        || options.equals(List.of("ssl", "http2", "default_server"));
  }

  private static boolean serverNames(List<String> s) {
    if (s.equals(List.of("server_name", "_", ";"))) {
      return true;
    }
    // Pairs of a host and its sub-domains: server_name a *.a b *.b ... ;
    if (s.size() < 4 || s.size() % 2 != 0 || !s.getLast().equals(";")) {
      return false;
    }
    for (int i = 1; i < s.size() - 1; i += 2) {
      if (!DnsNames.isValid(s.get(i)) || !s.get(i + 1).equals("*." + s.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isReturn(List<String> s) {
    if (s.size() != 4 || !s.get(0).equals("return") || !s.get(3).equals(";")) {
      return false;
    }
    String text = s.get(2);
    return switch (s.get(1)) {
      case "404" ->
          text.equals("\"no app is mounted at $host\\n\"")
              || text.equals("\"no app is mounted at this path of $host\\n\"");
      case "503" ->
          text.startsWith("\"no healthy instance of ")
              && text.endsWith("\\n\"")
              && POD_GROUP
                  .matcher(text.substring("\"no healthy instance of ".length(), text.length() - 3))
                  .matches();
      default -> false;
    };
  }
}
