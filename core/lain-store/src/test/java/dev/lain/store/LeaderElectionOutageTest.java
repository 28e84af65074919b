package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A leader that cannot reach the store long enough to presume its lease lost steps down; when the
 * store is back before the lease ended, it leads again with the same candidacy (the same fence)
 * rather than queueing behind the others.
 */
class LeaderElectionOutageTest {
  static final Duration TTL = Duration.ofSeconds(3);
  static final String NAME = "/lain/test/leader";

  /** Records each change of leadership and the fence it came with. */
  static final class Events implements LeaderElection.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void elected(Fence fence) {
      events.add("elected " + fence);
    }

    @Override
    public void revoked() {
      events.add("revoked");
    }
  }

  final MemoryStore memory = new MemoryStore();
  final OutageStore store = new OutageStore(memory);
  final Events first = new Events();
  final Events second = new Events();
  LeaderElection one;
  LeaderElection two;

  /** "one" leads through the store that can go away, "two" waits in line on the same store. */
  @BeforeEach
  void twoCandidates() {
    one = LeaderElection.start(store, NAME, "one", TTL, first);
    await().atMost(Duration.ofSeconds(5)).until(one::isLeader);
    two = LeaderElection.start(memory, NAME, "two", TTL, second);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> memory.list(NAME + "/").entries().size() == 2);
  }

  @AfterEach
  void close() {
    one.close();
    two.close();
  }

  @Test
  void aLeaseThatOutlivedTheOutageKeepsTheLeadWithTheSameFence() {
    store.down(true);
    await().atMost(TTL.multipliedBy(2)).until(() -> first.events.contains("revoked"));
    store.down(false);

    await().atMost(Duration.ofSeconds(5)).until(one::isLeader);
    assertThat(first.events).hasSize(3);
    assertThat(first.events.get(2)).isEqualTo(first.events.get(0));
    assertThat(second.events).isEmpty();
    assertThat(LeaderElection.currentLeader(memory, NAME)).contains("one");
  }

  @Test
  void anOutageLongerThanTheLeaseHandsTheLeadOn() {
    store.down(true);
    await().atMost(TTL.multipliedBy(3)).until(two::isLeader);
    store.down(false);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> memory.list(NAME + "/").entries().size() == 2);
    assertThat(one.isLeader()).isFalse();
    assertThat(LeaderElection.currentLeader(memory, NAME)).contains("two");
  }
}
