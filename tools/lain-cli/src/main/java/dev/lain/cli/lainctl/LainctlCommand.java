package dev.lain.cli.lainctl;

import dev.lain.cli.CliContext;
import dev.lain.cli.Commands;
import dev.lain.cli.ExitCode;
import dev.lain.cli.Version;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code lainctl}: the operator's tool. */
@Command(
    name = "lainctl",
    mixinStandardHelpOptions = true,
    // Every subcommand answers --help too.
    scope = ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Operate a LAIN cluster.",
    subcommands = {
      ConfigCommand.class,
      SslCommand.class,
      RouterCommand.class,
      UserCommand.class,
      NodeCommand.class,
      ClusterCommand.class,
      NetworkCommand.class,
      LainctlVersionCommand.class
    })
public final class LainctlCommand implements Callable<Integer> {
  final CliContext context;

  @Spec CommandSpec spec;

  @Option(
      names = "--store",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = Stores.URL_HELP)
  String store;

  public LainctlCommand(CliContext context) {
    this.context = context;
  }

  public static int run(CliContext context, String... args) {
    return Commands.run(new LainctlCommand(context), context, args);
  }

  /**
   * The store in force: {@code --store}, then {@code LAIN_STORE}, then the node's {@link
   * Stores#NODE_FILE}, then the default.
   */
  Stores.Choice storeChoice() {
    return Stores.choose(store, context.env("LAIN_STORE"), Stores.NODE_FILE);
  }

  String storeUrl() {
    return storeChoice().url();
  }

  /**
   * Opens the store, or says clearly which one could not be opened. An embedded store that does not
   * exist is refused rather than created: lainctl on a machine that is not the cluster's node would
   * otherwise show an empty cluster, and leave a file that makes it look like one.
   */
  Store openStore() {
    Stores.Choice choice = storeChoice();
    String url = choice.url();
    try {
      Optional<Path> file = Stores.embeddedFile(url);
      if (file.isPresent() && !Files.exists(file.get())) {
        throw new StoreException(
            StoreException.Code.INVALID_URL,
            "there is no store at "
                + file.get()
                + " (from "
                + choice.source()
                + "): run lainctl on a node set up by ./bootstrap or lainctl node add, or give"
                + " the cluster's store with --store URL or LAIN_STORE"
                + " (e.g. etcd://NODE_IP:2379)");
      }
      return Stores.open(url);
    } catch (StoreException e) {
      throw new StoreException(e.code(), "cannot open the store " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code action} on the opened store and closes it. A refusal (the store's, deployd's, the
   * console's, ...) propagates to {@link dev.lain.cli.Commands}, which prints {@code error:} and
   * its message and exits 1, so commands do not catch them one by one.
   */
  int withStore(Function<Store, Integer> action) {
    try (Store store = openStore()) {
      return action.apply(store);
    }
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(context.err());
    return ExitCode.USAGE;
  }
}
