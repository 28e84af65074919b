package dev.lain.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * The environment variable a daemon started behind a pid file carries: {@code
   * LAIN_SERVICE=<name>}. A pid file outlives its process (a crash, a machine whose /run survives a
   * reboot), and its number may by then belong to any process; the variable tells ours apart.
   */
  public static final String MARKER = "LAIN_SERVICE";

  /** Whether {@code pid} is a live process started as {@code service} (see {@link #MARKER}). */
  public static boolean startedAs(long pid, String service) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    } catch (IOException gone) {
      return false;
    }
    String wanted = MARKER + "=" + service;
    for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
      if (entry.equals(wanted)) {
        return true;
      }
    }
    return false;
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
