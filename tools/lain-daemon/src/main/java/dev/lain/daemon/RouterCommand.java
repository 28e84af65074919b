package dev.lain.daemon;

import dev.lain.router.Router;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code laind router}: a webrouter running nginx on this node. */
@Command(
    name = "router",
    description = "Run a webrouter: nginx serving every app's mountpoints from the store.")
final class RouterCommand implements Callable<Integer> {
  @ParentCommand LaindCommand laind;
  @Mixin RouterOptions router;

  @Override
  public Integer call() throws InterruptedException {
    return laind.runUntilStopped(
        store -> Router.start(store, router.config(), router.driver(), InstantSource.system()),
        "router " + router.config().name());
  }
}
