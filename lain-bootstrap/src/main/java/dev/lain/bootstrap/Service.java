package dev.lain.bootstrap;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A daemon bootstrap keeps running: {@code lain-etcd}, {@code lain-registry}, {@code lain-node}
 * ({@code laind all} on a single node), {@code lain-master}, {@code lain-agent}, {@code
 * lain-router}, or {@code lain-dockerd} where systemd does not run Docker.
 *
 * @param name the unit name without {@code .service}; also names the pid and log files
 * @param command the program and its arguments
 * @param health an http URL that answers 2xx once the service serves; empty for services whose
 *     start is not waited for (the agent, the webrouter)
 */
public record Service(String name, List<String> command, Optional<String> health) {
  public Service {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    Objects.requireNonNull(health, "health");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a service needs a command: " + name);
    }
  }

  public Service(String name, List<String> command) {
    this(name, command, Optional.empty());
  }

  public Service withHealth(String url) {
    return new Service(name, command, Optional.of(url));
  }

  /** The systemd unit, in the same form the bash installer writes. */
  public String unit() {
    return "[Unit]\n"
        + "Description=LAIN "
        + name.replaceFirst("^lain-", "")
        + "\n"
        + "After=network-online.target docker.service\n"
        + "\n"
        + "[Service]\n"
        + "ExecStart="
        + String.join(" ", command)
        + "\n"
        + "Restart=always\n"
        + "RestartSec=2\n"
        + "LimitNOFILE=65536\n"
        + "\n"
        + "[Install]\n"
        + "WantedBy=multi-user.target\n";
  }
}
