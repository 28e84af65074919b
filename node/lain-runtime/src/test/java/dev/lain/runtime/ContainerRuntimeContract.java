package dev.lain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.model.network.Cidr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ContainerRuntime} must have, as the node agent relies on it. Each
 * implementation's module subclasses this once and says how to get containers that behave as a
 * {@link Script} says: scripted images for {@link FakeRuntime}, busybox commands for Docker.
 *
 * <p>Every container a test creates carries a label unique to the test and is removed after it, so
 * a shared engine is fine.
 */
public abstract class ContainerRuntimeContract {

  /** What a test container does. */
  protected enum Script {
    /** Runs until stopped, and ends on SIGTERM. */
    RUNS_FOREVER,
    /** Exits by itself with code 3 within a second of starting. */
    EXITS_WITH_3,
    /** Allocates beyond its memory limit within a second and is OOM-killed. */
    OOM_KILLED,
    /** Runs until stopped; its health check passes (interval 1 s, 1 retry). */
    BECOMES_HEALTHY,
    /** Runs until stopped; its health check fails (interval 1 s, 1 retry). */
    NEVER_HEALTHY,
    /** The engine cannot start its process (no init; an entrypoint that does not exist). */
    CANNOT_START
  }

  /** A runtime for one test; closed after it. */
  protected abstract ContainerRuntime openRuntime();

  /** A request (image, command, health check, memory) for a container that behaves as said. */
  protected abstract RequestBuilder scripted(Script script);

  /** An image the runtime does not have and cannot pull. */
  protected abstract String missingImage();

  /**
   * Lets the runtime's time pass until {@code condition} holds; fails the test naming {@code what}
   * if it does not hold within {@code atMost} of that time.
   */
  protected abstract void awaitUntil(String what, Duration atMost, BooleanSupplier condition);

  /**
   * Makes the running container {@code id} write {@code line} (and a newline) to its standard
   * output, or its standard error, as its process would.
   */
  protected abstract void print(String id, String line, boolean toStderr);

  /** How long a scripted container may take to do what its script says. */
  protected Duration patience() {
    return Duration.ofSeconds(15);
  }

  private static final String RUN_LABEL = "dev.lain.test.run";
  private static final AtomicInteger NAMES = new AtomicInteger();

  protected ContainerRuntime runtime;
  protected String run;
  private final List<ContainerRuntime.Subscription> subscriptions = new ArrayList<>();

  @BeforeEach
  void openRuntimeForTest() {
    runtime = openRuntime();
    run = UUID.randomUUID().toString();
  }

  @AfterEach
  void removeContainersAndClose() {
    try {
      subscriptions.forEach(ContainerRuntime.Subscription::close);
      for (ContainerInfo container : runtime.list(Map.of(RUN_LABEL, run))) {
        runtime.remove(container.id());
      }
    } finally {
      runtime.close();
    }
  }

  /** A request for {@code script} with a fresh name and this test's label. */
  protected RequestBuilder request(Script script) {
    return scripted(script).name(uniqueName()).label(RUN_LABEL, run);
  }

  protected String uniqueName() {
    return "contract-"
        + run.substring(0, 8)
        + "-"
        + NAMES.incrementAndGet()
        + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff);
  }

  private String createAndStart(Script script) {
    String id = runtime.create(request(script).build());
    runtime.start(id);
    return id;
  }

  private ContainerInfo info(String id) {
    return runtime.inspect(id).orElseThrow(() -> new AssertionError("no container " + id));
  }

  private void awaitState(String id, ContainerState state) {
    awaitUntil("container " + id + " " + state, patience(), () -> info(id).state() == state);
  }

  private void awaitHealth(String id, ContainerHealth health) {
    awaitUntil("container " + id + " " + health, patience(), () -> info(id).health() == health);
  }

  /**
   * Creates a network of the test's own on a 10.215.x.0/24 nothing on this machine uses (the engine
   * refuses a subnet that overlaps one of its networks); its bridge and name carry {@code run}.
   */
  public static NetworkSpec freshNetwork(ContainerRuntime runtime, String run) {
    String name = "lain-test-" + run.substring(0, 8);
    String bridge = "lt-" + run.substring(0, 8);
    for (int attempt = 0; attempt < 20; attempt++) {
      int third = ThreadLocalRandom.current().nextInt(256);
      NetworkSpec spec =
          new NetworkSpec(
              name,
              "10.215." + third + ".0/24",
              "10.215." + third + ".1",
              bridge,
              1400,
              true,
              Map.of(RUN_LABEL, run));
      try {
        runtime.ensureNetwork(spec);
        return spec;
      } catch (RuntimeFailure e) {
        if (!e.getMessage().contains("overlap")) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("no free 10.215.x.0/24 for a test network");
  }

  @Test
  void containersOnANetworkGetTheirOwnAddressesInItsSubnet() {
    NetworkSpec spec = freshNetwork(runtime, run);
    try {
      assertThat(runtime.ensureNetwork(spec).id())
          .as("ensuring it again changes nothing")
          .isEqualTo(runtime.network(spec.name()).orElseThrow().id());
      String one = runtime.create(request(Script.RUNS_FOREVER).network(spec.name()).build());
      String two = runtime.create(request(Script.RUNS_FOREVER).network(spec.name()).build());
      runtime.start(one);
      runtime.start(two);
      Cidr subnet = Cidr.parse(spec.subnet());
      String first = info(one).addresses().get(spec.name());
      String second = info(two).addresses().get(spec.name());
      assertThat(List.of(first, second)).allMatch(subnet::contains).doesNotContain(spec.gateway());
      assertThat(first).isNotEqualTo(second);

      assertThatThrownBy(() -> runtime.removeNetwork(spec.name()))
          .as("a network in use stays")
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED));
      runtime.remove(one);
      runtime.remove(two);
    } finally {
      runtime.removeNetwork(spec.name());
    }
    assertThat(runtime.network(spec.name())).isEmpty();
    runtime.removeNetwork(spec.name());
  }

  @Test
  void aNetworkOfThatNameWithOtherAddressesIsRefusedNamingBoth() {
    NetworkSpec spec = freshNetwork(runtime, run);
    try {
      NetworkSpec other =
          new NetworkSpec(
              spec.name(), "10.216.0.0/24", "10.216.0.1", spec.bridge(), 1400, true, Map.of());
      assertThatThrownBy(() -> runtime.ensureNetwork(other))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED);
                assertThat(e.getMessage())
                    .contains("exists with subnet " + spec.subnet())
                    .contains("wanted 10.216.0.0/24");
              });
      // Refused at create or (Docker 28) at start: either way not taken for a missing container.
      assertThatThrownBy(
              () ->
                  runtime.start(
                      runtime.create(
                          request(Script.RUNS_FOREVER)
                              .network("lain-test-missing-" + run.substring(0, 8))
                              .build())))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              e -> {
                assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED);
                assertThat(e.getMessage()).contains("lain-test-missing-").contains("not found");
              });
    } finally {
      runtime.removeNetwork(spec.name());
    }
  }

  /**
   * A free port on a loopback address of its own (127.x.y.z), so tests of several runtimes, JVMs or
   * engineers on one machine do not collide.
   */
  protected static ContainerRequest.PortBinding freeLoopbackBinding(int containerPort) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 50; attempt++) {
      String ip =
          "127."
              + random.nextInt(100, 200)
              + "."
              + random.nextInt(1, 255)
              + "."
              + random.nextInt(2, 255);
      int port = random.nextInt(20000, 40000);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        return new ContainerRequest.PortBinding(ip, port, containerPort);
      } catch (IOException e) {
        // Taken: try another address.
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.0/8 after 50 attempts");
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  @Test
  void versionNamesTheEngine() {
    assertThat(runtime.version()).isNotBlank();
  }

  @Test
  void createdContainerIsReportedWithItsNameImageAndLabelsButDoesNotRun() {
    ContainerRequest request = request(Script.RUNS_FOREVER).label("lain.app", "hello").build();

    String id = runtime.create(request);

    ContainerInfo info = info(id);
    assertThat(info.id()).isEqualTo(id);
    assertThat(info.name()).isEqualTo(request.name());
    assertThat(info.image()).isEqualTo(request.image());
    assertThat(info.labels()).containsEntry("lain.app", "hello").containsEntry(RUN_LABEL, run);
    assertThat(info.state()).isEqualTo(ContainerState.CREATED);
    assertThat(info.exitCode()).isZero();
    assertThat(info.oomKilled()).isFalse();
    assertThat(info.health()).isEqualTo(ContainerHealth.NONE);
    assertThat(info.startedAt()).isEqualTo(Instant.EPOCH);
    assertThat(info.finishedAt()).isEqualTo(Instant.EPOCH);
    assertThat(info.error()).isEmpty();
  }

  @Test
  void startedContainerRunsWithAStartTime() {
    String id = createAndStart(Script.RUNS_FOREVER);

    ContainerInfo info = info(id);
    assertThat(info.state()).isEqualTo(ContainerState.RUNNING);
    assertThat(info.startedAt()).isAfter(Instant.EPOCH);
    assertThat(info.finishedAt()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void inspectFindsAContainerByNameToo() {
    ContainerRequest request = request(Script.RUNS_FOREVER).build();
    String id = runtime.create(request);

    assertThat(runtime.inspect(request.name())).map(ContainerInfo::id).contains(id);
  }

  @Test
  void stopEndsARunningContainerWithSigtermsExitCode() {
    String id = createAndStart(Script.RUNS_FOREVER);

    runtime.stop(id, 10);

    ContainerInfo info = info(id);
    assertThat(info.state()).isEqualTo(ContainerState.EXITED);
    assertThat(info.exitCode()).isEqualTo(143);
    assertThat(info.oomKilled()).isFalse();
    assertThat(info.finishedAt()).isAfterOrEqualTo(info.startedAt());
  }

  @Test
  void stoppingAStoppedContainerAndStartingARunningOneChangeNothing() {
    String created = runtime.create(request(Script.RUNS_FOREVER).build());
    runtime.stop(created, 1);
    assertThat(info(created).state()).isEqualTo(ContainerState.CREATED);

    String running = createAndStart(Script.RUNS_FOREVER);
    Instant startedAt = info(running).startedAt();
    runtime.start(running);
    assertThat(info(running).state()).isEqualTo(ContainerState.RUNNING);
    assertThat(info(running).startedAt()).isEqualTo(startedAt);
  }

  @Test
  void stoppedContainerStartsAgainWithItsExitCodeCleared() {
    String id = createAndStart(Script.RUNS_FOREVER);
    runtime.stop(id, 10);
    Instant firstFinish = info(id).finishedAt();

    runtime.start(id);

    ContainerInfo info = info(id);
    assertThat(info.state()).isEqualTo(ContainerState.RUNNING);
    assertThat(info.exitCode()).isZero();
    assertThat(info.startedAt()).isAfterOrEqualTo(firstFinish);
  }

  @Test
  void removeDeletesAContainerAndKillsItIfItRuns() {
    String stopped = runtime.create(request(Script.RUNS_FOREVER).build());
    String running = createAndStart(Script.RUNS_FOREVER);

    runtime.remove(stopped);
    runtime.remove(running);

    assertThat(runtime.inspect(stopped)).isEmpty();
    assertThat(runtime.inspect(running)).isEmpty();
    assertThat(runtime.list(Map.of(RUN_LABEL, run))).isEmpty();
  }

  @Test
  void removingAMissingContainerIsNotAnError() {
    String id = runtime.create(request(Script.RUNS_FOREVER).build());
    runtime.remove(id);

    runtime.remove(id);
    runtime.remove("no-such-container-" + run);
  }

  @Test
  void aRemovedContainersNameCanBeUsedAgain() {
    ContainerRequest request = request(Script.RUNS_FOREVER).build();
    String first = runtime.create(request);
    runtime.remove(first);

    String second = runtime.create(request);

    assertThat(second).isNotEqualTo(first);
    assertThat(info(second).name()).isEqualTo(request.name());
  }

  @Test
  void callsOnAMissingContainerFailAsNotFoundOrEmpty() {
    String missing = "no-such-container-" + run;

    assertThat(runtime.inspect(missing)).isEmpty();
    assertThatThrownBy(() -> runtime.start(missing))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.NOT_FOUND))
        .hasMessageContaining(missing);
    assertThatThrownBy(() -> runtime.stop(missing, 1))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.NOT_FOUND))
        .hasMessageContaining(missing);
  }

  // ---- exits ------------------------------------------------------------------------------------

  @Test
  void containerThatExitsReportsItsExitCode() {
    String id = createAndStart(Script.EXITS_WITH_3);

    awaitState(id, ContainerState.EXITED);

    ContainerInfo info = info(id);
    assertThat(info.exitCode()).isEqualTo(3);
    assertThat(info.oomKilled()).isFalse();
    assertThat(info.finishedAt()).isAfterOrEqualTo(info.startedAt());
    assertThat(info.error()).isEmpty();
  }

  @Test
  void containerBeyondItsMemoryLimitIsReportedOomKilled() {
    String id = createAndStart(Script.OOM_KILLED);

    awaitState(id, ContainerState.EXITED);

    ContainerInfo info = info(id);
    assertThat(info.oomKilled()).isTrue();
    assertThat(info.exitCode()).isEqualTo(137);
  }

  @Test
  void containerThatCannotStartIsRejectedAndStaysCreatedWithTheError() {
    String id = runtime.create(request(Script.CANNOT_START).build());

    assertThatThrownBy(() -> runtime.start(id))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED));

    ContainerInfo info = info(id);
    assertThat(info.state()).isEqualTo(ContainerState.CREATED);
    assertThat(info.error()).isNotEmpty();
    assertThat(info.exitCode()).isNotZero();
  }

  // ---- health -----------------------------------------------------------------------------------

  @Test
  void containerWithoutHealthCheckReportsNoHealth() {
    String id = createAndStart(Script.RUNS_FOREVER);

    assertThat(info(id).health()).isEqualTo(ContainerHealth.NONE);
  }

  @Test
  void passingHealthCheckTurnsStartingIntoHealthy() {
    String id = createAndStart(Script.BECOMES_HEALTHY);

    assertThat(info(id).health()).isEqualTo(ContainerHealth.STARTING);
    awaitHealth(id, ContainerHealth.HEALTHY);
    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
  }

  @Test
  void failingHealthCheckTurnsStartingIntoUnhealthy() {
    String id = createAndStart(Script.NEVER_HEALTHY);

    assertThat(info(id).health()).isEqualTo(ContainerHealth.STARTING);
    awaitHealth(id, ContainerHealth.UNHEALTHY);
    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
  }

  @Test
  void stoppedContainerWithHealthCheckIsReportedUnhealthy() {
    String id = createAndStart(Script.BECOMES_HEALTHY);
    awaitHealth(id, ContainerHealth.HEALTHY);

    runtime.stop(id, 10);

    assertThat(info(id).health()).isEqualTo(ContainerHealth.UNHEALTHY);
  }

  // ---- ports ------------------------------------------------------------------------------------

  @Test
  void publishedPortIsReported() {
    ContainerRequest.PortBinding binding = freeLoopbackBinding(8080);
    String id = runtime.create(request(Script.RUNS_FOREVER).port(binding).build());
    runtime.start(id);

    assertThat(info(id).ports()).containsExactly(binding);
  }

  @Test
  void secondContainerOnTheSameAddressAndPortCannotStart() {
    ContainerRequest.PortBinding binding = freeLoopbackBinding(8080);
    String first = runtime.create(request(Script.RUNS_FOREVER).port(binding).build());
    runtime.start(first);
    String second = runtime.create(request(Script.RUNS_FOREVER).port(binding).build());

    assertThatThrownBy(() -> runtime.start(second))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED))
        .hasMessageContaining(binding.hostIp() + ":" + binding.hostPort());

    assertThat(info(first).state()).isEqualTo(ContainerState.RUNNING);
    assertThat(info(second).state()).isEqualTo(ContainerState.CREATED);
    assertThat(info(second).error()).contains("already allocated");
  }

  @Test
  void portIsFreeAgainOnceItsContainerStopped() {
    ContainerRequest.PortBinding binding = freeLoopbackBinding(8080);
    String first = runtime.create(request(Script.RUNS_FOREVER).port(binding).build());
    runtime.start(first);
    runtime.stop(first, 10);
    String second = runtime.create(request(Script.RUNS_FOREVER).port(binding).build());

    runtime.start(second);

    assertThat(info(second).state()).isEqualTo(ContainerState.RUNNING);
  }

  @Test
  void samePortOnAnotherLoopbackAddressDoesNotConflict() {
    ContainerRequest.PortBinding first = freeLoopbackBinding(8080);
    ContainerRequest.PortBinding second =
        new ContainerRequest.PortBinding(
            otherAddress(first.hostIp()), first.hostPort(), first.containerPort());
    String a = runtime.create(request(Script.RUNS_FOREVER).port(first).build());
    String b = runtime.create(request(Script.RUNS_FOREVER).port(second).build());

    runtime.start(a);
    runtime.start(b);

    assertThat(info(a).state()).isEqualTo(ContainerState.RUNNING);
    assertThat(info(b).state()).isEqualTo(ContainerState.RUNNING);
  }

  private static String otherAddress(String ip) {
    int last = ip.lastIndexOf('.');
    int octet = Integer.parseInt(ip.substring(last + 1));
    return ip.substring(0, last + 1) + (octet == 254 ? 2 : octet + 1);
  }

  // ---- names, images, requests ------------------------------------------------------------------

  @Test
  void secondContainerWithTheSameNameIsRefusedAsNameInUse() {
    ContainerRequest request = request(Script.RUNS_FOREVER).build();
    runtime.create(request);

    assertThatThrownBy(() -> runtime.create(request))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.NAME_IN_USE))
        .hasMessageContaining(request.name());
  }

  @Test
  void containerOfAMissingImageIsRefusedAsImageNotFound() {
    String image = missingImage();
    ContainerRequest request = request(Script.RUNS_FOREVER).image(image).build();

    assertThat(runtime.hasImage(image)).isFalse();
    assertThatThrownBy(() -> runtime.create(request))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.IMAGE_NOT_FOUND))
        .hasMessageContaining(image);
  }

  @Test
  void pullOfAnImageNoRegistryHasFailsAsImageNotFound() {
    String image = missingImage();

    assertThatThrownBy(() -> runtime.pull(image))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.IMAGE_NOT_FOUND))
        .hasMessageContaining(image);
  }

  @Test
  void scriptedImagesArePresent() {
    assertThat(runtime.hasImage(scripted(Script.RUNS_FOREVER).build().image())).isTrue();
  }

  @Test
  void memoryLimitBelowSixMegabytesIsRejected() {
    ContainerRequest request = request(Script.RUNS_FOREVER).memoryBytes(1L << 20).build();

    assertThatThrownBy(() -> runtime.create(request))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED))
        .hasMessageContaining("6MB");
  }

  @Test
  void invalidNameIsRejected() {
    ContainerRequest request = request(Script.RUNS_FOREVER).name("no spaces/or slashes").build();

    assertThatThrownBy(() -> runtime.create(request))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.REJECTED));
  }

  // ---- list -------------------------------------------------------------------------------------

  @Test
  void listReturnsContainersCarryingAllTheLabelsRunningOrNot() {
    String webRunning =
        runtime.create(
            request(Script.RUNS_FOREVER).label("lain.app", "a").label("lain.proc", "web").build());
    runtime.start(webRunning);
    String webCreated =
        runtime.create(
            request(Script.RUNS_FOREVER).label("lain.app", "a").label("lain.proc", "web").build());
    String worker =
        runtime.create(
            request(Script.RUNS_FOREVER)
                .label("lain.app", "a")
                .label("lain.proc", "worker")
                .build());
    String otherApp =
        runtime.create(
            request(Script.RUNS_FOREVER).label("lain.app", "b").label("lain.proc", "web").build());

    assertThat(ids(runtime.list(Map.of(RUN_LABEL, run))))
        .containsExactlyInAnyOrder(webRunning, webCreated, worker, otherApp);
    assertThat(ids(runtime.list(Map.of(RUN_LABEL, run, "lain.app", "a"))))
        .containsExactlyInAnyOrder(webRunning, webCreated, worker);
    assertThat(ids(runtime.list(Map.of(RUN_LABEL, run, "lain.app", "a", "lain.proc", "web"))))
        .containsExactlyInAnyOrder(webRunning, webCreated);
    assertThat(runtime.list(Map.of(RUN_LABEL, run, "lain.app", "c"))).isEmpty();
  }

  @Test
  void listReportsTheSameAsInspect() {
    String id = createAndStart(Script.RUNS_FOREVER);

    assertThat(runtime.list(Map.of(RUN_LABEL, run))).containsExactly(info(id));
  }

  private static List<String> ids(List<ContainerInfo> containers) {
    return containers.stream().map(ContainerInfo::id).toList();
  }

  // ---- events -----------------------------------------------------------------------------------

  private List<ContainerEvent> subscribe() {
    List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    subscriptions.add(runtime.events(events::add));
    return events;
  }

  private static List<String> actionsFor(List<ContainerEvent> events, String id) {
    return events.stream()
        .filter(e -> e.containerId().equals(id))
        .map(ContainerEvent::action)
        .toList();
  }

  private void awaitEvent(List<ContainerEvent> events, String id, String action) {
    awaitUntil(
        action + " event for " + id, patience(), () -> actionsFor(events, id).contains(action));
  }

  @Test
  void lifecycleEventsAreDeliveredInOrderWithTheContainersLabels() {
    List<ContainerEvent> events = subscribe();

    String id = runtime.create(request(Script.RUNS_FOREVER).label("lain.app", "events").build());
    runtime.start(id);
    runtime.stop(id, 10);
    runtime.remove(id);

    awaitEvent(events, id, "destroy");
    assertThat(actionsFor(events, id)).containsSubsequence("create", "start", "die", "destroy");
    assertThat(events)
        .filteredOn(e -> e.containerId().equals(id))
        .allSatisfy(e -> assertThat(e.labels()).containsEntry("lain.app", "events"));
  }

  @Test
  void exitHealthAndOomAreAnnounced() {
    List<ContainerEvent> events = subscribe();

    String exits = createAndStart(Script.EXITS_WITH_3);
    String healthy = createAndStart(Script.BECOMES_HEALTHY);
    String oom = createAndStart(Script.OOM_KILLED);

    awaitEvent(events, exits, "die");
    awaitEvent(events, healthy, "health_status");
    // Docker reports the OOM kill from the cgroup as it learns of it: before or after the die.
    awaitEvent(events, oom, "oom");
    awaitEvent(events, oom, "die");
  }

  @Test
  void closedSubscriptionReceivesNothingMore() {
    List<ContainerEvent> closedEvents = new CopyOnWriteArrayList<>();
    ContainerRuntime.Subscription closed = runtime.events(closedEvents::add);
    List<ContainerEvent> openEvents = subscribe();
    closed.close();

    String id = runtime.create(request(Script.RUNS_FOREVER).build());
    runtime.remove(id);

    awaitEvent(openEvents, id, "destroy");
    assertThat(actionsFor(closedEvents, id)).isEmpty();
  }

  // ---- logs -------------------------------------------------------------------------------------

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String logs(String id, LogOptions options) {
    return read(runtime.logs(id, options));
  }

  /** Prints {@code lines} and waits until the engine has them all. */
  private void printAndAwait(String id, String... lines) {
    StringBuilder expected = new StringBuilder(logs(id, LogOptions.allLines()));
    for (int i = 0; i < lines.length; i++) {
      print(id, lines[i], i % 2 == 1);
      expected.append(lines[i]).append('\n');
    }
    awaitUntil(
        "output of " + id + " logged",
        patience(),
        () -> logs(id, LogOptions.allLines()).contentEquals(expected));
  }

  /** Reads a stream line by line on its own thread, as a client of the agent would. */
  private final class Follower implements AutoCloseable {
    final InputStream stream;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final AtomicBoolean ended = new AtomicBoolean();
    final Thread thread;

    Follower(InputStream stream) {
      this.stream = stream;
      this.thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                      for (String line = reader.readLine();
                          line != null;
                          line = reader.readLine()) {
                        lines.add(line);
                      }
                    } catch (IOException e) {
                      // A closed stream may end with an error instead of its end: both end it.
                    } finally {
                      ended.set(true);
                    }
                  });
    }

    void awaitLines(String... expected) {
      awaitUntil(
          "lines " + List.of(expected) + " followed (have " + lines + ")",
          patience(),
          () -> lines.equals(List.of(expected)));
    }

    void awaitEnd() {
      awaitUntil("end of the followed stream", patience(), ended::get);
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  @Test
  void logsMergeStdoutAndStderrInTheOrderWritten() {
    String id = createAndStart(Script.RUNS_FOREVER);

    printAndAwait(id, "one", "two", "three");

    assertThat(logs(id, LogOptions.allLines())).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void tailGivesOnlyTheLastLines() {
    String id = createAndStart(Script.RUNS_FOREVER);
    printAndAwait(id, "1", "2", "3", "4", "5");

    assertThat(logs(id, LogOptions.allLines().withTail(2))).isEqualTo("4\n5\n");
    assertThat(logs(id, LogOptions.allLines().withTail(9))).isEqualTo("1\n2\n3\n4\n5\n");
  }

  @Test
  void timestampsStartEachLine() {
    String id = createAndStart(Script.RUNS_FOREVER);
    printAndAwait(id, "stamped", "too");

    assertThat(logs(id, LogOptions.allLines().withTimestamps(true)).lines())
        .hasSize(2)
        .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z .+"))
        .anyMatch(line -> line.endsWith(" stamped"));
  }

  @Test
  void logsOfAStoppedContainerAreKept() {
    String id = createAndStart(Script.RUNS_FOREVER);
    printAndAwait(id, "last words");

    runtime.stop(id, 10);

    assertThat(logs(id, LogOptions.allLines())).isEqualTo("last words\n");
  }

  @Test
  void followPassesOnLinesWrittenAfterTheCallAndEndsWhenTheContainerStops() throws IOException {
    String id = createAndStart(Script.RUNS_FOREVER);
    printAndAwait(id, "old", "before");

    try (Follower follower =
        new Follower(runtime.logs(id, LogOptions.allLines().withTail(1).withFollow(true)))) {
      follower.awaitLines("before");
      print(id, "after", false);
      follower.awaitLines("before", "after");
      print(id, "later", true);
      follower.awaitLines("before", "after", "later");
      assertThat(follower.ended).isFalse();

      runtime.stop(id, 10);

      follower.awaitEnd();
      assertThat(follower.lines).containsExactly("before", "after", "later");
    }
  }

  @Test
  void followOfAContainerThatDoesNotRunEndsAfterItsLines() {
    String id = createAndStart(Script.RUNS_FOREVER);
    printAndAwait(id, "done");
    runtime.stop(id, 10);

    assertThat(logs(id, LogOptions.allLines().withFollow(true))).isEqualTo("done\n");
  }

  @Test
  void closingAFollowedStreamEndsIt() throws IOException {
    String id = createAndStart(Script.RUNS_FOREVER);
    printAndAwait(id, "hello");
    Follower follower = new Follower(runtime.logs(id, LogOptions.allLines().withFollow(true)));
    follower.awaitLines("hello");

    follower.close();

    follower.awaitEnd();
    assertThat(info(id).state()).isEqualTo(ContainerState.RUNNING);
  }

  @Test
  void logsOfAMissingContainerFailAsNotFound() {
    String missing = "no-such-container-" + run;

    assertThatThrownBy(() -> runtime.logs(missing, LogOptions.allLines()))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeFailure.Code.NOT_FOUND))
        .hasMessageContaining(missing);
  }
}
