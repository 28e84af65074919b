package dev.lain.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.lain.runtime.ContainerEvent;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRequest;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.ContainerRuntimeContract;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.LogOptions;
import dev.lain.runtime.NetworkInfo;
import dev.lain.runtime.NetworkSpec;
import dev.lain.runtime.RequestBuilder;
import dev.lain.runtime.RuntimeFailure;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.TarArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the Docker runtime has to show: API version, request mapping, stop timing, pulls. */
// "try": subscriptions are scoped with try-with-resources whose variable the body does not need.
@SuppressWarnings("try")
class DockerRuntimeTest {
  private static DockerDaemon daemon;
  private static String image;

  private DockerRuntime runtime;
  private String run;

  @BeforeAll
  static void startDockerd() {
    daemon = DockerDaemon.shared();
    image = BusyboxImage.in(daemon);
  }

  @BeforeEach
  void connect() {
    runtime = DockerRuntime.connect(daemon.socketUri());
    run = UUID.randomUUID().toString();
  }

  @AfterEach
  void removeContainers() {
    for (ContainerInfo container : runtime.list(Map.of("dev.lain.test.run", run))) {
      runtime.remove(container.id());
    }
    runtime.close();
  }

  private RequestBuilder busybox() {
    return RequestBuilder.of(image)
        .name("docker-" + run.substring(0, 8) + "-" + ThreadLocalRandom.current().nextInt(1 << 20))
        .label("dev.lain.test.run", run);
  }

  private ContainerInfo awaitExit(String id) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> runtime.inspect(id).orElseThrow().state() == ContainerState.EXITED);
    return runtime.inspect(id).orElseThrow();
  }

  private static String logs(String id) throws InterruptedException {
    StringBuilder out = new StringBuilder();
    daemon
        .client()
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .exec(
            new com.github.dockerjava.api.async.ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            })
        .awaitCompletion(10, TimeUnit.SECONDS);
    return out.toString();
  }

  private static RuntimeFailure.Code code(Throwable e) {
    return ((RuntimeFailure) e).code();
  }

  // ---- logs -------------------------------------------------------------------------------------

  @Test
  void closedLogStreamsGiveTheirConnectionsBack() throws IOException {
    String id = runtime.create(busybox().command("sh", "-c", "echo hello; sleep 1000000").build());
    runtime.start(id);
    await().atMost(Duration.ofSeconds(10)).until(() -> logs(id).equals("hello\n"));

    // More followers than the client's pool holds connections (64): a leak would block here.
    for (int i = 0; i < 80; i++) {
      try (InputStream stream =
          runtime.logs(id, LogOptions.allLines().withFollow(true).withTail(1))) {
        assertThat(new String(stream.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("hello\n");
      }
    }
    try (InputStream stream = runtime.logs(id, LogOptions.allLines())) {
      assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }
  }

  @Test
  void followEndsWhenTheContainerExitsByItself() throws IOException {
    String id =
        runtime.create(busybox().command("sh", "-c", "echo start; sleep 1; echo end").build());
    runtime.start(id);

    try (InputStream stream = runtime.logs(id, LogOptions.allLines().withFollow(true))) {
      assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("start\nend\n");
    }
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
  }

  // ---- connection -------------------------------------------------------------------------------

  @Test
  void agreesOnApi141WithDebiansDockerd() {
    String serverApi = daemon.client().versionCmd().exec().getApiVersion();

    assertThat(serverApi).isEqualTo("1.41");
    assertThat(runtime.apiVersion()).isEqualTo("1.41");
  }

  @Test
  void negotiationPicksTheNewestVersionBothSidesSpeak() {
    URI host = URI.create("unix:///run/docker.sock");

    assertThat(DockerRuntime.negotiate(host, "1.41").getVersion()).isEqualTo("1.41");
    assertThat(DockerRuntime.negotiate(host, "1.43").getVersion()).isEqualTo("1.43");
    assertThat(DockerRuntime.negotiate(host, "1.51").getVersion())
        .isEqualTo(DockerRuntime.NEWEST_API);
    assertThatThrownBy(() -> DockerRuntime.negotiate(host, "1.40"))
        .satisfies(e -> assertThat(code(e)).isEqualTo(RuntimeFailure.Code.UNAVAILABLE))
        .hasMessageContaining("1.40")
        .hasMessageContaining("1.41");
  }

  @Test
  void connectingToNoDaemonFailsAsUnavailable(@TempDir Path dir) {
    URI nowhere = URI.create("unix://" + dir.resolve("no.sock"));

    assertThatThrownBy(() -> DockerRuntime.connect(nowhere))
        .satisfies(e -> assertThat(code(e)).isEqualTo(RuntimeFailure.Code.UNAVAILABLE))
        .hasMessageContaining(nowhere.toString());
  }

  @Test
  void callsToAStoppedDaemonFailAsUnavailableAndWorkAgainOnceItIsBack() {
    try (DockerDaemon own = DockerDaemon.startPrivate();
        DockerRuntime docker = DockerRuntime.connect(own.socketUri())) {
      own.stop();

      assertThatThrownBy(() -> docker.list(Map.of()))
          .satisfies(e -> assertThat(code(e)).isEqualTo(RuntimeFailure.Code.UNAVAILABLE))
          .hasMessageContaining(own.socketUri().toString());
      assertThatThrownBy(docker::version)
          .satisfies(e -> assertThat(code(e)).isEqualTo(RuntimeFailure.Code.UNAVAILABLE));

      own.start();
      assertThat(docker.list(Map.of())).isEmpty();
    }
  }

  // ---- request mapping --------------------------------------------------------------------------

  @Test
  void everyRequestFieldReachesDocker(@TempDir Path data) throws IOException {
    ContainerRequest.PortBinding port = new ContainerRequest.PortBinding("127.0.0.1", 28081, 8080);
    ContainerRequest request =
        busybox()
            .entrypoint("sh", "-c")
            .command("sleep 1000000")
            .env("LAIN_APPNAME=hello")
            .label("lain.app", "hello")
            .user("nobody")
            .workdir("/tmp")
            .memoryBytes(64L << 20)
            .cpu(25_000, 100_000)
            .port(port)
            .bind(data.toString(), "/data", true)
            .healthCheck("wget -q -O /dev/null http://127.0.0.1:8080/", 3, 2)
            .build();

    String id = runtime.create(request);

    InspectContainerResponse inspected = daemon.client().inspectContainerCmd(id).exec();
    assertThat(inspected.getName()).isEqualTo("/" + request.name());
    assertThat(inspected.getConfig().getImage()).isEqualTo(image);
    assertThat(inspected.getConfig().getEntrypoint()).containsExactly("sh", "-c");
    assertThat(inspected.getConfig().getCmd()).containsExactly("sleep 1000000");
    assertThat(inspected.getConfig().getEnv()).contains("LAIN_APPNAME=hello");
    assertThat(inspected.getConfig().getLabels()).containsEntry("lain.app", "hello");
    assertThat(inspected.getConfig().getUser()).isEqualTo("nobody");
    assertThat(inspected.getConfig().getWorkingDir()).isEqualTo("/tmp");
    assertThat(inspected.getConfig().getHealthcheck().getTest())
        .containsExactly("CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/");
    assertThat(inspected.getConfig().getHealthcheck().getInterval())
        .isEqualTo(TimeUnit.SECONDS.toNanos(3));
    assertThat(inspected.getConfig().getHealthcheck().getTimeout())
        .isEqualTo(TimeUnit.SECONDS.toNanos(3));
    assertThat(inspected.getConfig().getHealthcheck().getRetries()).isEqualTo(2);
    HostConfig host = inspected.getHostConfig();
    assertThat(host.getInit()).isTrue();
    assertThat(host.getMemory()).isEqualTo(64L << 20);
    assertThat(host.getMemorySwap()).isEqualTo(64L << 20);
    assertThat(host.getMemorySwappiness()).isZero();
    assertThat(host.getCpuQuota()).isEqualTo(25_000L);
    assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
    assertThat(host.getRestartPolicy().getName()).isIn("no", "");
    assertThat(host.getBinds())
        .singleElement()
        .satisfies(
            bind -> {
              assertThat(bind.getPath()).isEqualTo(data.toString());
              assertThat(bind.getVolume().getPath()).isEqualTo("/data");
              assertThat(bind.getAccessMode()).isEqualTo(AccessMode.ro);
            });
    Map<com.github.dockerjava.api.model.ExposedPort, Ports.Binding[]> bindings =
        host.getPortBindings().getBindings();
    assertThat(bindings).hasSize(1);
    assertThat(bindings.values().iterator().next())
        .singleElement()
        .satisfies(
            binding -> {
              assertThat(binding.getHostIp()).isEqualTo("127.0.0.1");
              assertThat(binding.getHostPortSpec()).isEqualTo("28081");
            });
    assertThat(runtime.inspect(id).orElseThrow().ports()).containsExactly(port);
  }

  @Test
  void userWorkdirEnvAndReadOnlyBindTakeEffectInTheContainer(@TempDir Path data)
      throws IOException, InterruptedException {
    Files.writeString(data.resolve("greeting"), "hi from the host");
    Files.setPosixFilePermissions(
        data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        data.resolve("greeting"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    String id =
        runtime.create(
            busybox()
                .command(
                    "sh",
                    "-c",
                    "id -u; pwd; echo $GREETING; cat /data/greeting; echo; touch /data/x 2>/dev/null || echo"
                        + " read-only")
                .env("GREETING=hello")
                .user("nobody")
                .workdir("/tmp")
                .bind(data.toString(), "/data", true)
                .build());
    runtime.start(id);

    assertThat(awaitExit(id).exitCode()).isZero();
    assertThat(logs(id).lines())
        .containsExactly("65534", "/tmp", "hello", "hi from the host", "read-only");
  }

  @Test
  void emptyEntrypointDropsTheImagesEntrypointAndAbsentKeepsIt() {
    String withEntrypoint = "lain-test/entrypoint-" + run.substring(0, 8) + ":1";
    byte[] context =
        new TarArchive()
            .file(
                "Dockerfile", 0644, "FROM " + image + "\nENTRYPOINT [\"sh\", \"-c\", \"exit 7\"]\n")
            .toBytes();
    daemon
        .client()
        .buildImageCmd(new ByteArrayInputStream(context))
        .withTags(Set.of(withEntrypoint))
        .withPull(false)
        .exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
        .awaitImageId(60, TimeUnit.SECONDS);
    try {
      String kept = runtime.create(busybox().image(withEntrypoint).command("ignored").build());
      ContainerRequest dropping =
          new ContainerRequest(
              busybox().build().name(),
              withEntrypoint,
              java.util.Optional.of(List.of()),
              List.of("sh", "-c", "exit 5"),
              List.of(),
              Map.of("dev.lain.test.run", run),
              "",
              "",
              32L << 20,
              0,
              0,
              java.util.Optional.empty(),
              List.of(),
              java.util.Optional.empty(),
              true,
              java.util.Optional.empty());
      String dropped = runtime.create(dropping);
      runtime.start(kept);
      runtime.start(dropped);

      assertThat(awaitExit(kept).exitCode()).isEqualTo(7);
      assertThat(awaitExit(dropped).exitCode()).isEqualTo(5);
    } finally {
      for (ContainerInfo container : runtime.list(Map.of("dev.lain.test.run", run))) {
        runtime.remove(container.id());
      }
      daemon.client().removeImageCmd(withEntrypoint).withForce(true).exec();
    }
  }

  @Test
  void publishedPortServesBusyboxHttpOnItsLoopbackAddress() throws Exception {
    ContainerRequest.PortBinding binding = freeLoopbackBinding(8080);
    String id =
        runtime.create(
            busybox().command("httpd", "-f", "-p", "8080", "-h", "/www").port(binding).build());
    runtime.start(id);

    awaitIndexPage(URI.create("http://" + binding.hostIp() + ":" + binding.hostPort() + "/"));
  }

  /** Waits until busybox httpd serves its index page at {@code uri}. */
  private static void awaitIndexPage(URI uri) {
    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .isEqualTo(BusyboxImage.INDEX_HTML));
  }

  // ---- networks ---------------------------------------------------------------------------------

  @Test
  void aContainerOnItsNetworkIsServedAtItsOwnAddressWithoutAPublishedPortAndTheMtuHolds()
      throws Exception {
    NetworkSpec spec = ContainerRuntimeContract.freshNetwork(runtime, run);
    try {
      NetworkInfo network = runtime.network(spec.name()).orElseThrow();
      assertThat(network.matches(spec)).as("as Docker reports it: %s", network).isTrue();

      String id =
          runtime.create(
              busybox()
                  .command("httpd", "-f", "-p", "8080", "-h", "/www")
                  .network(spec.name())
                  .build());
      runtime.start(id);
      ContainerInfo info = runtime.inspect(id).orElseThrow();
      assertThat(info.ports()).isEmpty();
      String address = info.addresses().get(spec.name());
      assertThat(address).startsWith(spec.subnet().substring(0, spec.subnet().lastIndexOf('.')));
      assertThat(address).isNotEqualTo(spec.gateway());

      awaitIndexPage(URI.create("http://" + address + ":8080/"));
      String mtu =
          daemon
              .client()
              .inspectNetworkCmd()
              .withNetworkId(spec.name())
              .exec()
              .getOptions()
              .get("com.docker.network.driver.mtu");
      assertThat(mtu).isEqualTo("1400");

      runtime.remove(id);
    } finally {
      runtime.removeNetwork(spec.name());
    }
  }

  // ---- stop -------------------------------------------------------------------------------------

  @Test
  void stopWaitsItsTimeoutForAProcessIgnoringSigtermThenKills() {
    String id =
        runtime.create(
            busybox().command("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").build());
    runtime.start(id);
    // Let the shell install its trap before the signal comes.
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);

    long started = System.nanoTime();
    runtime.stop(id, 2);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));
    assertThat(runtime.inspect(id).orElseThrow().exitCode()).isEqualTo(137);
  }

  @Test
  void withInitAStopEndsPromptlyWhatHonoursSigterm() {
    String id = runtime.create(busybox().command("sleep", "1000000").build());
    runtime.start(id);

    long started = System.nanoTime();
    runtime.stop(id, 10);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  // ---- adoption ---------------------------------------------------------------------------------

  @Test
  void anotherRuntimeOnTheSameDaemonAdoptsContainersByTheirLabels() {
    String web =
        runtime.create(busybox().command("sleep", "1000000").label("lain.app", "adopt").build());
    runtime.start(web);
    String stopped = runtime.create(busybox().command("true").label("lain.app", "adopt").build());
    ContainerInfo before = runtime.inspect(web).orElseThrow();
    runtime.close();

    runtime = DockerRuntime.connect(daemon.socketUri());
    List<ContainerInfo> adopted =
        runtime.list(Map.of("dev.lain.test.run", run, "lain.app", "adopt"));

    assertThat(adopted).extracting(ContainerInfo::id).containsExactlyInAnyOrder(web, stopped);
    assertThat(adopted).filteredOn(c -> c.id().equals(web)).containsExactly(before);
  }

  // ---- events -----------------------------------------------------------------------------------

  @Test
  void eventsResumeAfterDockerdRestarts() {
    try (DockerDaemon own = DockerDaemon.startPrivate();
        DockerRuntime docker = DockerRuntime.connect(own.socketUri())) {
      String ownImage = BusyboxImage.in(own);
      List<ContainerEvent> events = new CopyOnWriteArrayList<>();
      try (ContainerRuntime.Subscription subscription = docker.events(events::add)) {
        own.stop();
        own.start();

        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(
                () -> {
                  // Created until one is seen: the first may come before the stream is back.
                  String id = docker.create(RequestBuilder.of(ownImage).command("true").build());
                  assertThat(events).extracting(ContainerEvent::containerId).contains(id);
                });
      }
    }
  }

  @Test
  void eventsCarryTheContainersLabelsWithoutDockersAttributes() {
    List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    try (ContainerRuntime.Subscription subscription = runtime.events(events::add)) {
      String id =
          runtime.create(busybox().command("sh", "-c", "exit 4").label("lain.app", "ev").build());
      runtime.start(id);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  events.stream()
                      .anyMatch(e -> e.containerId().equals(id) && e.action().equals("die")));
      // The image's own labels (the busybox image has one) come along, as Docker merges them.
      assertThat(events)
          .filteredOn(e -> e.containerId().equals(id))
          .allSatisfy(
              e ->
                  assertThat(e.labels())
                      .containsEntry("lain.app", "ev")
                      .containsEntry("dev.lain.test.run", run)
                      .containsEntry("dev.lain.test", "busybox")
                      .doesNotContainKeys("name", "image", "exitCode"));
    }
  }

  @Test
  void aFailingListenerDoesNotEndTheSubscription() {
    List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    Consumer<ContainerEvent> failFirst =
        e -> {
          events.add(e);
          if (events.size() == 1) {
            throw new IllegalStateException("listener bug (expected by this test)");
          }
        };
    try (ContainerRuntime.Subscription subscription = runtime.events(failFirst::accept)) {
      String id = runtime.create(busybox().command("true").build());
      runtime.start(id);

      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
    }
  }

  // ---- images -----------------------------------------------------------------------------------

  @Test
  void pullsAnImageFromARegistryOnLoopbackAndRunsIt() {
    try (TinyRegistry registry = TinyRegistry.start()) {
      String reference =
          registry.publish(
              "lain/pulled-" + run.substring(0, 8), "1", BusyboxImage.rootFileSystem(), "sh");
      assertThat(runtime.hasImage(reference)).isFalse();

      runtime.pull(reference);

      assertThat(runtime.hasImage(reference)).isTrue();
      String id = runtime.create(busybox().image(reference).command("sh", "-c", "exit 6").build());
      runtime.start(id);
      assertThat(awaitExit(id).exitCode()).isEqualTo(6);
      runtime.remove(id);
      daemon.client().removeImageCmd(reference).withForce(true).exec();
    }
  }

  @Test
  void pullOfATagTheRegistryLacksFailsAsImageNotFoundQuotingDocker() {
    try (TinyRegistry registry = TinyRegistry.start()) {
      String missing = registry.address() + "/lain/nothing:2";

      assertThatThrownBy(() -> runtime.pull(missing))
          .satisfies(e -> assertThat(code(e)).isEqualTo(RuntimeFailure.Code.IMAGE_NOT_FOUND))
          .hasMessageContaining(missing)
          .hasMessageContaining("manifest unknown");
    }
  }

  @Test
  void imageReferencesSplitIntoRepositoryAndTagOrDigest() {
    assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("busybox", "latest"));
    assertThat(ImageReference.parse("127.0.0.1:5000/lain/app"))
        .isEqualTo(new ImageReference("127.0.0.1:5000/lain/app", "latest"));
    assertThat(ImageReference.parse("127.0.0.1:5000/lain/app:release-1"))
        .isEqualTo(new ImageReference("127.0.0.1:5000/lain/app", "release-1"));
    assertThat(ImageReference.parse("registry/app@sha256:abc"))
        .isEqualTo(new ImageReference("registry/app", "sha256:abc"));
  }

  // ---- errors -----------------------------------------------------------------------------------

  @Test
  void failuresNameTheContainerAndQuoteDocker() {
    ContainerRequest request = busybox().command("sleep", "1000000").build();
    runtime.create(request);

    assertThatThrownBy(() -> runtime.create(request))
        .hasMessageContaining(request.name())
        .hasMessageContaining("is already in use");
    assertThatThrownBy(() -> runtime.create(busybox().image("lain-test/absent:1").build()))
        .hasMessageContaining("lain-test/absent:1")
        .hasMessageContaining("No such image");
  }

  @Test
  void dockerErrorMessagesAreUnwrappedFromTheirJsonBody() {
    RuntimeException wrapped =
        new com.github.dockerjava.api.exception.ConflictException(
            "{\"message\":\"Conflict. The container name \\\"/x\\\" is in use\"}\n");

    assertThat(DockerRuntime.dockerSays(wrapped))
        .isEqualTo("Conflict. The container name \"/x\" is in use");
  }

  private static ContainerRequest.PortBinding freeLoopbackBinding(int containerPort) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 50; attempt++) {
      String ip = "127." + random.nextInt(100, 200) + "." + random.nextInt(1, 255) + ".7";
      int port = random.nextInt(20000, 40000);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        return new ContainerRequest.PortBinding(ip, port, containerPort);
      } catch (IOException e) {
        // Taken: try another.
      }
    }
    throw new IllegalStateException("no free loopback port");
  }
}
