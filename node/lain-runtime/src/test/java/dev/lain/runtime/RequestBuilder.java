package dev.lain.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link ContainerRequest}s in tests: LAIN's defaults, then only what a test cares about.
 */
public final class RequestBuilder {
  private String name;
  private String image;
  private Optional<List<String>> entrypoint = Optional.empty();
  private List<String> command = List.of();
  private final List<String> env = new ArrayList<>();
  private final Map<String, String> labels = new LinkedHashMap<>();
  private String user = "";
  private String workdir = "";
  private long memoryBytes = 32L << 20;
  private long cpuQuotaMicros;
  private long cpuPeriodMicros;
  private Optional<ContainerRequest.PortBinding> port = Optional.empty();
  private final List<ContainerRequest.Bind> binds = new ArrayList<>();
  private Optional<ContainerRequest.CommandHealthCheck> healthCheck = Optional.empty();
  private boolean init = true;
  private Optional<String> network = Optional.empty();

  private RequestBuilder(String name, String image) {
    this.name = name;
    this.image = image;
  }

  /** A container of {@code image}, unnamed (the engine picks a name), 32m, with init. */
  public static RequestBuilder of(String image) {
    return new RequestBuilder("", image);
  }

  /** A copy to change without changing this one. */
  public RequestBuilder copy() {
    RequestBuilder copy = new RequestBuilder(name, image);
    copy.entrypoint = entrypoint;
    copy.command = command;
    copy.env.addAll(env);
    copy.labels.putAll(labels);
    copy.user = user;
    copy.workdir = workdir;
    copy.memoryBytes = memoryBytes;
    copy.cpuQuotaMicros = cpuQuotaMicros;
    copy.cpuPeriodMicros = cpuPeriodMicros;
    copy.port = port;
    copy.binds.addAll(binds);
    copy.healthCheck = healthCheck;
    copy.init = init;
    copy.network = network;
    return copy;
  }

  public RequestBuilder name(String value) {
    name = value;
    return this;
  }

  public RequestBuilder image(String value) {
    image = value;
    return this;
  }

  public RequestBuilder entrypoint(String... value) {
    entrypoint = Optional.of(List.of(value));
    return this;
  }

  public RequestBuilder command(String... value) {
    command = List.of(value);
    return this;
  }

  public RequestBuilder env(String keyValue) {
    env.add(keyValue);
    return this;
  }

  public RequestBuilder label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public RequestBuilder labels(Map<String, String> value) {
    labels.putAll(value);
    return this;
  }

  public RequestBuilder user(String value) {
    user = value;
    return this;
  }

  public RequestBuilder workdir(String value) {
    workdir = value;
    return this;
  }

  public RequestBuilder memoryBytes(long value) {
    memoryBytes = value;
    return this;
  }

  public RequestBuilder cpu(long quotaMicros, long periodMicros) {
    cpuQuotaMicros = quotaMicros;
    cpuPeriodMicros = periodMicros;
    return this;
  }

  public RequestBuilder port(String hostIp, int hostPort, int containerPort) {
    port = Optional.of(new ContainerRequest.PortBinding(hostIp, hostPort, containerPort));
    return this;
  }

  public RequestBuilder port(ContainerRequest.PortBinding value) {
    port = Optional.of(value);
    return this;
  }

  public RequestBuilder bind(String hostPath, String containerPath, boolean readOnly) {
    binds.add(new ContainerRequest.Bind(hostPath, containerPath, readOnly));
    return this;
  }

  public RequestBuilder healthCheck(String shell, int intervalSeconds, int retries) {
    healthCheck =
        Optional.of(
            new ContainerRequest.CommandHealthCheck(
                shell, intervalSeconds, intervalSeconds, retries));
    return this;
  }

  public RequestBuilder network(String value) {
    network = Optional.of(value);
    return this;
  }

  public RequestBuilder init(boolean value) {
    init = value;
    return this;
  }

  public ContainerRequest build() {
    return new ContainerRequest(
        name,
        image,
        entrypoint,
        command,
        env,
        labels,
        user,
        workdir,
        memoryBytes,
        cpuQuotaMicros,
        cpuPeriodMicros,
        port,
        binds,
        healthCheck,
        init,
        network);
  }
}
