package dev.lain.spec;

import java.util.Objects;

/** The port a proc listens on ({@code port}): docker's exposed port and webrouter's upstream. */
public record Port(int number, Protocol protocol) {
  public static final Port HTTP = new Port(80, Protocol.TCP);

  public Port {
    Objects.requireNonNull(protocol, "protocol");
    if (number < 1 || number > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + number);
    }
  }
}
