package dev.lain.deployd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroups;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.Lease;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An engine writes only while it holds its leadership fence. */
class EngineFencingTest {
  static final String WORKER = "hello.worker.worker";
  static final String FENCE_KEY = DeploydKeys.LEADER + "/test-candidate";

  Store store;
  DeploydState state;
  Engine engine;
  final AtomicInteger fencedOut = new AtomicInteger();

  @BeforeEach
  void twoLiveNodes() {
    store = new MemoryStore();
    state = new DeploydState(store);
    Lease lease = store.grantLease(Duration.ofMinutes(5));
    for (int n = 1; n <= 2; n++) {
      state.registerNode(
          new NodeInfo(
              "node" + n,
              "127.0.1." + n,
              22,
              new Resources(1L << 30, 4000),
              Map.of("group", "default")));
      state.heartbeat("node" + n, "127.0.1." + n, lease.id());
    }
  }

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    store.close();
  }

  private void startEngine(Fence fence) {
    engine =
        Engine.start(
            store,
            fence,
            fencedOut::incrementAndGet,
            new EngineSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 3),
            InstantSource.system(),
            Duration.ofMillis(100));
  }

  private static PodGroupSpec worker(int instances) {
    return new PodGroupSpec(
        WORKER,
        "hello",
        1,
        ContainerSpec.of("registry/hello:v1"),
        instances,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        new HealthCheck.None(),
        Duration.ZERO,
        Duration.ofSeconds(10));
  }

  @Test
  void anEngineWhoseFenceIsGoneWritesNothingAndSaysSoOnce() {
    startEngine(Fence.take(store, FENCE_KEY, "me"));
    state.createPodGroup(PodGroupRecord.deployed(worker(1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> state.snapshot().assignments().size() == 1);

    // The candidacy vanishes, as with a lease that ran out while the master was paused.
    store.delete(FENCE_KEY);
    List<String> engineWrites = new CopyOnWriteArrayList<>();
    Watch watch = store.watch(DeploydKeys.DEPLOYD, store.revision() + 1, recorder(engineWrites));
    try {
      new PodGroups(state).resize(WORKER, PodGroups.Resize.instances(2));

      await().atMost(Duration.ofSeconds(10)).until(() -> fencedOut.get() == 1);
      // It had work to do and would have written it; it stopped instead, for good.
      engine.wake();
      await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    } finally {
      watch.close();
    }
    assertThat(engineWrites).isEmpty();
    assertThat(state.snapshot().assignments()).hasSize(1);
    assertThat(fencedOut.get()).isEqualTo(1);
  }

  @Test
  void anEngineWritesWhileItsFenceHolds() {
    startEngine(Fence.take(store, FENCE_KEY, "me"));
    state.createPodGroup(PodGroupRecord.deployed(worker(1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> state.snapshot().assignments().size() == 1);

    new PodGroups(state).resize(WORKER, PodGroups.Resize.instances(2));

    await().atMost(Duration.ofSeconds(10)).until(() -> state.snapshot().assignments().size() == 2);
    assertThat(fencedOut.get()).isZero();
  }

  /** Records writes to what only the engine writes: assignments, conditions, its status. */
  private static WatchListener recorder(List<String> writes) {
    return new WatchListener() {
      @Override
      public void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
          if (e.key().startsWith(DeploydKeys.ASSIGNMENTS)
              || e.key().startsWith(DeploydKeys.POD_GROUP_CONDITIONS)
              || e.key().equals(DeploydKeys.ENGINE)) {
            writes.add(e.key());
          }
        }
      }

      @Override
      public void onCompacted(long compactRevision) {}

      @Override
      public void onClosed(StoreException cause) {}
    };
  }
}
