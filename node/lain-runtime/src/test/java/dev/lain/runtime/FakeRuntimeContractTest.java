package dev.lain.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The runtime contract on fake time: scripted images, and waiting is advancing the fake clock. */
class FakeRuntimeContractTest extends ContainerRuntimeContract {
  private static final Duration STEP = Duration.ofMillis(100);
  private static final Duration REAL_STEP = Duration.ofMillis(5);

  private final FakeClock clock = new FakeClock();
  private FakeRuntime fake;

  @Override
  protected ContainerRuntime openRuntime() {
    fake =
        new FakeRuntime(clock)
            .behave("contract/forever", ImageBehaviour.runsForever())
            .behave("contract/exits", ImageBehaviour.exitsAfter(Duration.ofMillis(500), 3))
            .behave("contract/oom", ImageBehaviour.oomKilledAfter(Duration.ofMillis(300)))
            .behave("contract/unhealthy", ImageBehaviour.runsForever().neverHealthy())
            .behave(
                "contract/cannot-start",
                ImageBehaviour.failsToStart(
                    "exec: \"/no/such/program\": stat /no/such/program: no such file or directory"));
    for (String image :
        new String[] {
          "contract/forever",
          "contract/exits",
          "contract/oom",
          "contract/unhealthy",
          "contract/cannot-start"
        }) {
      fake.addImage(image);
    }
    return fake;
  }

  @Override
  protected RequestBuilder scripted(Script script) {
    return switch (script) {
      case RUNS_FOREVER -> RequestBuilder.of("contract/forever");
      case EXITS_WITH_3 -> RequestBuilder.of("contract/exits");
      case OOM_KILLED -> RequestBuilder.of("contract/oom").memoryBytes(6L << 20);
      case BECOMES_HEALTHY -> RequestBuilder.of("contract/forever").healthCheck("true", 1, 1);
      case NEVER_HEALTHY -> RequestBuilder.of("contract/unhealthy").healthCheck("false", 1, 1);
      case CANNOT_START ->
          RequestBuilder.of("contract/cannot-start").init(false).entrypoint("/no/such/program");
    };
  }

  @Override
  protected void print(String id, String line, boolean toStderr) {
    if (toStderr) {
      fake.printError(id, line);
    } else {
      fake.print(id, line);
    }
  }

  @Override
  protected String missingImage() {
    return "contract/missing:1";
  }

  @Override
  protected void awaitUntil(String what, Duration atMost, BooleanSupplier condition) {
    Duration waited = Duration.ZERO;
    while (!condition.getAsBoolean()) {
      if (waited.compareTo(atMost) >= 0) {
        throw new AssertionError("not within " + atMost + " of fake time: " + what);
      }
      clock.advance(STEP);
      waited = waited.plus(STEP);
      fake.tick();
      // A follower of a container's logs reads on its own thread, in real time.
      try {
        Thread.sleep(REAL_STEP);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
