package dev.lain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What only the fake does: exact fake time, scripting, recording. */
class FakeRuntimeTest {
  private final FakeClock clock = new FakeClock();
  private final Instant t0 = clock.instant();
  private final FakeRuntime runtime = new FakeRuntime(clock);

  private String run(String image, RequestBuilder request) {
    runtime.addImage(image);
    String id = runtime.create(request.image(image).build());
    runtime.start(id);
    return id;
  }

  private ContainerInfo info(String id) {
    return runtime.inspect(id).orElseThrow();
  }

  private static List<String> actions(List<ContainerEvent> events) {
    return events.stream().map(ContainerEvent::action).toList();
  }

  @Test
  void containerExitsExactlyWhenTheClockReachesItsScriptedRunTime() {
    runtime.behave("app:1", ImageBehaviour.exitsAfter(Duration.ofSeconds(1), 3));
    String id = run("app:1", RequestBuilder.of("app:1"));

    clock.advance(Duration.ofMillis(999));
    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);

    clock.advance(Duration.ofMillis(1));
    ContainerInfo info = info(id);
    assertThat(info.state()).isEqualTo(ContainerState.EXITED);
    assertThat(info.exitCode()).isEqualTo(3);
    assertThat(info.startedAt()).isEqualTo(t0);
    assertThat(info.finishedAt()).isEqualTo(t0.plusSeconds(1));
  }

  @Test
  void transitionsCarryTheirDueTimeHoweverLateTheyAreObserved() {
    runtime.behave("app:1", ImageBehaviour.oomKilledAfter(Duration.ofSeconds(2)));
    String id = run("app:1", RequestBuilder.of("app:1"));

    clock.advance(Duration.ofHours(1));

    ContainerInfo info = info(id);
    assertThat(info.oomKilled()).isTrue();
    assertThat(info.exitCode()).isEqualTo(137);
    assertThat(info.finishedAt()).isEqualTo(t0.plusSeconds(2));
  }

  @Test
  void transitionsDueTogetherApplyInTheOrderTheyFellDue() {
    runtime.behave(
        "app:1",
        ImageBehaviour.exitsAfter(Duration.ofSeconds(5), 0).healthyAfter(Duration.ofSeconds(2)));
    runtime.behave("app:2", ImageBehaviour.exitsAfter(Duration.ofSeconds(3), 1));
    String first = run("app:1", RequestBuilder.of("app:1"));
    String second = run("app:2", RequestBuilder.of("app:2"));
    List<ContainerEvent> events = new ArrayList<>();
    runtime.events(events::add);

    clock.advance(Duration.ofSeconds(10));
    runtime.tick();

    assertThat(events)
        .extracting(ContainerEvent::containerId, ContainerEvent::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(first, "health_status"),
            org.assertj.core.groups.Tuple.tuple(second, "die"),
            org.assertj.core.groups.Tuple.tuple(first, "die"));
  }

  @Test
  void scriptedHealthAppliesWithoutAHealthCheckInTheRequest() {
    runtime.behave("app:1", ImageBehaviour.runsForever().unhealthyAfter(Duration.ofSeconds(4)));
    String id = run("app:1", RequestBuilder.of("app:1"));

    assertThat(info(id).health()).isEqualTo(ContainerHealth.STARTING);
    clock.advance(Duration.ofSeconds(4));
    assertThat(info(id).health()).isEqualTo(ContainerHealth.UNHEALTHY);
  }

  @Test
  void failingRequestCheckTurnsUnhealthyAfterIntervalTimesRetriesAsDockerDoes() {
    runtime.behave("app:1", ImageBehaviour.runsForever().neverHealthy());
    String id = run("app:1", RequestBuilder.of("app:1").healthCheck("false", 5, 3));

    clock.advance(Duration.ofSeconds(14));
    assertThat(info(id).health()).isEqualTo(ContainerHealth.STARTING);
    clock.advance(Duration.ofSeconds(1));
    assertThat(info(id).health()).isEqualTo(ContainerHealth.UNHEALTHY);
  }

  @Test
  void restartStartsTheScriptAgain() {
    runtime.behave("app:1", ImageBehaviour.exitsAfter(Duration.ofSeconds(1), 2));
    String id = run("app:1", RequestBuilder.of("app:1"));
    clock.advance(Duration.ofSeconds(5));

    runtime.start(id);
    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
    assertThat(info(id).exitCode()).isZero();
    clock.advance(Duration.ofSeconds(1));

    assertThat(info(id).state()).isEqualTo(ContainerState.EXITED);
    assertThat(info(id).finishedAt()).isEqualTo(t0.plusSeconds(6));
  }

  @Test
  void aContainerStoppedBeforeItsExitFellDueDoesNotExitAgainLater() {
    runtime.behave("app:1", ImageBehaviour.exitsAfter(Duration.ofSeconds(5), 9));
    String id = run("app:1", RequestBuilder.of("app:1"));
    List<ContainerEvent> events = new ArrayList<>();
    runtime.events(events::add);

    runtime.stop(id, 10);
    clock.advance(Duration.ofSeconds(10));
    runtime.tick();

    assertThat(info(id).exitCode()).isEqualTo(143);
    assertThat(actions(events)).containsExactly("kill", "die", "stop");
  }

  @Test
  void aContainerRestartedAtTheSameInstantExitsOnceForItsCurrentRun() {
    runtime.behave("app:1", ImageBehaviour.exitsAfter(Duration.ofSeconds(5), 9));
    String id = run("app:1", RequestBuilder.of("app:1"));
    runtime.stop(id, 10);
    runtime.start(id);
    List<ContainerEvent> events = new ArrayList<>();
    runtime.events(events::add);

    clock.advance(Duration.ofSeconds(60));
    runtime.tick();

    assertThat(actions(events)).containsExactly("die");
    assertThat(info(id).finishedAt()).isEqualTo(t0.plusSeconds(5));
  }

  @Test
  void theCallRecordKeepsTheLatestCallsOfALongSimulation() {
    for (int i = 0; i <= FakeRuntime.MAX_RECORDED_CALLS; i++) {
      runtime.hasImage("app:" + i);
    }

    List<FakeRuntime.Call> calls = runtime.calls();
    assertThat(calls).hasSize(FakeRuntime.MAX_RECORDED_CALLS);
    assertThat(calls.getFirst()).isEqualTo(new FakeRuntime.Call.HasImage("app:1"));
    assertThat(calls.getLast())
        .isEqualTo(new FakeRuntime.Call.HasImage("app:" + FakeRuntime.MAX_RECORDED_CALLS));
  }

  @Test
  void containersKeepTheBehaviourOfTheirImageWhenTheyWereCreated() {
    runtime.addImage("app:1");
    String id = runtime.create(RequestBuilder.of("app:1").build());
    runtime.behave("app:1", ImageBehaviour.exitsAfter(Duration.ZERO, 1));

    runtime.start(id);

    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
  }

  @Test
  void eventsAreDeliveredBeforeTheCallThatCausedThemReturns() {
    List<ContainerEvent> events = new ArrayList<>();
    runtime.events(events::add);
    runtime.addImage("app:1");

    String id = runtime.create(RequestBuilder.of("app:1").label("lain.app", "a").build());
    assertThat(events).containsExactly(new ContainerEvent(id, "create", Map.of("lain.app", "a")));

    runtime.start(id);
    runtime.stop(id, 10);
    runtime.start(id);
    runtime.remove(id);
    assertThat(actions(events))
        .containsExactly(
            "create", "start", "kill", "die", "stop", "start", "kill", "die", "destroy");
  }

  @Test
  void listenerMayCallBackIntoTheRuntimeAndSeesEventsInOrder() {
    List<String> seen = new ArrayList<>();
    runtime.events(
        event -> {
          seen.add(event.action());
          if (event.action().equals("die")) {
            runtime.remove(event.containerId());
            seen.add("removed");
          }
        });
    runtime.behave("app:1", ImageBehaviour.exitsAfter(Duration.ofSeconds(1), 1));
    String id = run("app:1", RequestBuilder.of("app:1"));

    clock.advance(Duration.ofSeconds(1));
    runtime.tick();

    assertThat(seen).containsExactly("create", "start", "die", "removed", "destroy");
    assertThat(runtime.inspect(id)).isEmpty();
  }

  @Test
  void aListenersFailureReachesTheCallerAfterEveryListenerHadTheEvent() {
    List<ContainerEvent> other = new ArrayList<>();
    runtime.events(
        event -> {
          throw new IllegalArgumentException("listener bug");
        });
    runtime.events(other::add);
    runtime.addImage("app:1");

    assertThatThrownBy(() -> runtime.create(RequestBuilder.of("app:1").build()))
        .hasRootCauseMessage("listener bug");
    assertThat(actions(other)).containsExactly("create");
  }

  @Test
  void startsAreCountedPerContainerAndPerNameAcrossRecreation() {
    runtime.addImage("app:1");
    ContainerRequest request = RequestBuilder.of("app:1").name("app.web.1").build();
    String first = runtime.create(request);
    runtime.start(first);
    runtime.stop(first, 1);
    runtime.start(first);
    runtime.start(first); // already running: not a start
    runtime.remove(first);
    String second = runtime.create(request);
    runtime.start(second);

    assertThat(runtime.starts(first)).isEqualTo(2);
    assertThat(runtime.starts(second)).isEqualTo(1);
    assertThat(runtime.startsByName("app.web.1")).isEqualTo(3);
    assertThat(runtime.starts("never-created")).isZero();
  }

  @Test
  void everyCallIsRecordedInOrderIncludingFailedOnes() {
    runtime.addImage("app:1");
    ContainerRequest request = RequestBuilder.of("app:1").name("a1").build();
    String id = runtime.create(request);
    runtime.start(id);
    runtime.list(Map.of("lain.app", "a"));
    assertThatThrownBy(() -> runtime.create(request)).isInstanceOf(RuntimeFailure.class);
    runtime.hasImage("app:2");

    assertThat(runtime.calls())
        .containsExactly(
            new FakeRuntime.Call.Create(request),
            new FakeRuntime.Call.Start(id),
            new FakeRuntime.Call.ListByLabels(Map.of("lain.app", "a")),
            new FakeRuntime.Call.Create(request),
            new FakeRuntime.Call.HasImage("app:2"));
    assertThat(runtime.calls(FakeRuntime.Call.Create.class)).hasSize(2);

    runtime.clearCalls();
    assertThat(runtime.calls()).isEmpty();
  }

  @Test
  void pullIsScriptedPerImage() {
    runtime.addToRegistry("registry.lain.local/app:1");
    runtime.failPulls("registry.lain.local/app:2", RuntimeFailure.Code.UNAVAILABLE, "timeout");

    runtime.pull("registry.lain.local/app:1");
    assertThat(runtime.hasImage("registry.lain.local/app:1")).isTrue();

    assertThatThrownBy(() -> runtime.pull("registry.lain.local/app:2"))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.UNAVAILABLE))
        .hasMessageContaining("registry.lain.local/app:2")
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> runtime.pull("registry.lain.local/app:3"))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.IMAGE_NOT_FOUND));
    assertThat(runtime.hasImage("registry.lain.local/app:2")).isFalse();
  }

  @Test
  void imageWithoutTagIsItsLatestTag() {
    runtime.addImage("registry.lain.local:5000/app");

    assertThat(runtime.hasImage("registry.lain.local:5000/app:latest")).isTrue();
    assertThat(runtime.hasImage("registry.lain.local:5000/app:1")).isFalse();
  }

  @Test
  void unavailableEngineFailsEveryCallAndKeepsItsContainers() {
    String id = run("app:1", RequestBuilder.of("app:1"));

    runtime.setAvailable(false);
    assertThatThrownBy(() -> runtime.inspect(id))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.UNAVAILABLE));
    assertThatThrownBy(() -> runtime.list(Map.of())).isInstanceOf(RuntimeFailure.class);
    assertThatThrownBy(runtime::version).isInstanceOf(RuntimeFailure.class);

    runtime.setAvailable(true);
    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
  }

  @Test
  void testsCanCrashOomKillAndChangeTheHealthOfRunningContainers() {
    List<ContainerEvent> events = new ArrayList<>();
    runtime.events(events::add);
    String crashed = run("app:1", RequestBuilder.of("app:1"));
    String killed = run("app:1", RequestBuilder.of("app:1"));
    String sick = run("app:1", RequestBuilder.of("app:1").healthCheck("true", 1, 1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(info(sick).health()).isEqualTo(ContainerHealth.HEALTHY);
    events.clear();

    runtime.exit(crashed, 2);
    runtime.oomKill(killed);
    runtime.setHealth(sick, ContainerHealth.UNHEALTHY);

    assertThat(info(crashed).exitCode()).isEqualTo(2);
    assertThat(info(killed).oomKilled()).isTrue();
    assertThat(info(sick).health()).isEqualTo(ContainerHealth.UNHEALTHY);
    assertThat(actions(events)).containsExactly("die", "oom", "die", "health_status");
    assertThatThrownBy(() -> runtime.exit(crashed, 1)).hasMessageContaining("not running");
  }

  @Test
  void wildcardAddressConflictsWithEverySpecificAddressOnThatPort() {
    runtime.addImage("app:1");
    String wildcard = runtime.create(RequestBuilder.of("app:1").port("0.0.0.0", 8080, 80).build());
    String specific =
        runtime.create(RequestBuilder.of("app:1").port("127.0.0.1", 8080, 80).build());
    runtime.start(wildcard);

    assertThatThrownBy(() -> runtime.start(specific))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED));
  }

  @Test
  void unnamedContainersGetAGeneratedUniqueName() {
    runtime.addImage("app:1");
    String a = runtime.create(RequestBuilder.of("app:1").build());
    String b = runtime.create(RequestBuilder.of("app:1").build());

    assertThat(info(a).name()).isNotEmpty().isNotEqualTo(info(b).name());
  }

  @Test
  void idsAreTheSameInEveryRun() {
    FakeRuntime other = new FakeRuntime(clock).addImage("app:1");
    runtime.addImage("app:1");

    assertThat(runtime.create(RequestBuilder.of("app:1").build()))
        .isEqualTo(other.create(RequestBuilder.of("app:1").build()))
        .hasSize(64);
  }

  @Test
  void closedRuntimeFailsAsUnavailable() {
    runtime.close();

    assertThatThrownBy(() -> runtime.list(Map.of()))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.UNAVAILABLE));
  }

  @Test
  void onTheSystemClockTransitionsHappenWithoutAnyCall() throws InterruptedException {
    try (FakeRuntime live = FakeRuntime.onSystemClock()) {
      live.behave("app:1", ImageBehaviour.exitsAfter(Duration.ofMillis(50), 0)).addImage("app:1");
      CountDownLatch died = new CountDownLatch(1);
      List<String> threads = new CopyOnWriteArrayList<>();
      live.events(
          event -> {
            if (event.action().equals("die")) {
              threads.add(Thread.currentThread().getName());
              died.countDown();
            }
          });
      String id = live.create(RequestBuilder.of("app:1").build());
      live.start(id);

      assertThat(died.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(threads).containsExactly("fake-runtime-ticker");
      assertThat(live.inspect(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    }
  }
}
