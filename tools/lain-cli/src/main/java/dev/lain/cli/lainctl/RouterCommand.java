package dev.lain.cli.lainctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lain.cli.ExitCode;
import dev.lain.cli.Table;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydState;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lainctl router list}: what each running webrouter reports. */
@Command(
    name = "router",
    description = "Show the webrouters (laind router) and the configuration each one serves.",
    subcommands = {RouterCommand.ListCommand.class})
final class RouterCommand extends LainctlGroup {

  @Command(
      name = "list",
      description = {
        "Every live webrouter: the store revision its nginx serves, when it last reloaded, how",
        "many routes it serves, reloads and refused configurations since it started, how long",
        "the last change took to be served, and why the last change was refused, if it was.",
        "Exits 1 when a router reports an error (it keeps serving its previous configuration)."
      })
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand RouterCommand router;

    @Option(names = "--json", description = "Print JSON (the deployd API's /api/routers form).")
    boolean json;

    @Override
    public Integer call() {
      LainctlCommand lainctl = router.lainctl;
      PrintWriter out = lainctl.context.out();
      List<RouterStatus> routers;
      try (Store store = lainctl.openStore()) {
        routers = new DeploydState(store).routers();
      } catch (StoreException e) {
        lainctl.context.err().println("error: " + e.getMessage());
        return ExitCode.FAILED;
      }
      if (json) {
        try {
          out.println(
              DeploydJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(routers));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
        return ExitCode.OK;
      }
      if (routers.isEmpty()) {
        out.println("No webrouter is running. Each one reports here while it runs (laind router).");
        return ExitCode.OK;
      }
      Table table =
          new Table(
              "NAME",
              "REVISION",
              "APPLIED AT",
              "ROUTES",
              "RELOADS",
              "REFUSED",
              "LAST CHANGE",
              "ERROR");
      for (RouterStatus r : routers) {
        table.row(
            r.name(),
            Long.toString(r.appliedRevision()),
            r.appliedAt().equals(Instant.EPOCH) ? "never" : r.appliedAt().toString(),
            Integer.toString(r.routes()),
            Long.toString(r.reloads()),
            Long.toString(r.rejected()),
            r.reloads() == 0 ? "-" : r.effectiveMillis() + " ms",
            r.error().isEmpty() ? "-" : r.error());
      }
      table.print(out);
      return routers.stream().anyMatch(r -> !r.error().isEmpty()) ? ExitCode.FAILED : ExitCode.OK;
    }
  }
}
