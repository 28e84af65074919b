package dev.lain.cli.lainctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lain.cli.ExitCode;
import dev.lain.cli.OutputOption;
import dev.lain.model.ClusterDomains;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ClusterConfigException;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigEntry;
import dev.lain.records.config.ConfigKey;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lainctl config list|get|set|unset}: the cluster configuration under /lain/config. */
@Command(
    name = "config",
    description = "Show and change the cluster configuration (/lain/config/...).",
    subcommands = {
      ConfigCommand.ListCommand.class,
      ConfigCommand.GetCommand.class,
      ConfigCommand.SetCommand.class,
      ConfigCommand.UnsetCommand.class
    })
final class ConfigCommand extends LainctlGroup {

  /** Runs {@code action} against the configuration store, turning failures into messages. */
  int withConfig(Function<ClusterConfigStore, Integer> action) {
    return lainctl.withStore(store -> action.apply(new ClusterConfigStore(store)));
  }

  @Command(name = "list", description = "Show every key, its value and where the value comes from.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand ConfigCommand config;

    @Mixin OutputOption output = new OutputOption();

    @Override
    public Integer call() {
      return config.withConfig(
          store -> {
            ClusterConfig loaded = store.load();
            PrintWriter out = config.lainctl.context.out();
            if (output.isJson()) {
              out.println(json(loaded));
            } else {
              table(loaded, out);
            }
            boolean broken = loaded.list().stream().anyMatch(e -> !e.problems().isEmpty());
            return broken ? ExitCode.FAILED : ExitCode.OK;
          });
    }

    private static void table(ClusterConfig loaded, PrintWriter out) {
      String format = "%-16s %-7s %s%n";
      out.printf(format, "KEY", "SOURCE", "VALUE");
      for (ConfigEntry entry : loaded.list()) {
        String value = entry.source() == ConfigEntry.Source.UNSET ? "-" : entry.value();
        out.printf(
            format, entry.key().keyName(), entry.source().name().toLowerCase(Locale.ROOT), value);
        for (String problem : entry.problems()) {
          out.printf("%-16s %-7s ^ unusable (the default applies): %s%n", "", "", problem);
        }
      }
      ClusterDomains domains = loaded.domains();
      out.println();
      out.println(
          "main domain: "
              + domains.mainDomain()
              + (domains.extraDomains().isEmpty()
                  ? " (the domain; no extra_domains)"
                  : " (the first of extra_domains)"));
    }

    private static String json(ClusterConfig loaded) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      ArrayNode keys = root.putArray("keys");
      for (ConfigEntry entry : loaded.list()) {
        ObjectNode node = keys.addObject();
        node.put("key", entry.key().keyName());
        node.put("store_key", entry.key().storeKey());
        node.put("source", entry.source().name().toLowerCase(Locale.ROOT));
        if (entry.source() != ConfigEntry.Source.UNSET) {
          node.put("value", entry.value());
        }
        ArrayNode problems = node.putArray("problems");
        entry.problems().forEach(problems::add);
      }
      root.put("main_domain", loaded.domains().mainDomain());
      root.put("revision", loaded.revision());
      return root.toPrettyString();
    }
  }

  @Command(name = "get", description = "Print one key's value (its default if unset).")
  static final class GetCommand implements Callable<Integer> {
    @ParentCommand ConfigCommand config;

    @Parameters(
        index = "0",
        paramLabel = "KEY",
        description = "A key shown by lainctl config list, e.g. extra_domains.")
    String key;

    @Override
    public Integer call() {
      return config.withConfig(
          store -> {
            ConfigEntry entry = store.get(ConfigKey.require(key));
            if (entry.source() == ConfigEntry.Source.UNSET) {
              config.lainctl.context.err().println(key + " is not set and has no default");
              return ExitCode.FAILED;
            }
            config.lainctl.context.out().println(entry.value());
            if (!entry.problems().isEmpty()) {
              config
                  .lainctl
                  .context
                  .err()
                  .println(
                      "warning: the stored value is unusable ("
                          + String.join("; ", entry.problems())
                          + "); LAIN uses "
                          + entry.effective()
                          + " instead. Fix it with: lainctl config set "
                          + key
                          + " VALUE");
              return ExitCode.FAILED;
            }
            return ExitCode.OK;
          });
    }
  }

  @Command(
      name = "set",
      description = "Check VALUE and store it; nothing is written if it is invalid.",
      footer = {
        "",
        "Examples:",
        "  lainctl config set domain lain.local",
        "  lainctl config set extra_domains '[\"example.com\"]'",
        "  lainctl config set ssl '{\"*.lain.local\":\"web\",\"*.example.com\":\"example\"}'"
      })
  static final class SetCommand implements Callable<Integer> {
    @ParentCommand ConfigCommand config;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() {
      return config.withConfig(
          store -> {
            ConfigKey configKey = ConfigKey.require(key);
            ConfigEntry before = store.get(configKey);
            ClusterConfigStore.Change change;
            try {
              change = store.set(configKey, value);
            } catch (ClusterConfigException e) {
              PrintWriter err = config.lainctl.context.err();
              err.println("error: invalid value for " + key + " (nothing was changed):");
              e.problems().forEach(p -> err.println("  - " + p));
              return ExitCode.FAILED;
            }
            config
                .lainctl
                .context
                .out()
                .println(
                    key
                        + " = "
                        + change.after().orElseThrow()
                        + "  (was "
                        + describe(before)
                        + ")");
            return ExitCode.OK;
          });
    }
  }

  @Command(name = "unset", description = "Remove a key so its default applies again.")
  static final class UnsetCommand implements Callable<Integer> {
    @ParentCommand ConfigCommand config;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() {
      return config.withConfig(
          store -> {
            ConfigKey configKey = ConfigKey.require(key);
            ClusterConfigStore.Change change = store.unset(configKey);
            String now =
                configKey
                    .defaultValue()
                    .map(d -> "the default " + d + " applies")
                    .orElse("it has no default");
            config
                .lainctl
                .context
                .out()
                .println(
                    change.before().isPresent()
                        ? key + " unset (was " + change.before().get() + "); " + now
                        : key + " was not set; " + now);
            return ExitCode.OK;
          });
    }
  }

  private static String describe(ConfigEntry entry) {
    return switch (entry.source()) {
      case SET -> entry.value();
      case DEFAULT -> entry.value() + ", the default";
      case UNSET -> "unset";
    };
  }
}
