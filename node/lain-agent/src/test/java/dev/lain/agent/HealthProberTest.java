package dev.lain.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a restarted agent takes over from the reports its predecessor left. */
class HealthProberTest {
  static final InstanceId ID = new InstanceId("a.web.web", 1, 1, 0);
  static final Instant STARTED = Instant.parse("2026-12-07T10:00:00Z");
  static final HealthCheck.Http CHECK =
      new HealthCheck.Http("/", Duration.ofSeconds(1), Duration.ofSeconds(1), 2);

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                   | reported state | reported health | container started (s after) | health now
          the same container, healthy              | RUNNING        | HEALTHY         | 0                           | HEALTHY
          the same container, unhealthy            | RUNNING        | UNHEALTHY       | 0                           | UNHEALTHY
          the same container, no verdict yet       | RUNNING        | STARTING        | 0                           | STARTING
          a container started since the report     | RUNNING        | HEALTHY         | 5                           | STARTING
          reported while it was being created      | CREATING       | HEALTHY         | 0                           | STARTING
          """)
  void aVerdictIsTakenOverOnlyForTheContainerRunItWasAbout(
      String why, RunState state, Health reported, int startedLater, Health expected) {
    HealthProber prober = new HealthProber(() -> {});
    prober.previousReports(List.of(report(state, reported)));

    Health health =
        prober.health(
            ID, CHECK, Optional.empty(), STARTED.plusSeconds(startedLater), Instant.now());

    assertThat(health).as(why).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                   | instances kept
          the instance is no longer assigned       | false
          the instance is still assigned           | true
          """)
  void aReportIsTakenOverOnceAndOnlyWhileItsInstanceIsAssigned(String why, boolean kept) {
    HealthProber prober = new HealthProber(() -> {});
    prober.previousReports(List.of(report(RunState.RUNNING, Health.HEALTHY)));
    prober.retain(kept ? Set.of(ID) : Set.of());

    Health first = prober.health(ID, CHECK, Optional.empty(), STARTED, Instant.now());
    prober.reset(ID);
    Health afterReset = prober.health(ID, CHECK, Optional.empty(), STARTED, Instant.now());

    assertThat(first).as(why).isEqualTo(kept ? Health.HEALTHY : Health.STARTING);
    assertThat(afterReset)
        .as("a container that stopped starts its checks over")
        .isEqualTo(Health.STARTING);
  }

  private static InstanceStatus report(RunState state, Health health) {
    return new InstanceStatus(
        ID, "node1", "127.0.1.1", "", 8080, 20000, state, health, 0, false, 0, "", STARTED);
  }
}
