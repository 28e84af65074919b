package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.console.AppRecord;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.TargetState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The app state the console shows, from its record and deployd's view of each pod group. */
class AppStateTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static PodGroupView group(String phase, String error, String state, Health health) {
    return group(1, phase, error, state, health);
  }

  /** A group at spec {@code version} whose one instance (if any) still runs version 1. */
  static PodGroupView group(long version, String phase, String error, String state, Health health) {
    PodGroupSpec spec =
        new PodGroupSpec(
            "hello.web.web",
            "hello",
            version,
            ContainerSpec.of("img"),
            state == null ? 0 : 1,
            RestartPolicy.ALWAYS,
            List.of(),
            false,
            new HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(10));
    List<PodGroupView.InstanceView> instances =
        state == null
            ? List.of()
            : List.of(
                new PodGroupView.InstanceView(
                    1,
                    1,
                    0,
                    "hello.web.web.v1-i1-d0",
                    "node1",
                    "10.0.0.1",
                    "",
                    0,
                    30001,
                    TargetState.RUN,
                    state,
                    health,
                    0,
                    false,
                    0,
                    "",
                    T));
    return new PodGroupView(
        "hello.web.web",
        "hello",
        PodGroupRecord.deployed(spec),
        new PodGroupCondition(phase, error, T),
        instances);
  }

  static AppRecord record(String runningState, String error) {
    return new AppRecord("hello", "1-aaaaaaa", "", "img", runningState, T, error, "dev");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "deployed", "", List.of(group("running", "", "running", Health.HEALTHY)), "healthy"),
        Arguments.of(
            "deployed", "", List.of(group("running", "", "running", Health.NONE)), "healthy"),
        Arguments.of("deployed", "", List.of(group("scaled to 0", "", null, null)), "healthy"),
        Arguments.of("deployed", "", List.of(), "healthy"),
        Arguments.of("deployed", "", List.of(group("pending", "", null, null)), "deploying"),
        // Right after an upgrade, before the engine's next pass says so.
        Arguments.of(
            "deployed",
            "",
            List.of(group(2, "running", "", "running", Health.HEALTHY)),
            "deploying"),
        Arguments.of(
            "deployed",
            "",
            List.of(group("upgrading to v2: 0 of 1 instances done", "", "running", Health.HEALTHY)),
            "deploying"),
        Arguments.of(
            "deploying", "", List.of(group("running", "", "running", Health.HEALTHY)), "deploying"),
        Arguments.of(
            "deployed",
            "",
            List.of(group("running", "", "running", Health.UNHEALTHY)),
            "unhealthy"),
        Arguments.of(
            "deployed",
            "",
            List.of(group("deploying: 0 of 1", "", "crash_loop", Health.NONE)),
            "unhealthy"),
        Arguments.of(
            "deployed",
            "",
            List.of(group("running", "not enough memory on any node", null, null)),
            "error"),
        Arguments.of(
            "error",
            "upgrade failed",
            List.of(group("running", "", "running", Health.HEALTHY)),
            "error"));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("cases")
  void stateFollowsTheRecordAndTheEngine(
      String runningState, String error, List<PodGroupView> groups, String expected) {
    assertThat(Views.state(record(runningState, error), groups)).isEqualTo(expected);
  }
}
