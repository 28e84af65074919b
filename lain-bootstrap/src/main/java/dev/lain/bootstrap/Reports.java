package dev.lain.bootstrap;

import java.util.List;

/** The text an operator reads: the table of checks and the numbered plan. */
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
            plan.options().storageOnly() ? "docker storage only" : plan.options().mode().label())
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
                ? "Nothing to do: Docker already runs on the device.\n"
                : "Nothing to do: this node is bootstrapped.\n")
            : toDo + " of " + number + " steps to do.\n");
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
