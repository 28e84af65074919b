package dev.lain.daemon;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code laind agent}: the node agent, running this node's instances on its Docker engine. */
@Command(
    name = "agent",
    description = "Run the node agent: register this node and run its instances.")
final class AgentCommand implements Callable<Integer> {
  @ParentCommand LaindCommand laind;
  @Mixin AgentOptions agent;

  @Override
  public Integer call() throws InterruptedException {
    return laind.runUntilStopped(
        store -> Roles.agent(store, agent, laind), "agent of node " + agent.config().node().name());
  }
}
