package dev.lain.daemon;

import dev.lain.exec.ProcessCommandRunner;
import dev.lain.hostnetwork.HostNetworkException;
import dev.lain.hostnetwork.LinuxHostNetwork;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code laind}: the entry point of LAIN's daemons: {@code master} (deployd API + engine), {@code
 * agent} (one per node), {@code router} (webrouter), {@code all} (master and agent, a single-node
 * cluster), and {@code check-store}.
 */
@Command(
    name = "laind",
    mixinStandardHelpOptions = true,
    // Every subcommand answers --help too.
    scope = ScopeType.INHERIT,
    versionProvider = LaindCommand.VersionProvider.class,
    description = "Run LAIN's cluster daemons.",
    subcommands = {
      MasterCommand.class,
      AgentCommand.class,
      AllCommand.class,
      RouterCommand.class,
      LaindCommand.CheckStoreCommand.class,
      LaindCommand.ClearHostNetworkCommand.class
    })
public final class LaindCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final Path nodeStoreFile;
  private final PrintWriter out;
  private final PrintWriter err;

  @Spec CommandSpec spec;

  @Option(
      names = "--store",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = Stores.URL_HELP)
  String store;

  @Option(names = "--print-config", description = "Print the merged configuration and exit.")
  boolean printConfig;

  /**
   * @param nodeStoreFile the node's record of its store URL ({@link Stores#NODE_FILE} on a node)
   */
  public LaindCommand(
      Map<String, String> env, Path nodeStoreFile, PrintWriter out, PrintWriter err) {
    this.env = Map.copyOf(env);
    this.nodeStoreFile = nodeStoreFile;
    this.out = out;
    this.err = err;
  }

  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return run(env, Stores.NODE_FILE, out, err, args);
  }

  static int run(
      Map<String, String> env,
      Path nodeStoreFile,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    CommandLine commandLine = new CommandLine(new LaindCommand(env, nodeStoreFile, out, err));
    commandLine.setOut(out);
    commandLine.setErr(err);
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  DaemonConfig config() {
    return DaemonConfig.merge(store, env.get("LAIN_STORE"), nodeStoreFile);
  }

  String env(String name) {
    return env.get(name);
  }

  /** Starts a role. */
  @FunctionalInterface
  interface Role {
    AutoCloseable start(Store store) throws Exception;
  }

  /**
   * Opens the store, starts {@code role} and serves until the process is told to stop (SIGTERM,
   * Ctrl-C), then closes the role and the store.
   */
  int runUntilStopped(Role role, String what) throws InterruptedException {
    DaemonConfig config = config();
    Store opened;
    AutoCloseable running;
    try {
      opened = Stores.open(config.storeUrl());
    } catch (StoreException e) {
      err.println("error: store " + config.storeUrl() + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    try {
      running = role.start(opened);
    } catch (Exception e) {
      opened.close();
      err.println("error: cannot start " + what + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Store store = opened;
    Thread hook =
        new Thread(
            () -> {
              try {
                running.close();
              } catch (Exception e) {
                err.println("laind: error while stopping: " + e.getMessage());
              } finally {
                store.close();
                stopped.countDown();
              }
            },
            "laind-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("laind: " + what + " running (store " + config.storeUrl() + ")");
    out.flush();
    stopped.await();
    return 0;
  }

  @Override
  public Integer call() {
    if (printConfig) {
      out.println(config().describe());
      return 0;
    }
    spec.commandLine().usage(err);
    return 2;
  }

  /** {@code laind check-store}: opens the configured store and reports its backend and revision. */
  @Command(
      name = "check-store",
      description = "Open the configured store, report its backend and revision, and exit.")
  static final class CheckStoreCommand implements Callable<Integer> {
    @CommandLine.ParentCommand LaindCommand laind;

    @Override
    public Integer call() {
      DaemonConfig config = laind.config();
      try (Store store = Stores.open(config.storeUrl())) {
        laind.out.println(
            "store "
                + config.storeUrl()
                + ": "
                + store.backend()
                + ", revision "
                + store.revision());
        return 0;
      } catch (StoreException e) {
        laind.err.println("error: store " + config.storeUrl() + ": " + e.getMessage());
        return 1;
      }
    }
  }

  @CommandLine.Command(
      name = "clear-host-network",
      description =
          "Remove what the agent put in this machine's kernel for the container network (its"
              + " routes, the tunnel, LAIN's iptables chains): run by lainctl node remove on the"
              + " node it removes, once its agent is stopped.")
  static final class ClearHostNetworkCommand implements Callable<Integer> {
    @CommandLine.ParentCommand LaindCommand laind;

    @Override
    public Integer call() {
      try {
        List<String> changes =
            new LinuxHostNetwork(new ProcessCommandRunner(Duration.ofSeconds(30))).clear();
        laind.out.println(
            changes.isEmpty()
                ? "the container network left nothing here"
                : "cleared: " + String.join("; ", changes));
        return 0;
      } catch (HostNetworkException e) {
        laind.err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Package pkg = LaindCommand.class.getPackage();
      String version = pkg.getImplementationVersion();
      return new String[] {"laind " + (version == null ? "(development build)" : version)};
    }
  }
}
