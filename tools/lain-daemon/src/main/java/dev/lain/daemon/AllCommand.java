package dev.lain.daemon;

import dev.lain.deployd.Master;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code laind all}: a master and this node's agent in one process (a single-node cluster). */
@Command(name = "all", description = "Run a master and this node's agent in one process.")
final class AllCommand implements Callable<Integer> {
  @ParentCommand LaindCommand laind;
  @Mixin MasterOptions master;
  @Mixin ConsoleOptions console;
  @Mixin AgentOptions agent;

  @Override
  public Integer call() throws InterruptedException {
    return laind.runUntilStopped(
        store -> {
          Master m = Master.start(store, master.config(), InstantSource.system());
          AutoCloseable c = Roles.console(store, console);
          AutoCloseable a = Roles.agent(store, agent, laind);
          return () -> {
            a.close();
            c.close();
            m.close();
          };
        },
        "master on "
            + master.listen
            + ", console on "
            + console.console
            + " and agent of node "
            + agent.config().node().name());
  }
}
