package dev.lain.runtime;

import dev.lain.model.network.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * An in-memory {@link ContainerRuntime} for tests and simulations that behaves like Docker where
 * the agent can tell: names are unique, published ports conflict, missing images fail, containers
 * exit, get OOM-killed and change health, and every change is announced with Docker's event words.
 *
 * <p>What a container does once started is scripted per image with {@link #behave}; an image that
 * is present but not scripted runs forever. Images are present after {@link #addImage}, or after a
 * {@link #pull} of an image put in the fake registry with {@link #addToRegistry}.
 *
 * <h2>Time</h2>
 *
 * The runtime reads the {@link InstantSource} given to it. Every call first applies the transitions
 * due by the clock's current instant (in the order they fell due, each stamped with its own due
 * time), so the state a test sees is exact. {@link #tick()} does only that, for a test that moved
 * its fake clock and wants the events. {@link #onSystemClock()} additionally runs a ticker thread
 * that applies each transition when it falls due, for simulations on real time.
 *
 * <h2>Events</h2>
 *
 * Events are delivered in order, one at a time, on the thread whose call (or tick) caused them,
 * before that call returns; on fake time this makes event-driven tests deterministic. A listener
 * may call back into the runtime; events that call causes are delivered after the current one.
 *
 * <h2>Assertions</h2>
 *
 * {@link #calls()} records every interface call in order; {@link #starts(String)} counts the starts
 * of a container. {@link #exit}, {@link #oomKill} and {@link #setHealth} change a running container
 * from outside, as a crash or a failing dependency would; {@link #setAvailable} makes the engine
 * unreachable. {@link #print} and {@link #printError} are a running container writing output, which
 * {@link #logs} serves (a follower is woken by the call that wrote, stopped or removed).
 */
public final class FakeRuntime implements ContainerRuntime {

  /** Docker's exit code for a process killed by SIGKILL (OOM killer, forced removal). */
  private static final int EXIT_KILLED = 137;

  /** A process stopped by SIGTERM, as with init every process is on {@code docker stop}. */
  private static final int EXIT_TERMINATED = 143;

  /** Docker's exit code for a container whose process could not be started. */
  private static final int EXIT_CANNOT_START = 127;

  /** Docker's exit code for a container whose start failed in the engine (e.g. port in use). */
  private static final int EXIT_ENGINE_FAILURE = 128;

  private static final long MIN_MEMORY_BYTES = 6L << 20;

  /** Bounds the call record of long simulations; tests never come near it. */
  static final int MAX_RECORDED_CALLS = 100_000;

  private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantLock deliveryLock = new ReentrantLock();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  // Guarded by lock.
  private final Map<String, FakeContainer> containers = new LinkedHashMap<>();
  private final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
  private final Map<String, ImageBehaviour> behaviours = new HashMap<>();
  private final Set<String> images = new HashSet<>();
  private final Map<String, Optional<RuntimeFailure>> registry = new HashMap<>();
  private final Map<String, Integer> startsById = new HashMap<>();
  private final Map<String, Integer> startsByName = new HashMap<>();
  private final Deque<Call> calls = new ArrayDeque<>();
  private final PriorityQueue<Due> dues =
      new PriorityQueue<>(
          Comparator.comparing(Due::at)
              .thenComparingLong(Due::order)
              .thenComparing(due -> !due.health()));
  private final Deque<ContainerEvent> pending = new ArrayDeque<>();
  private long sequence;
  private boolean available = true;
  private boolean closed;
  private final Optional<Thread> ticker;

  /**
   * A runtime on {@code clock}, typically a fake clock the test advances. Transitions are applied
   * whenever the runtime is called or {@link #tick()}ed, never by themselves.
   */
  public FakeRuntime(InstantSource clock) {
    this(clock, false);
  }

  private FakeRuntime(InstantSource clock, boolean selfTicking) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker =
        selfTicking
            ? Optional.of(
                Thread.ofPlatform()
                    .name("fake-runtime-ticker")
                    .daemon()
                    .start(this::tickUntilClosed))
            : Optional.empty();
  }

  /**
   * A runtime on the system clock whose containers change by themselves when their transitions fall
   * due (a ticker thread applies them and delivers their events), for simulations. Close it to stop
   * the thread.
   */
  public static FakeRuntime onSystemClock() {
    return new FakeRuntime(InstantSource.system(), true);
  }

  // ---- scripting --------------------------------------------------------------------------------

  /**
   * Scripts how containers of {@code image} behave; they keep the behaviour they were created with.
   */
  public FakeRuntime behave(String image, ImageBehaviour behaviour) {
    Objects.requireNonNull(behaviour, "behaviour");
    write(() -> behaviours.put(normalizeImage(image), behaviour));
    return this;
  }

  /** Makes {@code image} present locally, as if built or pulled before. */
  public FakeRuntime addImage(String image) {
    write(() -> images.add(normalizeImage(image)));
    return this;
  }

  /** Removes {@code image} from the local images (containers made from it keep running). */
  public FakeRuntime removeImage(String image) {
    write(() -> images.remove(normalizeImage(image)));
    return this;
  }

  /**
   * Puts {@code image} in the fake registry: a {@link #pull} of it succeeds and adds it locally.
   */
  public FakeRuntime addToRegistry(String image) {
    write(() -> registry.put(normalizeImage(image), Optional.empty()));
    return this;
  }

  /**
   * Makes every {@link #pull} of {@code image} fail with {@code code} and {@code message}. An image
   * that is neither in the registry nor failing fails with {@link
   * RuntimeFailure.Code#IMAGE_NOT_FOUND}.
   */
  public FakeRuntime failPulls(String image, RuntimeFailure.Code code, String message) {
    RuntimeFailure failure =
        new RuntimeFailure(code, "cannot pull " + image + ": " + Objects.requireNonNull(message));
    write(() -> registry.put(normalizeImage(image), Optional.of(failure)));
    return this;
  }

  /**
   * While not available every interface call fails with {@link RuntimeFailure.Code#UNAVAILABLE}, as
   * when dockerd is down; containers keep their state and transitions still fall due.
   */
  public void setAvailable(boolean available) {
    write(() -> this.available = available);
  }

  /** The running container {@code id} exits now with {@code exitCode}, as if its process ended. */
  public void exit(String id, int exitCode) {
    if (exitCode < 0 || exitCode > 255) {
      throw new IllegalArgumentException("exit code must be 0..255: " + exitCode);
    }
    mutate(
        () -> {
          FakeContainer container = running(id);
          container.exit(clock.instant(), exitCode, false);
          emit(container, "die");
        });
  }

  /** The running container {@code id} is OOM-killed now. */
  public void oomKill(String id) {
    mutate(
        () -> {
          FakeContainer container = running(id);
          emit(container, "oom");
          container.exit(clock.instant(), EXIT_KILLED, true);
          emit(container, "die");
        });
  }

  /**
   * The running container {@code id}'s health check says {@code health} from now on (replacing its
   * image's script), as when a dependency fails or recovers.
   */
  public void setHealth(String id, ContainerHealth health) {
    Objects.requireNonNull(health, "health");
    mutate(
        () -> {
          FakeContainer container = running(id);
          container.healthDue = Instant.MAX;
          if (container.health != health) {
            container.health = health;
            emit(container, "health_status");
          }
        });
  }

  /**
   * The running container {@code id} writes {@code lines} to its standard output, each stamped with
   * the clock's current instant; a follower of its {@link #logs} gets them at once.
   */
  public void print(String id, String... lines) {
    append(id, lines);
  }

  /** Like {@link #print}, on standard error (which {@link #logs} merges in the same order). */
  public void printError(String id, String... lines) {
    append(id, lines);
  }

  private void append(String id, String... lines) {
    for (String line : lines) {
      Objects.requireNonNull(line, "line");
    }
    mutate(
        () -> {
          FakeContainer container = running(id);
          Instant now = clock.instant();
          for (String line : lines) {
            for (String part : line.split("\n", -1)) {
              container.output.add(new OutputLine(now, part));
            }
          }
        });
  }

  /** Applies the transitions due by the clock's current instant and delivers their events. */
  public void tick() {
    mutate(() -> {});
  }

  // ---- assertions -------------------------------------------------------------------------------

  /** Every interface call so far (the last 100 000), in order, including calls that failed. */
  public List<Call> calls() {
    return read(() -> List.copyOf(calls));
  }

  /** The calls of one kind so far, in order. */
  public <T extends Call> List<T> calls(Class<T> kind) {
    return read(() -> calls.stream().filter(kind::isInstance).map(kind::cast).toList());
  }

  public void clearCalls() {
    write(calls::clear);
  }

  /** How often container {@code id} was started successfully (also after it was removed). */
  public int starts(String id) {
    return read(() -> startsById.getOrDefault(id, 0));
  }

  /** How often containers named {@code name} were started, over every container of that name. */
  public int startsByName(String name) {
    return read(() -> startsByName.getOrDefault(name, 0));
  }

  // ---- ContainerRuntime -------------------------------------------------------------------------

  @Override
  public String create(ContainerRequest request) {
    return mutate(
        new Call.Create(request),
        () -> {
          String image = normalizeImage(request.image());
          if (!images.contains(image)) {
            throw new RuntimeFailure(
                RuntimeFailure.Code.IMAGE_NOT_FOUND, "no such image: " + request.image());
          }
          validate(request);
          Map<String, String> addresses = new HashMap<>();
          if (request.network().isPresent()) {
            NetworkInfo network = networks.get(request.network().get());
            if (network == null) {
              throw new RuntimeFailure(
                  RuntimeFailure.Code.REJECTED,
                  "network " + request.network().get() + " not found");
            }
            addresses.put(network.name(), freeAddress(network));
          }
          String id = nextId();
          String name = request.name().isEmpty() ? "fake_" + id.substring(0, 12) : request.name();
          for (FakeContainer other : containers.values()) {
            if (other.name.equals(name)) {
              throw new RuntimeFailure(
                  RuntimeFailure.Code.NAME_IN_USE,
                  "container name "
                      + name
                      + " is already in use by container "
                      + other.id
                      + ": remove or rename that container");
            }
          }
          ImageBehaviour behaviour = behaviours.getOrDefault(image, ImageBehaviour.runsForever());
          FakeContainer container =
              new FakeContainer(id, sequence, name, request, behaviour, addresses);
          containers.put(id, container);
          emit(container, "create");
          return id;
        });
  }

  @Override
  public void start(String id) {
    perform(
        new Call.Start(id),
        () -> {
          FakeContainer container = existing(id);
          if (container.state == ContainerState.RUNNING) {
            return; // Docker answers 304 Not Modified: nothing to do.
          }
          if (container.behaviour.run() instanceof ImageBehaviour.Run.FailsToStart fails) {
            container.exitCode = EXIT_CANNOT_START;
            container.error = fails.message();
            throw new RuntimeFailure(
                RuntimeFailure.Code.REJECTED,
                "cannot start container " + container.name + ": " + fails.message());
          }
          Optional<ContainerRequest.PortBinding> port = container.request.port();
          if (port.isPresent()) {
            for (FakeContainer other : containers.values()) {
              if (other != container
                  && other.state == ContainerState.RUNNING
                  && other.request.port().filter(p -> conflict(p, port.get())).isPresent()) {
                String binding = port.get().hostIp() + ":" + port.get().hostPort();
                container.exitCode = EXIT_ENGINE_FAILURE;
                container.error = "Bind for " + binding + " failed: port is already allocated";
                throw new RuntimeFailure(
                    RuntimeFailure.Code.REJECTED,
                    "cannot start container "
                        + container.name
                        + ": Bind for "
                        + binding
                        + " failed: port is already allocated (by container "
                        + other.name
                        + ")");
              }
            }
          }
          container.start(clock.instant());
          schedule(container);
          startsById.merge(container.id, 1, Integer::sum);
          startsByName.merge(container.name, 1, Integer::sum);
          emit(container, "start");
        });
  }

  @Override
  public void stop(String id, int timeoutSeconds) {
    perform(
        new Call.Stop(id, timeoutSeconds),
        () -> {
          FakeContainer container = existing(id);
          if (container.state != ContainerState.RUNNING) {
            return; // Docker answers 304 Not Modified.
          }
          emit(container, "kill");
          container.exit(clock.instant(), EXIT_TERMINATED, false);
          emit(container, "die");
          emit(container, "stop");
        });
  }

  @Override
  public void remove(String id) {
    perform(
        new Call.Remove(id),
        () -> {
          Optional<FakeContainer> found = find(id);
          if (found.isEmpty()) {
            return;
          }
          FakeContainer container = found.get();
          if (container.state == ContainerState.RUNNING) {
            emit(container, "kill");
            container.exit(clock.instant(), EXIT_KILLED, false);
            emit(container, "die");
          }
          containers.remove(container.id);
          emit(container, "destroy");
        });
  }

  @Override
  public Optional<ContainerInfo> inspect(String id) {
    return mutate(new Call.Inspect(id), () -> find(id).map(FakeContainer::info));
  }

  @Override
  public List<ContainerInfo> list(Map<String, String> labels) {
    Map<String, String> wanted = Map.copyOf(labels);
    return mutate(
        new Call.ListByLabels(wanted),
        () ->
            containers.values().stream()
                .filter(c -> c.request.labels().entrySet().containsAll(wanted.entrySet()))
                .map(FakeContainer::info)
                .toList());
  }

  /** What the fake answers to {@link #version()} while available. */
  @Override
  public NetworkInfo ensureNetwork(NetworkSpec spec) {
    return mutate(
        new Call.EnsureNetwork(spec),
        () -> {
          NetworkInfo existing = networks.get(spec.name());
          if (existing != null) {
            if (!existing.matches(spec)) {
              throw new RuntimeFailure(RuntimeFailure.Code.REJECTED, existing.mismatch(spec));
            }
            return existing;
          }
          for (NetworkInfo other : networks.values()) {
            if (other.subnet().equals(spec.subnet())) {
              throw new RuntimeFailure(
                  RuntimeFailure.Code.REJECTED,
                  "Pool overlaps with other one on this address space (" + other.name() + ")");
            }
          }
          NetworkInfo created =
              new NetworkInfo(
                  nextId(),
                  spec.name(),
                  spec.subnet(),
                  spec.gateway(),
                  spec.bridge(),
                  spec.mtu(),
                  spec.labels());
          networks.put(spec.name(), created);
          return created;
        });
  }

  @Override
  public Optional<NetworkInfo> network(String name) {
    return mutate(new Call.Network(name), () -> Optional.ofNullable(networks.get(name)));
  }

  @Override
  public void removeNetwork(String name) {
    perform(
        new Call.RemoveNetwork(name),
        () -> {
          boolean inUse = containers.values().stream().anyMatch(c -> c.addresses.containsKey(name));
          if (inUse) {
            throw new RuntimeFailure(
                RuntimeFailure.Code.REJECTED,
                "error while removing network: " + name + " has active endpoints");
          }
          networks.remove(name);
        });
  }

  /** The lowest address of the network's subnet after its gateway that no container holds. */
  private String freeAddress(NetworkInfo network) {
    Cidr subnet = Cidr.parse(network.subnet());
    Set<String> held = new HashSet<>();
    containers.values().forEach(c -> held.addAll(c.addresses.values()));
    held.add(network.gateway());
    for (long n = 1; n < subnet.size() - 1; n++) {
      String address = subnet.address(n);
      if (!held.contains(address)) {
        return address;
      }
    }
    throw new RuntimeFailure(
        RuntimeFailure.Code.REJECTED, "no available IPv4 addresses on network " + network.name());
  }

  public static final String VERSION = "fake-1.0";

  @Override
  public String version() {
    return mutate(new Call.Version(), () -> VERSION);
  }

  @Override
  public boolean hasImage(String image) {
    return mutate(new Call.HasImage(image), () -> images.contains(normalizeImage(image)));
  }

  @Override
  public void pull(String image) {
    perform(
        new Call.Pull(image),
        () -> {
          String normalized = normalizeImage(image);
          Optional<RuntimeFailure> outcome =
              registry.getOrDefault(
                  normalized,
                  Optional.of(
                      new RuntimeFailure(
                          RuntimeFailure.Code.IMAGE_NOT_FOUND,
                          "cannot pull " + image + ": manifest unknown")));
          if (outcome.isPresent()) {
            RuntimeFailure failure = outcome.get();
            // A fresh exception per call, so each failure has the caller's stack trace.
            throw new RuntimeFailure(failure.code(), failure.getMessage());
          }
          images.add(normalized);
        });
  }

  @Override
  public InputStream logs(String id, LogOptions options) {
    Objects.requireNonNull(options, "options");
    return mutate(
        new Call.Logs(id, options),
        () -> {
          FakeContainer container = existing(id);
          int size = container.output.size();
          int first =
              options.tail() == LogOptions.ALL_LINES ? 0 : Math.max(0, size - options.tail());
          return new LogReader(
              container, first, options.follow() ? Integer.MAX_VALUE : size, options);
        });
  }

  @Override
  public Subscription events(EventListener listener) {
    Objects.requireNonNull(listener, "listener");
    Subscriber subscriber = new Subscriber(listener);
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** Ends every subscription and the ticker thread; later calls fail as unavailable. */
  @Override
  public void close() {
    write(
        () -> {
          closed = true;
          changed.signalAll();
        });
    subscribers.clear();
    ticker.ifPresent(
        thread -> {
          if (thread != Thread.currentThread()) {
            try {
              thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
  }

  @Override
  public String toString() {
    return "FakeRuntime(" + read(containers::size) + " containers)";
  }

  // ---- internals --------------------------------------------------------------------------------

  /** A call of a {@link ContainerRuntime} method, as {@link #calls()} records it. */
  public sealed interface Call {
    record Create(ContainerRequest request) implements Call {}

    record Start(String id) implements Call {}

    record Stop(String id, int timeoutSeconds) implements Call {}

    record Remove(String id) implements Call {}

    record Inspect(String id) implements Call {}

    record ListByLabels(Map<String, String> labels) implements Call {
      public ListByLabels {
        labels = Map.copyOf(labels);
      }
    }

    record Version() implements Call {}

    record HasImage(String image) implements Call {}

    record Pull(String image) implements Call {}

    record Logs(String id, LogOptions options) implements Call {}

    record EnsureNetwork(NetworkSpec spec) implements Call {}

    record Network(String name) implements Call {}

    record RemoveNetwork(String name) implements Call {}
  }

  private interface Action<T> {
    T run();
  }

  private void perform(Call call, Runnable action) {
    mutate(
        call,
        () -> {
          action.run();
          return true;
        });
  }

  private <T> T mutate(Call call, Action<T> action) {
    T result;
    lock.lock();
    try {
      if (calls.size() == MAX_RECORDED_CALLS) {
        calls.removeFirst();
      }
      calls.add(call);
      if (closed) {
        throw new RuntimeFailure(RuntimeFailure.Code.UNAVAILABLE, "the fake runtime is closed");
      }
      applyDueTransitions();
      if (!available) {
        throw new RuntimeFailure(
            RuntimeFailure.Code.UNAVAILABLE, "the container engine is not available");
      }
      result = action.run();
      changed.signalAll();
    } finally {
      lock.unlock();
      deliver();
    }
    return result;
  }

  private void mutate(Runnable action) {
    lock.lock();
    try {
      applyDueTransitions();
      action.run();
      changed.signalAll();
    } finally {
      lock.unlock();
      deliver();
    }
  }

  private void write(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  private <T> T read(Action<T> action) {
    lock.lock();
    try {
      return action.run();
    } finally {
      lock.unlock();
    }
  }

  /** Applies every transition due by now, earliest first; ties in creation order, health first. */
  private void applyDueTransitions() {
    Instant now = clock.instant();
    while (!dues.isEmpty() && !dues.peek().at().isAfter(now)) {
      Due due = dues.poll();
      if (!isCurrent(due)) {
        continue;
      }
      FakeContainer container = due.container();
      if (due.health()) {
        container.health = container.healthVerdict;
        container.healthDue = Instant.MAX;
        emit(container, "health_status");
        continue;
      }
      switch (container.behaviour.run()) {
        case ImageBehaviour.Run.Exits exits -> {
          container.exit(due.at(), exits.exitCode(), false);
          emit(container, "die");
        }
        case ImageBehaviour.Run.OomKilled oom -> {
          emit(container, "oom");
          container.exit(due.at(), EXIT_KILLED, true);
          emit(container, "die");
        }
        case ImageBehaviour.Run.Forever forever -> container.exitDue = Instant.MAX;
        case ImageBehaviour.Run.FailsToStart fails -> container.exitDue = Instant.MAX;
      }
    }
  }

  /** Queues the transitions a (re)started container has ahead. */
  private void schedule(FakeContainer container) {
    if (!container.exitDue.equals(Instant.MAX)) {
      dues.add(new Due(container.exitDue, container.order, container, false));
    }
    if (!container.healthDue.equals(Instant.MAX)) {
      dues.add(new Due(container.healthDue, container.order, container, true));
    }
  }

  /** A queued transition is stale once its container was removed, stopped or restarted. */
  private boolean isCurrent(Due due) {
    FakeContainer container = due.container();
    Instant current = due.health() ? container.healthDue : container.exitDue;
    return containers.get(container.id) == container && current.equals(due.at());
  }

  /** When the next transition falls due, dropping stale ones; {@link Instant#MAX} if none. */
  private Instant nextDue() {
    while (!dues.isEmpty() && !isCurrent(dues.peek())) {
      dues.poll();
    }
    return dues.isEmpty() ? Instant.MAX : dues.peek().at();
  }

  /** A transition of one container: its exit (or OOM kill), or its health verdict. */
  private record Due(Instant at, long order, FakeContainer container, boolean health) {}

  private void emit(FakeContainer container, String action) {
    pending.add(new ContainerEvent(container.id, action, container.request.labels()));
  }

  /** Delivers pending events in order; a listener's nested call leaves them to the outer loop. */
  private void deliver() {
    if (deliveryLock.isHeldByCurrentThread()) {
      return;
    }
    RuntimeException failure = null;
    deliveryLock.lock();
    try {
      while (true) {
        ContainerEvent event = read(pending::poll);
        if (event == null) {
          break;
        }
        for (Subscriber subscriber : subscribers) {
          try {
            subscriber.listener.onEvent(event);
          } catch (RuntimeException e) {
            if (failure == null) {
              failure = e;
            } else {
              failure.addSuppressed(e);
            }
          }
        }
      }
    } finally {
      deliveryLock.unlock();
    }
    if (failure != null) {
      throw new IllegalStateException("an event listener failed", failure);
    }
  }

  private void tickUntilClosed() {
    while (true) {
      lock.lock();
      try {
        while (!closed) {
          Instant next = nextDue();
          if (next.equals(Instant.MAX)) {
            changed.await();
            continue;
          }
          long waitNanos = Duration.between(clock.instant(), next).toNanos();
          if (waitNanos <= 0) {
            break;
          }
          changed.awaitNanos(waitNanos);
        }
        if (closed) {
          return;
        }
        applyDueTransitions();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        deliver();
      } catch (IllegalStateException e) {
        // No caller to hand a listener's failure to; keep simulating.
        System.err.println("fake runtime: " + e + ": " + e.getCause());
      }
    }
  }

  private void validate(ContainerRequest request) {
    if (!request.name().isEmpty() && !VALID_NAME.matcher(request.name()).matches()) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.REJECTED,
          "invalid container name "
              + request.name()
              + ": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    if (request.memoryBytes() < 0
        || (request.memoryBytes() > 0 && request.memoryBytes() < MIN_MEMORY_BYTES)) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.REJECTED,
          "cannot create container "
              + request.name()
              + ": Minimum memory limit allowed is 6MB (asked for "
              + request.memoryBytes()
              + " bytes)");
    }
    if (request.cpuQuotaMicros() < 0
        || (request.cpuQuotaMicros() > 0 && request.cpuQuotaMicros() < 1000)) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.REJECTED,
          "cannot create container "
              + request.name()
              + ": CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }
    if (request.cpuPeriodMicros() != 0
        && (request.cpuPeriodMicros() < 1000 || request.cpuPeriodMicros() > 1_000_000)) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.REJECTED,
          "cannot create container "
              + request.name()
              + ": CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s");
    }
    for (ContainerRequest.Bind bind : request.binds()) {
      if (!bind.hostPath().startsWith("/") || !bind.containerPath().startsWith("/")) {
        throw new RuntimeFailure(
            RuntimeFailure.Code.REJECTED,
            "cannot create container "
                + request.name()
                + ": bind paths must be absolute: "
                + bind.hostPath()
                + ":"
                + bind.containerPath());
      }
    }
  }

  /** Two bindings collide on the same port when their addresses are equal or one is a wildcard. */
  private static boolean conflict(ContainerRequest.PortBinding a, ContainerRequest.PortBinding b) {
    return a.hostPort() == b.hostPort()
        && (a.hostIp().equals(b.hostIp()) || isWildcard(a.hostIp()) || isWildcard(b.hostIp()));
  }

  private static boolean isWildcard(String hostIp) {
    return hostIp.isEmpty() || hostIp.equals("0.0.0.0");
  }

  private FakeContainer existing(String id) {
    return find(id)
        .orElseThrow(
            () -> new RuntimeFailure(RuntimeFailure.Code.NOT_FOUND, "no such container: " + id));
  }

  private FakeContainer running(String id) {
    FakeContainer container = existing(id);
    if (container.state != ContainerState.RUNNING) {
      throw new IllegalStateException("container " + container.name + " is not running");
    }
    return container;
  }

  /**
   * Like Docker: by full id, by name (with or without the leading slash), or by unique id prefix.
   */
  private Optional<FakeContainer> find(String idOrName) {
    FakeContainer byId = containers.get(idOrName);
    if (byId != null) {
      return Optional.of(byId);
    }
    String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    for (FakeContainer container : containers.values()) {
      if (container.name.equals(name)) {
        return Optional.of(container);
      }
    }
    if (idOrName.isEmpty()) {
      return Optional.empty();
    }
    List<FakeContainer> prefixed =
        containers.values().stream().filter(c -> c.id.startsWith(idOrName)).toList();
    return prefixed.size() == 1 ? Optional.of(prefixed.getFirst()) : Optional.empty();
  }

  /** Docker-like 64-hex ids, the same in every run. */
  private String nextId() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha256.digest(("fake-container-" + (++sequence)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code app} and {@code app:latest} name the same image, as in Docker. */
  static String normalizeImage(String image) {
    Objects.requireNonNull(image, "image");
    if (image.contains("@")) {
      return image;
    }
    int slash = image.lastIndexOf('/');
    return image.indexOf(':', slash + 1) >= 0 ? image : image + ":latest";
  }

  /** One line a container wrote, without its newline. */
  private record OutputLine(Instant at, String text) {}

  /** Docker's {@code RFC3339Nano} with all nine digits, as {@code docker logs -t} prints. */
  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * A reader of one container's output, from line {@code next} up to (not including) line {@code
   * end}; a follower waits on the runtime's condition for new lines until the container stops.
   */
  private final class LogReader extends InputStream {
    private final FakeContainer container;
    private final int end;
    private final LogOptions options;
    private int next;
    private byte[] current = new byte[0];
    private int offset;
    // Guarded by the runtime's lock.
    private boolean closedStream;

    LogReader(FakeContainer container, int next, int end, LogOptions options) {
      this.container = container;
      this.next = next;
      this.end = end;
      this.options = options;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, buffer.length);
      if (len == 0) {
        return 0;
      }
      if (offset == current.length && !nextLine()) {
        return -1;
      }
      int n = Math.min(len, current.length - offset);
      System.arraycopy(current, offset, buffer, off, n);
      offset += n;
      return n;
    }

    /** Waits for the next line; false at the end of the stream. */
    private boolean nextLine() throws IOException {
      lock.lock();
      try {
        while (true) {
          if (closedStream || closed) {
            return false;
          }
          if (next < end && next < container.output.size()) {
            OutputLine line = container.output.get(next++);
            String text =
                options.timestamps()
                    ? LOG_TIME.format(line.at()) + " " + line.text() + "\n"
                    : line.text() + "\n";
            current = text.getBytes(StandardCharsets.UTF_8);
            offset = 0;
            return true;
          }
          boolean gone = containers.get(container.id) != container;
          if (!options.follow() || gone || container.state != ContainerState.RUNNING) {
            return false;
          }
          changed.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while following " + container.name);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        closedStream = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** A class, not a record: the same listener may subscribe twice and unsubscribe once. */
  private static final class Subscriber {
    final EventListener listener;

    Subscriber(EventListener listener) {
      this.listener = listener;
    }
  }

  /** One container's state; guarded by the runtime's lock. */
  private static final class FakeContainer {
    final String id;
    final long order;
    final String name;
    final ContainerRequest request;
    final ImageBehaviour behaviour;
    final Map<String, String> addresses;
    ContainerState state = ContainerState.CREATED;
    int exitCode;
    boolean oomKilled;
    ContainerHealth health = ContainerHealth.NONE;
    Instant startedAt = Instant.EPOCH;
    Instant finishedAt = Instant.EPOCH;
    String error = "";
    Instant exitDue = Instant.MAX;
    Instant healthDue = Instant.MAX;
    ContainerHealth healthVerdict = ContainerHealth.NONE;

    /** Everything it wrote, over all its runs, as Docker keeps a container's log until removal. */
    final List<OutputLine> output = new ArrayList<>();

    FakeContainer(
        String id,
        long order,
        String name,
        ContainerRequest request,
        ImageBehaviour behaviour,
        Map<String, String> addresses) {
      this.id = id;
      this.addresses = Map.copyOf(addresses);
      this.order = order;
      this.name = name;
      this.request = request;
      this.behaviour = behaviour;
    }

    void start(Instant now) {
      state = ContainerState.RUNNING;
      startedAt = now;
      exitCode = 0;
      oomKilled = false;
      error = "";
      exitDue =
          switch (behaviour.run()) {
            case ImageBehaviour.Run.Exits exits -> now.plus(exits.after());
            case ImageBehaviour.Run.OomKilled oom -> now.plus(oom.after());
            case ImageBehaviour.Run.Forever forever -> Instant.MAX;
            case ImageBehaviour.Run.FailsToStart fails -> Instant.MAX;
          };
      healthDue = Instant.MAX;
      health = ContainerHealth.NONE;
      switch (behaviour.health()) {
        case ImageBehaviour.Health.After after -> {
          health = ContainerHealth.STARTING;
          healthVerdict = after.verdict();
          healthDue = now.plus(after.after());
        }
        case ImageBehaviour.Health.ByCheck byCheck ->
            request
                .healthCheck()
                .ifPresent(
                    check -> {
                      health = ContainerHealth.STARTING;
                      Duration interval = Duration.ofSeconds(check.intervalSeconds());
                      if (byCheck.passes()) {
                        healthVerdict = ContainerHealth.HEALTHY;
                        healthDue = now.plus(interval);
                      } else {
                        healthVerdict = ContainerHealth.UNHEALTHY;
                        healthDue = now.plus(interval.multipliedBy(check.retries()));
                      }
                    });
      }
    }

    /** Docker reports a stopped container with a health check as unhealthy. */
    void exit(Instant at, int code, boolean oom) {
      state = ContainerState.EXITED;
      exitCode = code;
      oomKilled = oom;
      finishedAt = at;
      exitDue = Instant.MAX;
      healthDue = Instant.MAX;
      if (health != ContainerHealth.NONE) {
        health = ContainerHealth.UNHEALTHY;
      }
    }

    ContainerInfo info() {
      return new ContainerInfo(
          id,
          name,
          request.image(),
          request.labels(),
          state,
          exitCode,
          oomKilled,
          health,
          startedAt,
          finishedAt,
          request.port().stream().toList(),
          error,
          addresses);
    }
  }
}
