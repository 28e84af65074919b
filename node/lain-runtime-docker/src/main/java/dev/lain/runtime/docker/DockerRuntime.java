package dev.lain.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.lain.runtime.ContainerHealth;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRequest;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.LogOptions;
import dev.lain.runtime.NetworkInfo;
import dev.lain.runtime.NetworkSpec;
import dev.lain.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link ContainerRuntime} on a real dockerd, through docker-java over the Engine API.
 *
 * <p>{@link #connect(URI)} asks the engine which API version it speaks and pins the newest one both
 * sides know (Debian 12's docker.io 20.10 speaks 1.41; newer engines get {@value #NEWEST_API}).
 * Calls time out: 5 s to connect, 60 s without an answer; a stop waits its own timeout longer.
 *
 * <p>Errors become {@link RuntimeFailure}s whose message names the container or image and quotes
 * Docker. The engine itself is unreachable: {@link RuntimeFailure.Code#UNAVAILABLE}.
 */
public final class DockerRuntime implements ContainerRuntime {
  /** The oldest Engine API spoken: Docker 20.10's. */
  public static final String OLDEST_API = "1.41";

  /** The newest Engine API asked for; newer engines still speak it. */
  public static final String NEWEST_API = "1.44";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  /** Docker's zero time, for a container that never started or never finished. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final URI host;
  private final RemoteApiVersion apiVersion;
  private final DockerClient client;

  /**
   * For followed logs, which may be quiet for hours: no response timeout, else a silent container's
   * stream would break off after {@link #RESPONSE_TIMEOUT}.
   */
  private final DockerClient streams;

  private final Set<DockerEvents> subscriptions = ConcurrentHashMap.newKeySet();
  private final Set<DockerLogs> logStreams = ConcurrentHashMap.newKeySet();

  /** How long a logs request may wait for dockerd's answer (not for the lines). */
  static final Duration LOGS_ANSWER_TIMEOUT = CONNECT_TIMEOUT.plusSeconds(10);

  private DockerRuntime(URI host, RemoteApiVersion apiVersion, DockerClient client) {
    this.host = host;
    this.apiVersion = apiVersion;
    this.client = client;
    this.streams = newClient(host, apiVersion, Duration.ZERO);
  }

  /**
   * Connects to the dockerd at {@code dockerHost} ({@code unix:///run/docker.sock}, {@code
   * tcp://127.0.0.1:2375}) and agrees on an API version.
   *
   * @throws RuntimeFailure {@link RuntimeFailure.Code#UNAVAILABLE} if it does not answer or speaks
   *     only APIs older than {@value #OLDEST_API}
   */
  public static DockerRuntime connect(URI dockerHost) {
    Objects.requireNonNull(dockerHost, "dockerHost");
    String serverApi;
    // Unversioned requests get the engine's own newest API: just right to ask which that is.
    try (DockerClient probe =
        newClient(dockerHost, RemoteApiVersion.UNKNOWN_VERSION, RESPONSE_TIMEOUT)) {
      serverApi = probe.versionCmd().exec().getApiVersion();
    } catch (IOException e) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE, "cannot close the probe client for " + dockerHost, e);
    } catch (RuntimeException e) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE,
          "cannot reach dockerd at " + dockerHost + ": " + dockerSays(e),
          e);
    }
    RemoteApiVersion negotiated = negotiate(dockerHost, serverApi);
    return new DockerRuntime(
        dockerHost, negotiated, newClient(dockerHost, negotiated, RESPONSE_TIMEOUT));
  }

  /** The newest version both sides speak. */
  static RemoteApiVersion negotiate(URI dockerHost, String serverApi) {
    RemoteApiVersion server = RemoteApiVersion.parseConfigWithDefault(serverApi);
    RemoteApiVersion oldest = RemoteApiVersion.parseConfig(OLDEST_API);
    RemoteApiVersion newest = RemoteApiVersion.parseConfig(NEWEST_API);
    if (!server.isGreaterOrEqual(oldest)) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE,
          "dockerd at "
              + dockerHost
              + " speaks Engine API "
              + serverApi
              + "; LAIN needs "
              + OLDEST_API
              + " or newer (Docker 20.10+)");
    }
    return server.isGreater(newest) ? newest : server;
  }

  static DockerClient newClient(
      URI dockerHost, RemoteApiVersion version, Duration responseTimeout) {
    DefaultDockerClientConfig config =
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(dockerHost.toString())
            .withApiVersion(version)
            .withDockerTlsVerify(false)
            // Registry credentials, as `docker login` left them, for pulls.
            .withDockerConfig(Path.of(System.getProperty("user.home"), ".docker").toString())
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(dockerHost)
            .connectionTimeout(CONNECT_TIMEOUT)
            .responseTimeout(responseTimeout)
            .maxConnections(64)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** The Engine API version agreed with the daemon, e.g. {@code 1.41}. */
  public String apiVersion() {
    return apiVersion.getVersion();
  }

  /** Where the daemon is. */
  public URI host() {
    return host;
  }

  @Override
  public String create(ContainerRequest request) {
    String what = "container " + describe(request.name()) + " of " + request.image();
    CreateContainerCmd cmd =
        client
            .createContainerCmd(request.image())
            .withLabels(request.labels())
            .withEnv(request.env())
            .withHostConfig(hostConfig(request));
    if (!request.name().isEmpty()) {
      cmd.withName(request.name());
    }
    // Docker keeps the image's entrypoint for an absent one and drops it for an empty list.
    request.entrypoint().ifPresent(cmd::withEntrypoint);
    if (!request.command().isEmpty()) {
      cmd.withCmd(request.command());
    }
    if (!request.user().isEmpty()) {
      cmd.withUser(request.user());
    }
    if (!request.workdir().isEmpty()) {
      cmd.withWorkingDir(request.workdir());
    }
    request.port().ifPresent(port -> cmd.withExposedPorts(ExposedPort.tcp(port.containerPort())));
    request
        .healthCheck()
        .ifPresent(
            check ->
                cmd.withHealthcheck(
                    new HealthCheck()
                        .withTest(List.of("CMD-SHELL", check.shell()))
                        .withInterval(TimeUnit.SECONDS.toNanos(check.intervalSeconds()))
                        .withTimeout(TimeUnit.SECONDS.toNanos(check.timeoutSeconds()))
                        .withRetries(check.retries())));
    try {
      return cmd.exec().getId();
    } catch (NotFoundException e) {
      if (request.network().isPresent() && dockerSays(e).contains("network")) {
        throw new RuntimeFailure(
            RuntimeFailure.Code.REJECTED, "cannot create " + what + ": " + dockerSays(e), e);
      }
      throw new RuntimeFailure(
          RuntimeFailure.Code.IMAGE_NOT_FOUND, "cannot create " + what + ": " + dockerSays(e), e);
    } catch (ConflictException e) {
      throw new RuntimeFailure(
          RuntimeFailure.Code.NAME_IN_USE, "cannot create " + what + ": " + dockerSays(e), e);
    } catch (RuntimeException e) {
      throw failure("create " + what, e);
    }
  }

  private static HostConfig hostConfig(ContainerRequest request) {
    HostConfig host =
        HostConfig.newHostConfig()
            .withInit(request.init())
            .withNetworkMode(request.network().orElse(null))
            // The agent decides about restarts; Docker restarting on its own would race it.
            .withRestartPolicy(RestartPolicy.noRestart());
    if (request.memoryBytes() != 0) {
      // Memory+swap equal to memory: no swap, so the limit is what the scheduler reserved.
      host.withMemory(request.memoryBytes())
          .withMemorySwap(request.memoryBytes())
          .withMemorySwappiness(0L);
    }
    if (request.cpuQuotaMicros() != 0) {
      host.withCpuQuota(request.cpuQuotaMicros());
    }
    if (request.cpuPeriodMicros() != 0) {
      host.withCpuPeriod(request.cpuPeriodMicros());
    }
    request
        .port()
        .ifPresent(
            port ->
                host.withPortBindings(
                    new PortBinding(
                        Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()),
                        ExposedPort.tcp(port.containerPort()))));
    if (!request.binds().isEmpty()) {
      host.withBinds(
          request.binds().stream()
              .map(
                  bind ->
                      new Bind(
                          bind.hostPath(),
                          new Volume(bind.containerPath()),
                          bind.readOnly() ? AccessMode.ro : AccessMode.rw))
              .toList());
    }
    return host;
  }

  @Override
  public void start(String id) {
    try {
      client.startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // Running already.
    } catch (NotFoundException e) {
      // Docker 28 checks a container's network only when it starts.
      if (dockerSays(e).startsWith("network ")) {
        throw new RuntimeFailure(
            RuntimeFailure.Code.REJECTED, "cannot start container " + id + ": " + dockerSays(e), e);
      }
      throw notFound("start", id, e);
    } catch (RuntimeException e) {
      throw failure("start container " + id, e);
    }
  }

  @Override
  public void stop(String id, int timeoutSeconds) {
    if (timeoutSeconds < 0) {
      throw new IllegalArgumentException("negative stop timeout: " + timeoutSeconds);
    }
    // Docker answers a stop once the container is gone: up to the timeout and a kill later.
    Duration needed = Duration.ofSeconds(timeoutSeconds).plus(RESPONSE_TIMEOUT.dividedBy(2));
    try {
      if (needed.compareTo(RESPONSE_TIMEOUT) <= 0) {
        client.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
      } else {
        try (DockerClient patient = newClient(host, apiVersion, needed)) {
          patient.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
        }
      }
    } catch (NotModifiedException e) {
      // Not running.
    } catch (NotFoundException e) {
      throw notFound("stop", id, e);
    } catch (IOException e) {
      // Closing the patient client only releases its connection.
    } catch (RuntimeException e) {
      throw failure("stop container " + id, e);
    }
  }

  @Override
  public void remove(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Removing a missing container is not an error.
    } catch (ConflictException e) {
      if (!dockerSays(e).contains("already in progress")) {
        throw failure("remove container " + id, e);
      }
      // Someone else is removing it: it will be gone.
    } catch (RuntimeException e) {
      throw failure("remove container " + id, e);
    }
  }

  private static final String BRIDGE_NAME = "com.docker.network.bridge.name";
  private static final String BRIDGE_MTU = "com.docker.network.driver.mtu";
  private static final String BRIDGE_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";

  @Override
  public NetworkInfo ensureNetwork(NetworkSpec spec) {
    Optional<NetworkInfo> existing = network(spec.name());
    if (existing.isPresent()) {
      if (!existing.get().matches(spec)) {
        throw new RuntimeFailure(RuntimeFailure.Code.REJECTED, existing.get().mismatch(spec));
      }
      return existing.get();
    }
    try {
      client
          .createNetworkCmd()
          .withName(spec.name())
          .withDriver("bridge")
          .withIpam(
              new Network.Ipam()
                  .withConfig(
                      new Network.Ipam.Config()
                          .withSubnet(spec.subnet())
                          .withGateway(spec.gateway())))
          .withOptions(
              Map.of(
                  BRIDGE_NAME,
                  spec.bridge(),
                  BRIDGE_MTU,
                  String.valueOf(spec.mtu()),
                  BRIDGE_MASQUERADE,
                  String.valueOf(spec.masquerade())))
          .withLabels(spec.labels())
          .withCheckDuplicate(true)
          .exec();
    } catch (RuntimeException e) {
      throw failure("create network " + spec.name() + " (" + spec.subnet() + ")", e);
    }
    return network(spec.name())
        .orElseThrow(
            () ->
                new RuntimeFailure(
                    RuntimeFailure.Code.REJECTED,
                    "network " + spec.name() + " vanished right after it was created"));
  }

  @Override
  public Optional<NetworkInfo> network(String name) {
    Network network;
    try {
      network = client.inspectNetworkCmd().withNetworkId(name).exec();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw failure("inspect network " + name, e);
    }
    // Docker finds networks by id prefix too: only the one of that very name is ours.
    if (!name.equals(network.getName())) {
      return Optional.empty();
    }
    String subnet = "";
    String gateway = "";
    if (network.getIpam() != null && network.getIpam().getConfig() != null) {
      for (Network.Ipam.Config config : network.getIpam().getConfig()) {
        if (config.getSubnet() != null && config.getSubnet().contains(".")) {
          subnet = config.getSubnet();
          gateway = config.getGateway() == null ? "" : config.getGateway();
          break;
        }
      }
    }
    Map<String, String> options = network.getOptions() == null ? Map.of() : network.getOptions();
    int mtu;
    try {
      mtu = Integer.parseInt(options.getOrDefault(BRIDGE_MTU, "1500"));
    } catch (NumberFormatException e) {
      mtu = 1500;
    }
    return Optional.of(
        new NetworkInfo(
            network.getId(),
            network.getName(),
            subnet,
            gateway,
            options.getOrDefault(BRIDGE_NAME, ""),
            mtu,
            network.getLabels() == null ? Map.of() : network.getLabels()));
  }

  @Override
  public void removeNetwork(String name) {
    if (network(name).isEmpty()) {
      return;
    }
    try {
      client.removeNetworkCmd(name).exec();
    } catch (NotFoundException e) {
      // Gone meanwhile.
    } catch (RuntimeException e) {
      throw failure("remove network " + name, e);
    }
  }

  @Override
  public Optional<ContainerInfo> inspect(String id) {
    try {
      return Optional.of(toInfo(client.inspectContainerCmd(id).exec()));
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw failure("inspect container " + id, e);
    }
  }

  @Override
  public List<ContainerInfo> list(Map<String, String> labels) {
    List<Container> containers;
    try {
      var cmd = client.listContainersCmd().withShowAll(true);
      if (!labels.isEmpty()) {
        cmd.withLabelFilter(labels);
      }
      containers = cmd.exec();
    } catch (RuntimeException e) {
      throw failure("list containers labelled " + labels, e);
    }
    // The list entries lack health, exit times and errors: inspect each (a few ms apiece).
    List<ContainerInfo> infos = new ArrayList<>(containers.size());
    for (Container container : containers) {
      inspect(container.getId()).ifPresent(infos::add);
    }
    return List.copyOf(infos);
  }

  @Override
  public String version() {
    try {
      return orEmpty(client.versionCmd().exec()::getVersion);
    } catch (RuntimeException e) {
      throw failure("ask the engine's version", e);
    }
  }

  @Override
  public boolean hasImage(String image) {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw failure("inspect image " + image, e);
    }
  }

  @Override
  public void pull(String image) {
    ImageReference reference = ImageReference.parse(image);
    try {
      PullProgress progress =
          client
              .pullImageCmd(reference.repository())
              .withTag(reference.tagOrDigest())
              .exec(new PullProgress());
      progress.awaitCompletion();
      progress.throwIfFailed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(
          RuntimeFailure.Code.IMAGE_NOT_FOUND, "interrupted while pulling " + image, e);
    } catch (DockerException | DockerClientException e) {
      // The engine answered: the registry or the image is the problem.
      throw new RuntimeFailure(
          RuntimeFailure.Code.IMAGE_NOT_FOUND, "cannot pull " + image + ": " + dockerSays(e), e);
    } catch (RuntimeException e) {
      throw failure("pull " + image, e);
    }
  }

  @Override
  public InputStream logs(String id, LogOptions options) {
    Objects.requireNonNull(options, "options");
    LogContainerCmd cmd =
        (options.follow() ? streams : client)
            .logContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(options.follow())
            .withTimestamps(options.timestamps());
    if (options.tail() == LogOptions.ALL_LINES) {
      cmd.withTailAll();
    } else {
      cmd.withTail(options.tail());
    }
    DockerLogs logs = new DockerLogs(id, logStreams::remove);
    logStreams.add(logs);
    boolean answered;
    try {
      cmd.exec(logs.callback);
      answered = logs.awaitAnswer(LOGS_ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      logs.close();
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE, "interrupted while asking for the logs of " + id, e);
    } catch (RuntimeException e) {
      logs.close();
      throw failure("read the logs of container " + id, e);
    }
    Throwable refused = logs.failure();
    if (refused != null || !answered) {
      logs.close();
      if (refused instanceof NotFoundException notFound) {
        throw notFound("read the logs of", id, notFound);
      }
      if (refused instanceof RuntimeException e) {
        throw failure("read the logs of container " + id, e);
      }
      throw new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE,
          "cannot read the logs of container "
              + id
              + ": "
              + (refused == null
                  ? "dockerd at "
                      + host
                      + " gave no answer within "
                      + LOGS_ANSWER_TIMEOUT.toSeconds()
                      + " s"
                  : dockerSays(refused)),
          refused);
    }
    return logs;
  }

  @Override
  public Subscription events(EventListener listener) {
    Objects.requireNonNull(listener, "listener");
    DockerEvents events = new DockerEvents(client, host, listener, subscriptions::remove);
    subscriptions.add(events);
    try {
      events.start();
    } catch (RuntimeException e) {
      subscriptions.remove(events);
      throw e;
    }
    return events;
  }

  /** Ends every event subscription and log stream and releases the connections. */
  @Override
  public void close() {
    for (DockerEvents events : List.copyOf(subscriptions)) {
      events.close();
    }
    for (DockerLogs logs : List.copyOf(logStreams)) {
      logs.close();
    }
    try {
      client.close();
      streams.close();
    } catch (IOException e) {
      // Closing only releases pooled connections; nothing to tell the caller.
    }
  }

  @Override
  public String toString() {
    return "DockerRuntime(" + host + ", API " + apiVersion.getVersion() + ")";
  }

  /**
   * Follows a pull's progress. docker-java's own callback logs a failed pull at error level; here
   * the failure is the caller's to report.
   */
  private static final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {
    private volatile Throwable failure;
    private volatile String error = "";

    @Override
    public void onNext(PullResponseItem item) {
      // Errors after the pull began (a layer cannot be fetched) arrive as progress items.
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = item.getErrorDetail().getMessage();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      try {
        close();
      } catch (IOException e) {
        // The pull is over either way.
      }
    }

    void throwIfFailed() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure != null) {
        throw new DockerClientException(dockerSays(failure), failure);
      }
      if (!error.isEmpty()) {
        throw new DockerClientException(error);
      }
    }
  }

  // ---- mapping ----------------------------------------------------------------------------------

  static ContainerInfo toInfo(InspectContainerResponse response) {
    InspectContainerResponse.ContainerState state = response.getState();
    String name = orEmpty(response::getName);
    return new ContainerInfo(
        response.getId(),
        name.startsWith("/") ? name.substring(1) : name,
        response.getConfig() == null ? "" : orEmpty(response.getConfig()::getImage),
        response.getConfig() == null || response.getConfig().getLabels() == null
            ? Map.of()
            : response.getConfig().getLabels(),
        toState(orEmpty(state::getStatus)),
        state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
        Boolean.TRUE.equals(state.getOOMKilled()),
        toHealth(state.getHealth()),
        toInstant(state.getStartedAt()),
        toInstant(state.getFinishedAt()),
        toPorts(response.getHostConfig()),
        orEmpty(state::getError),
        toAddresses(response.getNetworkSettings()));
  }

  static ContainerState toState(String status) {
    return switch (status) {
      case "created" -> ContainerState.CREATED;
      case "running" -> ContainerState.RUNNING;
      case "exited" -> ContainerState.EXITED;
      case "dead" -> ContainerState.DEAD;
      // paused, restarting, removing: neither serving nor ended.
      default -> ContainerState.TRANSIENT;
    };
  }

  static ContainerHealth toHealth(HealthState health) {
    if (health == null || health.getStatus() == null) {
      return ContainerHealth.NONE;
    }
    return switch (health.getStatus()) {
      case "starting" -> ContainerHealth.STARTING;
      case "healthy" -> ContainerHealth.HEALTHY;
      case "unhealthy" -> ContainerHealth.UNHEALTHY;
      default -> ContainerHealth.NONE;
    };
  }

  static Instant toInstant(String dockerTime) {
    if (dockerTime == null || dockerTime.isEmpty() || dockerTime.equals(ZERO_TIME)) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(dockerTime);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private static Map<String, String> toAddresses(NetworkSettings settings) {
    if (settings == null || settings.getNetworks() == null) {
      return Map.of();
    }
    Map<String, String> addresses = new HashMap<>();
    settings
        .getNetworks()
        .forEach(
            (name, network) -> {
              String ip = network.getIpAddress();
              if (ip != null && !ip.isEmpty()) {
                addresses.put(name, ip);
              }
            });
    return addresses;
  }

  private static List<ContainerRequest.PortBinding> toPorts(HostConfig hostConfig) {
    if (hostConfig == null || hostConfig.getPortBindings() == null) {
      return List.of();
    }
    List<ContainerRequest.PortBinding> ports = new ArrayList<>();
    for (Map.Entry<ExposedPort, Ports.Binding[]> entry :
        hostConfig.getPortBindings().getBindings().entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      for (Ports.Binding binding : entry.getValue()) {
        String hostPort = binding.getHostPortSpec();
        // Only fixed ports: LAIN always chooses the host port itself.
        if (hostPort != null && hostPort.matches("\\d{1,5}")) {
          int port = Integer.parseInt(hostPort);
          if (port >= 1 && port <= 65535) {
            ports.add(
                new ContainerRequest.PortBinding(
                    binding.getHostIp() == null ? "" : binding.getHostIp(),
                    port,
                    entry.getKey().getPort()));
          }
        }
      }
    }
    return ports;
  }

  private static String orEmpty(Supplier<String> value) {
    String result = value.get();
    return result == null ? "" : result;
  }

  private static String describe(String name) {
    return name.isEmpty() ? "(unnamed)" : name;
  }

  // ---- errors -----------------------------------------------------------------------------------

  private RuntimeFailure notFound(String action, String id, NotFoundException e) {
    return new RuntimeFailure(
        RuntimeFailure.Code.NOT_FOUND,
        "cannot " + action + " container " + id + ": " + dockerSays(e),
        e);
  }

  /** The engine refused ({@code REJECTED}) or could not be reached ({@code UNAVAILABLE}). */
  private RuntimeFailure failure(String what, RuntimeException e) {
    if (!(e instanceof DockerException) && causedByIo(e)) {
      return new RuntimeFailure(
          RuntimeFailure.Code.UNAVAILABLE,
          "cannot " + what + ": dockerd at " + host + " is unreachable: " + dockerSays(e),
          e);
    }
    return new RuntimeFailure(
        RuntimeFailure.Code.REJECTED, "cannot " + what + ": " + dockerSays(e), e);
  }

  /** docker-java reports transport failures as runtime exceptions around an IOException. */
  static boolean causedByIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern STATUS_MESSAGE =
      Pattern.compile("(?s)Status \\d+: \\{\"message\":\"(.*)\"}\\s*");

  /** What Docker said: the message of its JSON error body, or the exception's own words. */
  static String dockerSays(Throwable e) {
    String message = e.getMessage();
    if (message == null) {
      Throwable cause = e.getCause();
      return cause == null || cause == e ? e.getClass().getSimpleName() : dockerSays(cause);
    }
    Matcher matcher = STATUS_MESSAGE.matcher(message);
    if (matcher.matches()) {
      return unescapeJson(matcher.group(1));
    }
    if (!(e instanceof DockerException)
        && !(e instanceof DockerClientException)
        && e.getCause() != null
        && message.equals(e.getCause().toString())) {
      // A transport wrapper repeating its cause: say the cause.
      return dockerSays(e.getCause());
    }
    return message.strip();
  }

  private static String unescapeJson(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\' || i + 1 == value.length()) {
        out.append(c);
        continue;
      }
      char next = value.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'u' -> {
          if (i + 4 < value.length()) {
            out.append((char) Integer.parseInt(value.substring(i + 1, i + 5), 16));
            i += 4;
          }
        }
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
