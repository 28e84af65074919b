package dev.lain.daemon;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code laind agent}: the node agent, running this node's instances on its Docker engine. */
@Command(
    name = "agent",
    description = "Run the node agent: register this node and run its instances.")
final class AgentCommand implements Callable<Integer> {
  @ParentCommand LaindCommand laind;
  @Mixin AgentOptions agent;
  @Spec CommandSpec spec;

  @Option(
      names = "--print-config",
      description = "Print the merged configuration of the agent and exit.")
  boolean printConfig;

  @Override
  public Integer call() throws InterruptedException {
    if (printConfig) {
      try {
        spec.commandLine()
            .getOut()
            .println(laind.config().describe() + "\n" + agent.describe(laind));
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 2;
      }
      return 0;
    }
    return laind.runUntilStopped(
        store -> Roles.agent(store, agent, laind), "agent of node " + agent.config().node().name());
  }
}
