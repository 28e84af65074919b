package dev.lain.controller;

import dev.lain.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every LAIN controller runs, written once: keys come in ({@link #enqueue} from watches
 * and events, {@link #enqueueAfter}, a periodic resync), workers take them from a {@link WorkQueue}
 * and call the {@link Reconciler}; a failed sync is retried with back-off, a successful one ends
 * the key's failure streak and may ask to be looked at again later.
 *
 * <pre>
 * watch / event ──enqueue──┐
 * enqueueAfter ────────────┼─► WorkQueue ──take──► worker: sync(key) ──done──┐
 * resync (every period) ───┘        ▲                   │                    │
 *                                   │   Done: forget back-off                │
 *                                   ├── RequeueAfter(d): addAfter(key, d) ◄──┤
 *                                   └── throws: addRateLimited(key) ◄────────┘
 * </pre>
 *
 * <p>A failure is logged once per streak (the first; the rest at debug), so an unreachable store
 * does not fill the log; failures of an expected type ({@link StoreException} unless more are
 * given) are logged without a stack trace. {@link #close()} may be called from anywhere, also from
 * inside a sync.
 *
 * @param <K> what names one piece of work: values with {@code equals} and {@code hashCode}
 */
public final class Controller<K> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  private final String name;
  private final Reconciler<K> reconciler;
  private final WorkQueue<K> queue;
  private final Scheduler scheduler;
  private final Runnable closeScheduler;
  private final Optional<Resync<K>> resync;
  private final Duration closeTimeout;
  private final Predicate<Exception> expected;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile Scheduler.Cancellable resyncTimer = () -> {};

  private record Resync<K>(Duration every, Supplier<? extends Collection<? extends K>> keys) {}

  private Controller(Builder<K> builder) {
    this.name = builder.name;
    this.reconciler = builder.reconciler;
    if (builder.scheduler.isPresent()) {
      this.scheduler = builder.scheduler.get();
      this.closeScheduler = () -> {};
    } else {
      ExecutorScheduler own = ExecutorScheduler.start(name + " timer");
      this.scheduler = own;
      this.closeScheduler = own::close;
    }
    this.queue = new WorkQueue<>(builder.backoff, scheduler);
    this.resync = builder.resync;
    this.closeTimeout = builder.closeTimeout;
    List<Class<? extends Exception>> quiet = List.copyOf(builder.expected);
    this.expected = e -> quiet.stream().anyMatch(type -> type.isInstance(e));
    for (int i = 1; i <= builder.workers; i++) {
      String threadName = builder.workers == 1 ? name : name + " worker " + i;
      workers.add(Thread.ofPlatform().name(threadName).unstarted(this::work));
    }
  }

  /**
   * A controller named {@code name} (its threads and log lines carry it) calling {@code reconciler}
   * for each key.
   */
  public static <K> Builder<K> builder(String name, Reconciler<K> reconciler) {
    return new Builder<>(name, reconciler);
  }

  public String name() {
    return name;
  }

  /** Has {@code key} synced soon, once however often it is enqueued before a worker takes it. */
  public void enqueue(K key) {
    queue.add(key);
  }

  /**
   * Has {@code key} synced once {@code delay} is up; a key already queued or due earlier is not
   * delayed further (so a burst of calls with the same delay becomes one sync).
   */
  public void enqueueAfter(K key, Duration delay) {
    queue.addAfter(key, delay);
  }

  /**
   * Stops taking work, waits up to the close timeout for running syncs to return, and returns;
   * syncs still running then are interrupted. From inside a sync it does not wait for that sync
   * (its own), only for the other workers'. Enqueueing after close does nothing. Idempotent.
   */
  @Override
  public void close() {
    if (closing.compareAndSet(false, true)) {
      queue.shutDown();
      resyncTimer.cancel();
      closeScheduler.run();
    }
    Thread self = Thread.currentThread();
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    List<Thread> others = workers.stream().filter(w -> w != self).toList();
    try {
      for (Thread worker : others) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          worker.join(Duration.ofNanos(left));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Thread> stuck = others.stream().filter(Thread::isAlive).toList();
    if (!stuck.isEmpty()) {
      log.warn(
          "{}: {} sync(s) still running {} ms after close; interrupting them",
          name,
          stuck.size(),
          closeTimeout.toMillis());
      stuck.forEach(Thread::interrupt);
    }
  }

  /**
   * Starts the workers and queues the resync keys. Separate from {@link Builder#build()} so that
   * whoever owns the controller can keep it in a field before the first sync runs (a sync usually
   * enqueues through it).
   */
  public Controller<K> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException(name + " is already started");
    }
    if (closing.get()) {
      return this;
    }
    resync.ifPresent(
        r -> {
          enqueueAll(r);
          scheduleResync(r);
        });
    workers.forEach(Thread::start);
    return this;
  }

  private void scheduleResync(Resync<K> r) {
    Scheduler.Cancellable next = scheduler.schedule(r.every(), () -> resync(r));
    resyncTimer = next;
    // close() may have read the previous timer just before this one was written.
    if (closing.get()) {
      next.cancel();
    }
  }

  private void resync(Resync<K> r) {
    if (closing.get()) {
      return;
    }
    try {
      enqueueAll(r);
    } finally {
      scheduleResync(r);
    }
  }

  private void enqueueAll(Resync<K> r) {
    Collection<? extends K> keys;
    try {
      keys = r.keys().get();
    } catch (RuntimeException e) {
      log.error("{}: cannot list the keys to resync", name, e);
      return;
    }
    for (K key : keys) {
      // A failing key already waits for its retry: resyncing it would cut its back-off short.
      if (queue.failures(key) == 0) {
        queue.add(key);
      }
    }
  }

  private void work() {
    while (true) {
      Optional<K> next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        if (closing.get()) {
          return;
        }
        continue;
      }
      if (next.isEmpty()) {
        return;
      }
      K key = next.get();
      try {
        process(key);
      } finally {
        queue.done(key);
      }
    }
  }

  private void process(K key) {
    Result result;
    try {
      result = reconciler.sync(key);
    } catch (InterruptedException e) {
      if (closing.get()) {
        // Interrupted by close(): the key is dropped with the rest of the queue.
        return;
      }
      failed(key, e);
      return;
    } catch (Exception e) {
      failed(key, e);
      return;
    }
    int streak = queue.failures(key);
    if (streak > 0) {
      queue.forget(key);
      log.info("{}: synced {} again after {} failed attempt(s)", name, key, streak);
    }
    switch (result) {
      case Result.Done done -> {}
      case Result.RequeueAfter requeue -> queue.addAfter(key, requeue.delay());
    }
  }

  private void failed(K key, Exception e) {
    boolean first = queue.failures(key) == 0;
    Duration wait = queue.addRateLimited(key);
    if (!first) {
      log.debug(
          "{}: sync of {} failed again, retrying in {} ms: {}",
          name,
          key,
          wait.toMillis(),
          e.toString());
    } else if (expected.test(e)) {
      log.warn(
          "{}: sync of {} failed, retrying with back-off (first in {} ms): {}",
          name,
          key,
          wait.toMillis(),
          e.getMessage());
    } else {
      log.error(
          "{}: sync of {} failed, retrying with back-off (first in {} ms)",
          name,
          key,
          wait.toMillis(),
          e);
    }
  }

  /** How a controller runs; {@link #build()} makes it. */
  public static final class Builder<K> {
    private final String name;
    private final Reconciler<K> reconciler;
    private int workers = 1;
    private Optional<Resync<K>> resync = Optional.empty();
    private Backoff backoff = Backoff.DEFAULT;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private final List<Class<? extends Exception>> expected = new ArrayList<>();
    private Optional<Scheduler> scheduler = Optional.empty();

    private Builder(String name, Reconciler<K> reconciler) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a controller needs a name");
      }
      this.name = name;
      this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
      expected.add(StoreException.class);
    }

    /**
     * How many keys may sync at once (default 1); more when a sync may block, as a health probe
     * does up to its timeout. One key never syncs on two workers at once.
     */
    public Builder<K> workers(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("a controller needs at least one worker: " + count);
      }
      this.workers = count;
      return this;
    }

    /** Queues {@code key} at start and every {@code every} after, changed or not. */
    public Builder<K> resync(Duration every, K key) {
      Objects.requireNonNull(key, "key");
      List<K> keys = List.of(key);
      return resync(every, () -> keys);
    }

    /**
     * Queues the keys {@code keys} names at start and every {@code every} after, changed or not; a
     * key in a failure streak is left to its back-off. {@code keys} runs on the timer thread and
     * must not block (list a cache, not the store).
     */
    public Builder<K> resync(Duration every, Supplier<? extends Collection<? extends K>> keys) {
      Objects.requireNonNull(every, "every");
      Objects.requireNonNull(keys, "keys");
      if (!every.isPositive()) {
        throw new IllegalArgumentException("resync period must be positive: " + every);
      }
      this.resync = Optional.of(new Resync<>(every, keys));
      return this;
    }

    /** The waits between tries of a failing key (default {@link Backoff#DEFAULT}). */
    public Builder<K> backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** How long {@link Controller#close()} waits for running syncs (default 30 s). */
    public Builder<K> closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("close timeout must not be negative: " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    /**
     * Failures of {@code type} are expected (a runtime that is restarting, as {@link
     * StoreException} is for the store) and logged without a stack trace.
     */
    public Builder<K> expected(Class<? extends Exception> type) {
      expected.add(Objects.requireNonNull(type, "type"));
      return this;
    }

    /** The source of time (default: the system's, on a thread of this controller's own). */
    public Builder<K> scheduler(Scheduler scheduler) {
      this.scheduler = Optional.of(Objects.requireNonNull(scheduler, "scheduler"));
      return this;
    }

    /** The controller, not started yet ({@link Controller#start()}). */
    public Controller<K> build() {
      return new Controller<>(this);
    }
  }
}
