package dev.lain.spec;

import dev.lain.model.DnsNames;
import dev.lain.model.deploy.MemorySize;
import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of a proc that shape its containers: command, working directory, limits, health check,
 * labels, scheduling filters, DNS and timing.
 */
final class ContainerFields {
  private static final List<String> CONTAINER_HEALTHCHECK_KEYS = List.of("cmd", "options");
  private static final List<String> HEALTHCHECK_OPTION_KEYS =
      List.of("interval", "timeout", "retries");

  private static final Pattern FILTER =
      Pattern.compile("^(affinity|constraint):([A-Za-z0-9_.\\-]+)(==|!=)(\\S+)$");
  private static final Pattern LABEL_KEY = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/\\-]*$");
  private static final String RESERVED_LABEL_PREFIX = "cc.bdp.lain.";

  private final Diagnostics d;

  ContainerFields(Diagnostics d) {
    this.d = d;
  }

  Optional<String> workdir(MapReader f) {
    Optional<YNode.Scalar> workdir = f.keyNode("workdir");
    Optional<YNode.Scalar> workingDir = f.keyNode("working_dir");
    if (workdir.isPresent() && workingDir.isPresent()) {
      boolean workdirFirst = workdir.get().at().compareTo(workingDir.get().at()) < 0;
      String second = workdirFirst ? "working_dir" : "workdir";
      String first = workdirFirst ? "workdir" : "working_dir";
      YNode.Scalar at = workdirFirst ? workingDir.get() : workdir.get();
      d.violation(
          f.path(second),
          at,
          first
              + " is already given (line "
              + (workdirFirst ? workdir : workingDir).get().at().line()
              + "); write only one of workdir and working_dir");
      return Optional.empty();
    }
    String key = workdir.isPresent() ? "workdir" : "working_dir";
    return f.value(key).flatMap(n -> Read.text(n, f.path(key), d, "a directory"));
  }

  Command command(YNode node, FieldPath path) {
    if (node instanceof YNode.Scalar s && !s.isNull()) {
      String line = s.text().strip();
      return new Command.Override(line.isEmpty() ? List.of() : List.of(line.split("\\s+")));
    }
    if (node instanceof YNode.Sequence) {
      return new Command.Override(Read.texts(node, path, d, "arguments", "an argument"));
    }
    d.violation(
        path,
        node,
        "must be a command: a string (split on whitespace) or a list of arguments, got "
            + Describe.node(node));
    return Command.INHERIT;
  }

  Optional<MemorySize> memory(YNode node, FieldPath path) {
    Optional<String> text = Read.text(node, path, d, "a size like 256m or 1g");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    MemorySize.Parsed parsed = MemorySize.parse(text.get());
    parsed.problem().ifPresent(p -> d.violation(path, node, p));
    return parsed.size();
  }

  Optional<ContainerHealthcheck> containerHealthcheck(YNode node, MapReader proc, FieldPath path) {
    Position owner = proc.keyNode("container_healthcheck").map(YNode::at).orElse(node.at());
    Optional<MapReader> read = Read.mapping(node, path, owner, d, "a mapping with cmd and options");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    MapReader check = read.get();
    check.rejectUnknownKeys(CONTAINER_HEALTHCHECK_KEYS);
    Optional<String> cmd =
        check
            .required("cmd", "a shell command (exit 0 = healthy), or none to disable")
            .flatMap(n -> Read.text(n, check.path("cmd"), d, "a shell command"))
            .filter(
                c -> {
                  if (c.isBlank()) {
                    d.violation(
                        check.path("cmd"),
                        check.value("cmd").orElseThrow(),
                        "must not be empty: a shell command, or none to disable");
                  }
                  return !c.isBlank();
                });
    int[] values = {
      ContainerHealthcheck.MIN_INTERVAL,
      ContainerHealthcheck.MIN_TIMEOUT,
      ContainerHealthcheck.MIN_RETRIES
    };
    Position optionsOwner = check.keyNode("options").map(YNode::at).orElse(owner);
    check
        .value("options")
        .flatMap(
            n ->
                Read.mapping(
                    n,
                    check.path("options"),
                    optionsOwner,
                    d,
                    "a mapping with interval, timeout and retries"))
        .ifPresent(
            options -> {
              options.rejectUnknownKeys(HEALTHCHECK_OPTION_KEYS);
              String[] units = {" seconds", " seconds", ""};
              for (int i = 0; i < HEALTHCHECK_OPTION_KEYS.size(); i++) {
                String key = HEALTHCHECK_OPTION_KEYS.get(i);
                int minimum = values[i];
                String unit = units[i];
                int index = i;
                options
                    .value(key)
                    .flatMap(n -> raisedToMinimum(n, options.path(key), minimum, unit))
                    .ifPresent(v -> values[index] = v);
              }
            });
    return cmd.map(c -> new ContainerHealthcheck(c, values[0], values[1], values[2]));
  }

  /** deployd raises values below its minimums; say so rather than silently. */
  private Optional<Integer> raisedToMinimum(YNode node, FieldPath path, int minimum, String unit) {
    return Read.integerIn(node, path, d, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer")
        .map(
            v -> {
              if (v < minimum) {
                d.warning(
                    path,
                    node,
                    v
                        + " is below deployd's minimum of "
                        + minimum
                        + unit
                        + "; raised to "
                        + minimum);
                return minimum;
              }
              return v;
            });
  }

  Optional<Integer> clamped(YNode node, FieldPath path, int min, int max, String unit) {
    return Read.integerIn(node, path, d, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer")
        .map(
            v -> {
              int clamped = Math.max(min, Math.min(max, v));
              if (clamped != v) {
                d.warning(
                    path,
                    node,
                    v + " is outside " + min + ".." + max + " " + unit + "; LAIN uses " + clamped);
              }
              return clamped;
            });
  }

  Map<String, String> labels(YNode node, FieldPath path) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    Read.eachText(
        node,
        path,
        d,
        "key:value strings",
        "a key:value string",
        (raw, at, itemPath) -> {
          int colon = raw.indexOf(':');
          if (colon < 0) {
            d.violation(itemPath, at, Describe.quote(raw) + " must be key:value, e.g. team:infra");
            return;
          }
          String key = raw.substring(0, colon);
          String value = raw.substring(colon + 1);
          if (!LABEL_KEY.matcher(key).matches()) {
            d.violation(
                itemPath,
                at,
                "label key "
                    + Describe.quote(key)
                    + " must be letters, digits and . _ / - (starting with a letter or digit)");
          } else if (key.startsWith(RESERVED_LABEL_PREFIX)) {
            d.violation(
                itemPath,
                at,
                "label key "
                    + Describe.quote(key)
                    + " starts with "
                    + RESERVED_LABEL_PREFIX
                    + ", which LAIN reserves for its own labels");
          } else if (lines.putIfAbsent(key, at.at().line()) != null) {
            d.violation(
                itemPath,
                at,
                "label "
                    + Describe.quote(key)
                    + " is already set at line "
                    + lines.get(key)
                    + "; set each label once");
          } else {
            labels.put(key, value);
          }
        });
    return labels;
  }

  List<Filter> filters(YNode node, FieldPath path) {
    List<Filter> filters = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "scheduling filters",
        "a scheduling filter",
        (raw, at, itemPath) -> {
          Matcher m = FILTER.matcher(raw);
          if (!m.matches()) {
            d.violation(
                itemPath,
                at,
                Describe.quote(raw)
                    + " must match (affinity|constraint):<key>(==|!=)<value>,"
                    + " e.g. constraint:group==group1");
            return;
          }
          Filter.Kind kind =
              m.group(1).equals("affinity") ? Filter.Kind.AFFINITY : Filter.Kind.CONSTRAINT;
          filters.add(new Filter(kind, m.group(2), m.group(3), m.group(4)));
        });
    return filters;
  }

  List<String> dnsSearch(YNode node, FieldPath path) {
    List<String> domains = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "domain names",
        "a domain name",
        (raw, at, itemPath) -> {
          String domain = raw.toLowerCase(Locale.ROOT);
          Optional<String> problem = DnsNames.problem(domain);
          if (problem.isPresent()) {
            d.violation(
                itemPath, at, Describe.quote(raw) + " is not a domain name: it " + problem.get());
          } else if (!domains.contains(domain)) {
            domains.add(domain);
          }
        });
    return domains;
  }
}
