package dev.lain.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.ContainerRuntimeContract;
import dev.lain.runtime.RequestBuilder;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;

/** The runtime contract on a real (private, per-JVM) dockerd, with busybox playing every script. */
class DockerRuntimeContractTest extends ContainerRuntimeContract {
  private static DockerDaemon daemon;
  private static String image;

  @BeforeAll
  static void startDockerd() {
    daemon = DockerDaemon.shared();
    image = BusyboxImage.in(daemon);
  }

  @Override
  protected ContainerRuntime openRuntime() {
    return DockerRuntime.connect(daemon.socketUri());
  }

  @Override
  protected RequestBuilder scripted(Script script) {
    RequestBuilder busybox = RequestBuilder.of(image);
    return switch (script) {
      case RUNS_FOREVER -> busybox.command("sleep", "1000000");
      case EXITS_WITH_3 -> busybox.command("sh", "-c", "sleep 0.2; exit 3");
      // Holds 64 MB in a shell variable; tr because command substitution drops NUL bytes.
      case OOM_KILLED ->
          busybox
              .memoryBytes(6L << 20)
              .command("sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); sleep 1000000");
      case BECOMES_HEALTHY -> busybox.command("sleep", "1000000").healthCheck("true", 1, 1);
      case NEVER_HEALTHY -> busybox.command("sleep", "1000000").healthCheck("false", 1, 1);
      // Without init, runc itself fails to exec the entrypoint and the start is refused.
      case CANNOT_START -> busybox.init(false).entrypoint("/no/such/program");
    };
  }

  /**
   * Through an exec that writes to PID 1's descriptors (docker-init's or the process's own), which
   * are the pipes Docker logs from.
   */
  @Override
  protected void print(String id, String line, boolean toStderr) {
    DockerClient client = daemon.client();
    String exec =
        client
            .execCreateCmd(id)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd("sh", "-c", "echo \"$0\" > /proc/1/fd/" + (toStderr ? 2 : 1), line)
            .exec()
            .getId();
    try {
      client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while printing in " + id, e);
    }
    Long exitCode = client.inspectExecCmd(exec).exec().getExitCodeLong();
    if (exitCode == null || exitCode != 0) {
      throw new AssertionError("printing in " + id + " exited with " + exitCode);
    }
  }

  /** On a registry address nothing listens on: never Docker Hub, never off the machine. */
  @Override
  protected String missingImage() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + probe.getLocalPort() + "/lain-test/missing:1";
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a closed port on 127.0.0.1", e);
    }
  }

  @Override
  protected void awaitUntil(String what, Duration atMost, BooleanSupplier condition) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + atMost + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
