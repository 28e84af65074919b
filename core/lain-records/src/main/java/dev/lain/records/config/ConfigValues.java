package dev.lain.records.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lain.model.ClusterDomains;
import dev.lain.model.DnsNames;
import dev.lain.model.Ipv4;
import dev.lain.model.network.Cidr;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The value rules of each {@link ConfigKey}: pure functions from raw text to a verdict. */
final class ConfigValues {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final Pattern CERT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern APP_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*");

  private ConfigValues() {}

  static ConfigValue domain(String raw) {
    List<String> problems = new ArrayList<>();
    String domain = DnsNames.normalize(raw);
    hostProblem("domain", raw, domain).ifPresent(problems::add);
    return verdict(problems, domain);
  }

  static ConfigValue extraDomains(String raw) {
    List<String> problems = new ArrayList<>();
    Optional<JsonNode> json = parseJson(raw, problems, "[\"example.com\"]");
    if (json.isEmpty()) {
      return new ConfigValue.Rejected(problems);
    }
    if (!(json.get() instanceof ArrayNode array)) {
      return rejected("must be a JSON array of domain names, e.g. '[\"example.com\"]'");
    }
    ArrayNode out = JSON.createArrayNode();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode element = array.get(i);
      if (!element.isTextual()) {
        problems.add("element " + (i + 1) + " (" + element + ") is not a string");
        continue;
      }
      String domain = DnsNames.normalize(element.asText());
      Optional<String> problem = hostProblem("element " + (i + 1), element.asText(), domain);
      if (problem.isPresent()) {
        problems.add(problem.get());
      } else if (!seen.add(domain)) {
        problems.add("element " + (i + 1) + " repeats " + domain);
      } else {
        out.add(domain);
      }
    }
    return verdict(problems, out.toString());
  }

  static ConfigValue ssl(String raw) {
    List<String> problems = new ArrayList<>();
    Optional<JsonNode> json = parseJson(raw, problems, "{\"*.example.com\":\"example\"}");
    if (json.isEmpty()) {
      return new ConfigValue.Rejected(problems);
    }
    if (!(json.get() instanceof ObjectNode map)) {
      return rejected(
          "must be a JSON map from host pattern to certificate name, e.g."
              + " '{\"*.lain.local\":\"web\"}'");
    }
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> entry : map.properties()) {
      String pattern = DnsNames.normalize(entry.getKey());
      JsonNode cert = entry.getValue();
      Optional<String> patternProblem = hostPatternProblem(entry.getKey(), pattern);
      patternProblem.ifPresent(problems::add);
      if (!cert.isTextual() || !CERT_NAME.matcher(cert.asText()).matches()) {
        problems.add(
            "certificate name "
                + cert
                + " for '"
                + entry.getKey()
                + "' must be a name like \"web\" (letters, digits, '.', '_', '-')");
      } else if (patternProblem.isEmpty()) {
        if (out.has(pattern)) {
          problems.add("pattern '" + pattern + "' appears twice (patterns are case-insensitive)");
        }
        out.put(pattern, cert.asText());
      }
    }
    return verdict(problems, out.toString());
  }

  static ConfigValue vip(String raw) {
    return Ipv4.problem(raw)
        .map(ConfigValues::rejected)
        .orElseGet(() -> new ConfigValue.Accepted(raw));
  }

  static ConfigValue network(String raw) {
    return switch (Cidr.read(raw)) {
      case Cidr.Read.Ok ok -> new ConfigValue.Accepted(ok.cidr().toString());
      case Cidr.Read.Bad bad -> rejected(bad.problem());
    };
  }

  static ConfigValue httpUrl(String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      return rejected("'" + raw + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return rejected("'" + raw + "' must be an http:// or https:// URL");
    }
    if (uri.getHost() == null || !DnsNames.isValid(uri.getHost().toLowerCase(Locale.ROOT))) {
      return rejected("'" + raw + "' has no valid host name");
    }
    if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
      return rejected("'" + raw + "' must not carry a query, fragment or credentials");
    }
    String canonical = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    return new ConfigValue.Accepted(canonical);
  }

  static ConfigValue appNames(String raw) {
    List<String> problems = new ArrayList<>();
    Optional<JsonNode> json = parseJson(raw, problems, "[\"console\",\"registry\"]");
    if (json.isEmpty()) {
      return new ConfigValue.Rejected(problems);
    }
    if (!(json.get() instanceof ArrayNode array)) {
      return rejected("must be a JSON array of app names, e.g. '[\"console\",\"registry\"]'");
    }
    ArrayNode out = JSON.createArrayNode();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode element = array.get(i);
      if (!element.isTextual() || !APP_NAME.matcher(element.asText()).matches()) {
        problems.add("element " + (i + 1) + " (" + element + ") is not an app name");
      } else if (!seen.add(element.asText())) {
        problems.add("element " + (i + 1) + " repeats " + element.asText());
      } else {
        out.add(element.asText());
      }
    }
    return verdict(problems, out.toString());
  }

  private static Optional<String> hostProblem(String what, String raw, String host) {
    if (host.equals(ClusterDomains.LAIN)) {
      return Optional.of(what + " 'lain' is reserved for cluster-internal names");
    }
    return DnsNames.problem(host).map(p -> what + " '" + raw.strip() + "' " + p);
  }

  private static Optional<String> hostPatternProblem(String raw, String pattern) {
    if (!pattern.matches("[a-z0-9.*?-]+")) {
      return Optional.of(
          "pattern '"
              + raw
              + "' may only hold letters, digits, '-', '.', and the globs '*' and '?'");
    }
    // A glob is sound when it would be a host name with its wildcards filled in.
    String filled = pattern.replace('*', 'x').replace('?', 'x');
    return DnsNames.problem(filled).map(p -> "pattern '" + raw + "' " + p);
  }

  private static Optional<JsonNode> parseJson(String raw, List<String> problems, String example) {
    try {
      return Optional.of(JSON.readTree(raw));
    } catch (JsonProcessingException e) {
      problems.add(
          "is not valid JSON ("
              + e.getOriginalMessage()
              + " at column "
              + e.getLocation().getColumnNr()
              + "); quote it for the shell, e.g. '"
              + example
              + "'");
      return Optional.empty();
    }
  }

  private static ConfigValue verdict(List<String> problems, String canonical) {
    return problems.isEmpty()
        ? new ConfigValue.Accepted(canonical)
        : new ConfigValue.Rejected(problems);
  }

  private static ConfigValue rejected(String problem) {
    return new ConfigValue.Rejected(List.of(problem));
  }
}
