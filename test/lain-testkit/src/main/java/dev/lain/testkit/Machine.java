package dev.lain.testkit;

import java.nio.file.Path;
import java.time.Duration;

/** A machine a test installs LAIN on: a {@link MachineSandbox} or a {@link SystemdMachine}. */
public interface Machine extends AutoCloseable {
  /** What a command run on the machine did. */
  record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * Runs {@code script} with bash on the machine as root, in {@code workingDir}, with a clean
   * environment, stdout and stderr together; killed (exit 124) after {@code timeout}.
   */
  Result sh(String script, Path workingDir, Duration timeout);

  /** The pid of the machine's init, whose namespaces (network, mounts, pids) are the machine's. */
  long initPid();

  /**
   * Configures the machine's interface {@code lain0} (already moved into its network namespace)
   * with {@code address} (with prefix) and a default route into it, as on a server.
   */
  default void bringUp(String address) {
    Result up =
        sh(
            "ip addr add "
                + address
                + " dev lain0 && ip link set lain0 up && ip route add default dev lain0",
            Path.of("/"),
            Duration.ofSeconds(10));
    if (!up.succeeded()) {
      throw new IllegalStateException("cannot bring lain0 up with " + address + ": " + up.output());
    }
  }

  /** What the machine's {@code /var/lib/docker} is. */
  enum DockerRoot {
    /** An empty directory of the host's disk, bound there: Docker runs on it as it is. */
    HOST_DISK,
    /**
     * An empty directory that is not a mount point, as on a fresh server that is given a Docker
     * disk: bootstrap mounts the disk there. Docker cannot run on it as it is (overlay2 does not
     * run on the machine's overlay).
     */
    FOR_A_DOCKER_DISK
  }

  @Override
  void close();
}
