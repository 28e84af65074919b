package dev.lain.daemon;

import dev.lain.deployd.Master;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code laind master}: the deployd API and, on the elected leader, the engine. */
@Command(
    name = "master",
    description = "Run a master: the deployd API, and the engine while it leads.")
final class MasterCommand implements Callable<Integer> {
  @ParentCommand LaindCommand laind;
  @Mixin MasterOptions master;
  @Mixin ConsoleOptions console;

  @Override
  public Integer call() throws InterruptedException {
    return laind.runUntilStopped(
        store -> {
          Master m = Master.start(store, master.config(), InstantSource.system());
          AutoCloseable c = Roles.console(store, console);
          return () -> {
            c.close();
            m.close();
          };
        },
        "master on " + master.listen + ", console on " + console.console);
  }
}
