package dev.lain.cli.lainctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lain.cli.ExitCode;
import dev.lain.cli.OutputOption;
import dev.lain.cli.Table;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.CertificateStoreException;
import dev.lain.records.certs.CertificateSummary;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.config.ConfigValue;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.tls.CertificateCheck;
import dev.lain.tls.CheckedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lainctl ssl add|list|remove}: the webrouter's certificates under /lain/webrouter/certs.
 */
@Command(
    name = "ssl",
    description = {
      "Keep the webrouter's TLS certificates (/lain/webrouter/certs/NAME).",
      "/lain/config/ssl points host patterns at certificate names: lainctl config set ssl ..."
    },
    subcommands = {
      SslCommand.AddCommand.class,
      SslCommand.ListCommand.class,
      SslCommand.RemoveCommand.class
    })
final class SslCommand extends LainctlGroup {
  /** Certificates expiring sooner than this are added with a warning. */
  static final int WARN_DAYS = 30;

  /** Certificate and key files are small; anything bigger is the wrong file. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  /**
   * Runs {@code action} against the certificate store, stamping writes with {@code now}, and turns
   * failures into messages.
   */
  int withCertificates(Instant now, Function<CertificateStore, Integer> action) {
    PrintWriter err = lainctl.context.err();
    try (Store store = lainctl.openStore()) {
      return action.apply(new CertificateStore(store, InstantSource.fixed(now)));
    } catch (CertificateStoreException e) {
      err.println("error: " + e.getMessage());
      switch (e.code()) {
        case EXISTS -> err.println("Add --force to replace it, or choose another name.");
        case IN_USE -> err.println("Or add --force to remove it anyway.");
        default -> {}
      }
      return ExitCode.FAILED;
    } catch (StoreException e) {
      err.println("error: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }

  @Command(
      name = "add",
      description = {
        "Check a certificate chain and its private key, then keep them as NAME.",
        "Nothing is written when the pair is invalid; every problem is listed."
      },
      footer = {
        "",
        "Example:",
        "  lainctl ssl add example.com --cert example.com.crt --key example.com.key",
        "  lainctl config set ssl '{\"*.lain.local\":\"web\",\"*.example.com\":\"example.com\"}'"
      })
  static final class AddCommand implements Callable<Integer> {
    @ParentCommand SslCommand ssl;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "The name /lain/config/ssl points host patterns at, e.g. web or example.com.")
    String name;

    @Option(
        names = "--cert",
        required = true,
        paramLabel = "FILE",
        description = "PEM certificate chain: the server certificate first, then intermediates.")
    Path certificateFile;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "FILE",
        description = "The certificate's unencrypted PEM private key (PKCS#8, RSA or EC).")
    Path keyFile;

    @Option(names = "--force", description = "Replace an existing certificate called NAME.")
    boolean force;

    @Override
    public Integer call() {
      Instant now = Instant.now();
      PrintWriter out = ssl.lainctl.context.out();
      PrintWriter err = ssl.lainctl.context.err();
      Optional<String> nameProblem = CertificateStore.nameProblem(name);
      if (nameProblem.isPresent()) {
        err.println("error: " + nameProblem.get());
        return ExitCode.FAILED;
      }
      Optional<String> chain = read("certificate", "--cert", certificateFile, err);
      Optional<String> key = read("private key", "--key", keyFile, err);
      if (chain.isEmpty() || key.isEmpty()) {
        return ExitCode.FAILED;
      }
      CheckedCertificate checked;
      switch (CertificateCheck.check(chain.get(), key.get(), now)) {
        case CertificateCheck.Failed failed -> {
          err.println("error: " + name + " was not added (nothing was changed):");
          failed.problems().forEach(p -> err.println("  - " + p));
          return ExitCode.FAILED;
        }
        case CertificateCheck.Passed passed -> checked = passed.certificate();
      }
      return ssl.withCertificates(
          now,
          certificates -> {
            CertificateStore.Added added = certificates.add(name, checked, force);
            long days = checked.daysLeft(now);
            out.println(
                (added.replaced() ? "replaced" : "added")
                    + " certificate "
                    + name
                    + ": serves "
                    + String.join(", ", checked.hosts()));
            out.println(
                "  expires "
                    + checked.notAfter()
                    + " (in "
                    + days
                    + (days == 1 ? " day)" : " days)"));
            out.println(
                "  issued by "
                    + (checked.selfSigned() ? "itself (self-signed)" : checked.issuer()));
            out.println("  SHA-256 fingerprint " + checked.fingerprint());
            added
                .previous()
                .ifPresent(
                    p ->
                        out.println(
                            "  replaces the certificate for "
                                + String.join(", ", p.hosts())
                                + " that expires "
                                + p.notAfter()
                                + " (fingerprint "
                                + p.fingerprint()
                                + ")"));
            out.println("  stored at " + CertificateStore.storeKey(name));
            Map<String, String> sslMap = certificates.sslMap();
            List<String> usedBy = CertificateStore.patternsFor(name, sslMap);
            if (usedBy.isEmpty()) {
              out.println(
                  "No /lain/config/ssl pattern points to " + name + " yet. To serve its hosts:");
              out.println("  " + suggestion(sslMap, checked.hosts()));
            } else {
              out.println("Used by the /lain/config/ssl pattern(s) " + String.join(", ", usedBy));
            }
            checked.warnings().forEach(w -> err.println("warning: " + w));
            if (days < WARN_DAYS) {
              err.println(
                  "warning: "
                      + name
                      + " expires in "
                      + days
                      + (days == 1 ? " day" : " days")
                      + " ("
                      + checked.notAfter()
                      + "): renew it and add the renewed one");
            }
            return ExitCode.OK;
          });
    }

    /** Reads a file named on the command line, relative to the working directory. */
    private Optional<String> read(String what, String option, Path file, PrintWriter err) {
      Path path = ssl.lainctl.context.workingDir().resolve(file);
      try {
        if (Files.size(path) > MAX_FILE_BYTES) {
          err.println(
              "error: the "
                  + what
                  + " file "
                  + path
                  + " ("
                  + option
                  + ") is larger than 1 MiB:"
                  + " give the PEM file");
          return Optional.empty();
        }
        // PEM is ASCII; Latin-1 reads any bytes, so a binary (DER) file reaches the check, which
        // says how to convert it.
        return Optional.of(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
      } catch (NoSuchFileException e) {
        err.println("error: the " + what + " file " + path + " (" + option + ") does not exist");
      } catch (IOException e) {
        err.println("error: cannot read the " + what + " file " + path + " (" + option + "): " + e);
      }
      return Optional.empty();
    }

    /** The command that points each of the certificate's hosts at it, keeping the other entries. */
    private String suggestion(Map<String, String> sslMap, List<String> hosts) {
      Map<String, String> proposed = new LinkedHashMap<>(sslMap);
      hosts.forEach(h -> proposed.put(h, name));
      String json;
      try {
        json = new ObjectMapper().writeValueAsString(proposed);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a map of strings is always JSON", e);
      }
      if (ConfigKey.SSL.parse(json) instanceof ConfigValue.Accepted accepted) {
        return "lainctl config set ssl '" + accepted.canonical() + "'";
      }
      // A host name the pattern rules refuse: show the shape rather than a command that fails.
      return "lainctl config set ssl '{\"HOST-PATTERN\":\"" + name + "\", ...}'";
    }
  }

  @Command(name = "list", description = "Show every certificate, its hosts, expiry and users.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand SslCommand ssl;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Mixin OutputOption output = new OutputOption();

    @Override
    public Integer call() {
      PrintWriter out = ssl.lainctl.context.out();
      PrintWriter err = ssl.lainctl.context.err();
      Instant now = Instant.now();
      return ssl.withCertificates(
          now,
          certificates -> {
            CertificateStore.CertificateList list = certificates.list();
            Map<String, String> sslMap = certificates.sslMap();
            Map<String, String> dangling = dangling(sslMap, Set.copyOf(list.names()));
            if (output.isJson()) {
              out.println(json(list, sslMap, dangling, now));
            } else {
              table(list, sslMap, now, out);
            }
            list.unreadable().forEach(u -> err.println("error: " + u.problem()));
            if (!dangling.isEmpty()) {
              List<String> entries = new ArrayList<>();
              dangling.forEach((p, c) -> entries.add(p + " -> " + c));
              err.println(
                  "warning: /lain/config/ssl points "
                      + String.join(", ", entries)
                      + " at no stored certificate: add it with lainctl ssl add, or change the"
                      + " pattern with lainctl config set ssl ...");
            }
            return list.unreadable().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
          });
    }

    private static Map<String, String> dangling(Map<String, String> sslMap, Set<String> names) {
      Map<String, String> dangling = new LinkedHashMap<>();
      sslMap.forEach(
          (pattern, name) -> {
            if (!names.contains(name)) {
              dangling.put(pattern, name);
            }
          });
      return dangling;
    }

    private static void table(
        CertificateStore.CertificateList list,
        Map<String, String> sslMap,
        Instant now,
        PrintWriter out) {
      if (list.certificates().isEmpty()) {
        out.println("No certificates. Add one with: lainctl ssl add NAME --cert FILE --key FILE");
        return;
      }
      Table table = new Table("NAME", "HOSTS", "NOT AFTER", "DAYS LEFT", "USED BY");
      for (CertificateSummary c : list.certificates()) {
        long days = c.daysLeft(now);
        List<String> usedBy = CertificateStore.patternsFor(c.name(), sslMap);
        table.row(
            c.name(),
            String.join(",", c.hosts()),
            c.notAfter().toString(),
            now.isAfter(c.notAfter()) ? "expired" : String.valueOf(days),
            usedBy.isEmpty() ? "-" : String.join(",", usedBy));
      }
      table.print(out);
    }

    private static String json(
        CertificateStore.CertificateList list,
        Map<String, String> sslMap,
        Map<String, String> dangling,
        Instant now) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      ArrayNode array = root.putArray("certificates");
      for (CertificateSummary c : list.certificates()) {
        ObjectNode node = array.addObject();
        node.put("name", c.name());
        c.hosts().forEach(node.putArray("hosts")::add);
        node.put("not_after", c.notAfter().toString());
        node.put("days_left", c.daysLeft(now));
        node.put("expired", now.isAfter(c.notAfter()));
        node.put("fingerprint", c.fingerprint());
        node.put("added_at", c.addedAt().toString());
        node.put("store_key", CertificateStore.storeKey(c.name()));
        CertificateStore.patternsFor(c.name(), sslMap).forEach(node.putArray("used_by")::add);
      }
      ArrayNode unreadable = root.putArray("unreadable");
      list.unreadable()
          .forEach(u -> unreadable.addObject().put("name", u.name()).put("problem", u.problem()));
      ObjectNode danglingNode = root.putObject("patterns_without_certificate");
      dangling.forEach(danglingNode::put);
      root.put("revision", list.revision());
      return root.toPrettyString();
    }
  }

  @Command(
      name = "remove",
      description = {
        "Remove certificate NAME.",
        "Refused while /lain/config/ssl still points a pattern at it, unless --force."
      })
  static final class RemoveCommand implements Callable<Integer> {
    @ParentCommand SslCommand ssl;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--force",
        description =
            "Remove it even while /lain/config/ssl points patterns at it (their hosts then get"
                + " the next matching certificate, or none).")
    boolean force;

    @Override
    public Integer call() {
      PrintWriter out = ssl.lainctl.context.out();
      PrintWriter err = ssl.lainctl.context.err();
      Optional<String> nameProblem = CertificateStore.nameProblem(name);
      if (nameProblem.isPresent()) {
        err.println("error: " + nameProblem.get());
        return ExitCode.FAILED;
      }
      return ssl.withCertificates(
          Instant.now(),
          certificates -> {
            CertificateStore.Removed removed = certificates.remove(name, force);
            out.println(
                "removed certificate "
                    + name
                    + removed
                        .certificate()
                        .map(
                            c ->
                                " (served "
                                    + String.join(", ", c.hosts())
                                    + "; fingerprint "
                                    + c.fingerprint()
                                    + ")")
                        .orElse(" (its record was unreadable)"));
            if (!removed.stillUsedBy().isEmpty()) {
              err.println(
                  "warning: /lain/config/ssl still points "
                      + String.join(", ", removed.stillUsedBy())
                      + " at "
                      + name
                      + ": those hosts now get the next matching certificate, or none; change"
                      + " it with lainctl config set ssl ...");
            }
            return ExitCode.OK;
          });
    }
  }
}
