package dev.lain.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A named network namespace of this machine ({@code ip netns}), for tests that build a small
 * network of their own: nodes, a VPC-like switch between them, containers behind a bridge. Nothing
 * in it reaches any other network. {@link #close()} kills what runs in it and deletes it.
 */
public final class NetNamespace implements AutoCloseable {
  private final String name;

  private NetNamespace(String name) {
    this.name = name;
  }

  /** A new namespace named {@code prefix} and a random suffix . */
  public static NetNamespace create(String prefix) {
    RequiredServices.requireRoot("a network namespace");
    RequiredServices.require("ip", "apt-get install iproute2");
    String name =
        prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    ChildProcesses.runOrFail(List.of("ip", "netns", "add", name));
    NetNamespace ns = new NetNamespace(name);
    ns.sh("ip link set lo up");
    return ns;
  }

  public String name() {
    return name;
  }

  /** {@code argv} to run in this namespace. */
  public List<String> command(List<String> argv) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
    out.addAll(argv);
    return out;
  }

  /** Runs {@code script} with bash in the namespace; fails with its output unless it succeeds. */
  public String sh(String script) {
    Machine.Result result = trySh(script);
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "in " + name + ": " + script + " exited " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }

  /** Runs {@code script} with bash in the namespace (60 s at most), stdout and stderr together. */
  public Machine.Result trySh(String script) {
    try {
      Process process =
          new ProcessBuilder(command(List.of("bash", "-c", script)))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Machine.Result(124, new String(out, StandardCharsets.UTF_8));
      }
      return new Machine.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A veth pair between this namespace ({@code here}, with {@code hereAddress} if not empty) and
   * {@code other} ({@code there}, with {@code thereAddress} if not empty); both ends up.
   */
  public void link(
      String here, String hereAddress, NetNamespace other, String there, String thereAddress) {
    // Created in the namespaces themselves: their names need not be free on this machine.
    ChildProcesses.runOrFail(
        List.of(
            "ip",
            "link",
            "add",
            here,
            "netns",
            name,
            "type",
            "veth",
            "peer",
            "name",
            there,
            "netns",
            other.name));
    up(here, hereAddress);
    other.up(there, thereAddress);
  }

  private void up(String device, String address) {
    sh(
        (address.isEmpty() ? "" : "ip addr add " + address + " dev " + device + " && ")
            + "ip link set "
            + device
            + " up");
  }

  @Override
  public void close() {
    trySh("ip netns pids " + name + " | xargs -r kill -9");
    try {
      ChildProcesses.runOrFail(List.of("ip", "netns", "del", name));
    } catch (RuntimeException e) {
      // Deleting twice, or a namespace a failed start never made: nothing left to do.
    }
  }
}
