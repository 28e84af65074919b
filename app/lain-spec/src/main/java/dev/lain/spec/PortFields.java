package dev.lain.spec;

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

/** {@code port} and {@code ports} (streamrouter) of a proc. */
final class PortFields {
  private static final Pattern PORT_TEXT = Pattern.compile("^([0-9]+)(?::(tcp|udp))?$");
  private static final Pattern PORT_ATTRIBUTE = Pattern.compile("^type:(tcp|udp)$");
  private static final Pattern STREAM_PORT =
      Pattern.compile("^([0-9]+)(?::([0-9]+))?(?:/(tcp|udp))?$");

  private final Diagnostics d;

  PortFields(Diagnostics d) {
    this.d = d;
  }

  Optional<Port> port(YNode node, FieldPath path) {
    String expected = "a port: 80, \"80:tcp\", \"53:udp\" or {80: [\"type:tcp\"]}";
    switch (node) {
      case YNode.Scalar s when s.kind() == YNode.Kind.INTEGER -> {
        return Read.integerIn(node, path, d, 1, 65535, "1..65535")
            .map(n -> new Port(n, Protocol.TCP));
      }
      case YNode.Scalar s when s.kind() == YNode.Kind.STRING -> {
        Matcher m = PORT_TEXT.matcher(s.text());
        if (!m.matches()) {
          d.violation(path, node, Describe.quote(s.text()) + " must be " + expected);
          return Optional.empty();
        }
        return portNumber(m.group(1), node, path).map(n -> new Port(n, protocol(m.group(2))));
      }
      case YNode.Mapping mapping when mapping.entries().size() == 1 -> {
        YNode.Entry entry = mapping.entries().getFirst();
        if (!(entry.key() instanceof YNode.Scalar key) || !key.text().matches("[0-9]+")) {
          d.violation(
              path,
              entry.key(),
              "must be " + expected + "; the key is " + Describe.node(entry.key()));
          return Optional.empty();
        }
        Optional<Integer> number = portNumber(key.text(), key, path);
        Protocol[] protocol = {Protocol.TCP};
        if (!(entry.value() instanceof YNode.Scalar v && v.isNull())) {
          Read.eachText(
              entry.value(),
              path.key(key.text()),
              d,
              "\"type:tcp\" or \"type:udp\" strings",
              "\"type:tcp\" or \"type:udp\"",
              (text, at, itemPath) -> {
                Matcher m = PORT_ATTRIBUTE.matcher(text);
                if (m.matches()) {
                  protocol[0] = protocol(m.group(1));
                } else {
                  d.violation(
                      itemPath, at, Describe.quote(text) + " must be \"type:tcp\" or \"type:udp\"");
                }
              });
        }
        return number.map(n -> new Port(n, protocol[0]));
      }
      default -> {
        d.violation(path, node, "must be " + expected + ", got " + Describe.node(node));
        return Optional.empty();
      }
    }
  }

  private Optional<Integer> portNumber(String digits, YNode at, FieldPath path) {
    Optional<Long> value = Read.parseInteger(digits);
    if (value.isEmpty() || value.get() < 1 || value.get() > 65535) {
      d.violation(path, at, Describe.quote(digits) + " is not a port: must be 1..65535");
      return Optional.empty();
    }
    return Optional.of(value.get().intValue());
  }

  private static Protocol protocol(String word) {
    return word == null ? Protocol.TCP : Protocol.valueOf(word.toUpperCase(Locale.ROOT));
  }

  List<StreamPort> streamPorts(YNode node, FieldPath path) {
    List<StreamPort> result = new ArrayList<>();
    Optional<MapReader> read =
        Read.mapping(
            node,
            path,
            node.at(),
            d,
            "a mapping of \"<src>[:<dst>][/tcp|udp]\" to settings, e.g. {9501:80/tcp: {}}");
    if (read.isEmpty()) {
      return result;
    }
    Map<Integer, Integer> sourceLines = new HashMap<>();
    for (YNode.Entry entry : read.get().entries()) {
      String spec = MapReader.keyText(entry);
      FieldPath specPath = path.key(spec);
      Matcher m = STREAM_PORT.matcher(spec);
      if (!m.matches()) {
        d.violation(
            specPath,
            entry.key(),
            Describe.quote(spec) + " must be <src>[:<dst>][/tcp|udp], e.g. 9501:80/tcp");
        continue;
      }
      Optional<Long> source = Read.parseInteger(m.group(1));
      if (source.isEmpty()
          || source.get() < StreamPort.MIN_SOURCE
          || source.get() > StreamPort.MAX_SOURCE) {
        d.violation(
            specPath,
            entry.key(),
            "source port " + m.group(1) + " is outside streamrouter's range 9500..10000");
        continue;
      }
      int src = source.get().intValue();
      Integer earlier = sourceLines.putIfAbsent(src, entry.key().at().line());
      if (earlier != null) {
        d.violation(
            specPath,
            entry.key(),
            "source port "
                + src
                + " is already mapped at line "
                + earlier
                + "; each source port once");
        continue;
      }
      int dst = src;
      if (m.group(2) != null) {
        Optional<Integer> destination = portNumber(m.group(2), entry.key(), specPath);
        if (destination.isEmpty()) {
          continue;
        }
        dst = destination.get();
      }
      Map<String, String> attributes =
          streamPortAttributes(entry.value(), specPath, entry.key().at());
      result.add(new StreamPort(src, dst, protocol(m.group(3)), attributes));
    }
    return result;
  }

  private Map<String, String> streamPortAttributes(YNode node, FieldPath path, Position owner) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Read.mapping(node, path, owner, d, "a mapping of settings (or empty)")
        .ifPresent(
            settings -> {
              for (YNode.Entry entry : settings.entries()) {
                String key = MapReader.keyText(entry);
                Read.text(entry.value(), settings.path(key), d, "a plain value")
                    .ifPresent(v -> attributes.put(key, v));
              }
            });
    return attributes;
  }
}
