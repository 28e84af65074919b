package dev.lain.bootstrap;

import java.nio.file.Path;
import java.util.List;

/** The text an operator reads: the table of checks, the numbered plan and the summary. */
public final class Reports {
  private Reports() {}

  public static String checks(List<Check> checks) {
    int width =
        Math.max(
            "check".length(), checks.stream().mapToInt(c -> c.name().length()).max().orElse(0));
    StringBuilder out = new StringBuilder();
    out.append(pad("check", width)).append("  ").append(pad("result", 7)).append("  detail\n");
    for (Check check : checks) {
      out.append(pad(check.name(), width))
          .append("  ")
          .append(pad(check.status().label(), 7))
          .append("  ")
          .append(check.detail())
          .append('\n');
    }
    return out.toString();
  }

  public static String plan(Plan plan) {
    StringBuilder out = new StringBuilder();
    NodeIdentity node = plan.node();
    out.append("Plan: ")
        .append(
            plan.options().storageOnly()
                ? "this node's Docker only"
                : plan.options().mode().label())
        .append(", node ")
        .append(node.name())
        .append(" (")
        .append(node.ip())
        .append(node.network().map(n -> " in " + n).orElse(""))
        .append("), domain ")
        .append(plan.options().domain())
        .append(plan.options().storageOnly() ? "" : ", store " + plan.storeUrl())
        .append(", supervision ")
        .append(plan.supervision() == Supervision.SYSTEMD ? "systemd" : "pid files")
        .append('\n');
    int width = plan.steps().stream().mapToInt(s -> s.id().length()).max().orElse(0);
    int number = 0;
    for (Step step : plan.steps()) {
      number++;
      out.append(String.format("%2d. ", number))
          .append(pad(step.id(), width))
          .append("  ")
          .append(step.description())
          .append('\n');
      String indent = " ".repeat(4 + width + 2);
      switch (step.status()) {
        case Step.Status.AlreadyDone done ->
            out.append(indent).append("already done: skip (").append(done.reason()).append(")\n");
        case Step.Status.ToDo todo -> {
          Changes c = step.changes();
          line(out, indent, "packages", c.packages());
          line(out, indent, "devices", c.devices());
          line(out, indent, "files", c.files());
          line(out, indent, "services", c.services());
          line(out, indent, "store keys", c.storeKeys());
        }
      }
    }
    long toDo = plan.steps().stream().filter(Step::toDo).count();
    out.append(
        toDo == 0
            ? (plan.options().storageOnly()
                ? "Nothing to do: this node's Docker is set up.\n"
                : "Nothing to do: this node is bootstrapped.\n")
            : toDo + " of " + number + " steps to do.\n");
    return out.toString();
  }

  /** What an operator needs once the install is done: where things are and what comes next. */
  public static String summary(Plan plan) {
    Options options = plan.options();
    NodeIdentity node = plan.node();
    boolean cluster = options.mode() == Mode.CLUSTER;
    String bin = Path.of(options.laind()).getParent().toString();
    String repository = Path.of(bin).getParent().toString();
    String domain = options.domain();
    StringBuilder out = new StringBuilder();
    out.append(
        cluster
            ? "LAIN cluster is up: " + node.name() + " is its first node.\n"
            : "LAIN single-node cluster is up.\n");
    out.append("  store        ")
        .append(plan.storeUrl())
        .append(" (named in ")
        .append(Layout.STORE_FILE)
        .append(" for lainctl)\n");
    out.append("  console      http://127.0.0.1:")
        .append(Layout.CONSOLE_PORT)
        .append("/api/v1/  (lain CLI phase: local)\n");
    out.append("  registry     ")
        .append(plan.registryAddress())
        .append(" (also registry.")
        .append(domain)
        .append(" through the webrouter)\n");
    out.append("  webrouter    http :")
        .append(options.httpPort())
        .append(", https :")
        .append(options.httpsPort())
        .append(" (internal); external hosts also on :8080/:8443\n");
    if (cluster) {
      out.append("  tls          certificate 'web' for *.")
          .append(domain)
          .append(" and *.lain, signed by the CA in ")
          .append(Layout.CA_CERT)
          .append('\n');
    }
    out.append("  node         ").append(node.name()).append(" (").append(node.ip()).append(")\n");
    out.append("  logs         ")
        .append(
            plan.supervision() == Supervision.SYSTEMD
                ? "journalctl -u 'lain-*'"
                : Layout.LOGS + "/")
        .append("\n\n");
    out.append("Deploy the example app:\n")
        .append("  cd ")
        .append(repository)
        .append("/examples/hello && ")
        .append(bin)
        .append("/lain reposit local && ")
        .append(bin)
        .append("/lain build --push local && ")
        .append(bin)
        .append("/lain deploy local\n")
        .append("  curl -H 'Host: hello.")
        .append(domain)
        .append("' http://127.0.0.1:")
        .append(options.httpPort())
        .append("/\n  ")
        .append(bin)
        .append("/lain ps local; ")
        .append(bin)
        .append("/lain logs local web\n");
    if (cluster) {
      out.append("\nAdd nodes (docs/production-install.md):\n  ")
          .append(bin)
          .append("/lainctl node add -p /opt/lain --docker-device=/dev/vdb node2:NODE2_IP\n  ")
          .append(bin)
          .append("/lainctl node list; ")
          .append(bin)
          .append("/lainctl cluster health\n");
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String indent, String label, List<String> values) {
    if (!values.isEmpty()) {
      out.append(indent).append(label).append(": ").append(String.join(", ", values)).append('\n');
    }
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
