package dev.lain.runtime;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's container engine as the agent uses it. Implementations: {@code DockerRuntime} (the real
 * dockerd, in lain-runtime-docker) and {@link FakeRuntime} (scriptable, for tests and simulations).
 *
 * <p>Containers are found again by their labels, so an agent that restarts adopts the containers it
 * created before without touching them. Every method throws {@link RuntimeFailure} when the engine
 * refuses or cannot be reached.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** Creates (does not start) a container; returns its id. */
  String create(ContainerRequest request);

  void start(String id);

  /** Stops a running container: SIGTERM, then SIGKILL after {@code timeoutSeconds}. */
  void stop(String id, int timeoutSeconds);

  /** Removes a container, killing it if it runs. Removing a missing container is not an error. */
  void remove(String id);

  Optional<ContainerInfo> inspect(String id);

  /** Every container (running or not) carrying all of {@code labels}. */
  List<ContainerInfo> list(Map<String, String> labels);

  /**
   * The engine's version (Docker's {@code Version}, e.g. {@code 27.3.1}): a cheap call that shows
   * the engine answers, for health checks.
   *
   * @throws RuntimeFailure {@link RuntimeFailure.Code#UNAVAILABLE} if the engine cannot be reached
   */
  String version();

  /** True if the image is present locally. */
  boolean hasImage(String image);

  /** Pulls an image (from the cluster's registry). */
  void pull(String image);

  /**
   * Creates the network {@code spec} asks for, or returns the one of that name that is already so
   * (an agent restart changes nothing).
   *
   * @throws RuntimeFailure {@link RuntimeFailure.Code#REJECTED} naming both when a network of that
   *     name exists with other addresses, bridge or MTU, or the subnet is taken by another network
   */
  NetworkInfo ensureNetwork(NetworkSpec spec);

  Optional<NetworkInfo> network(String name);

  /** Removes a network; removing a missing one is not an error. */
  void removeNetwork(String name);

  /**
   * The output of container {@code id} (id or name): standard output and standard error merged in
   * the order they were written, as UTF-8 text lines each ending in {@code \n}.
   *
   * <p>Without {@link LogOptions#follow()} the stream ends after the lines written so far. With it,
   * the stream passes on new lines as they are written and ends when the container stops or is
   * removed (at once if it is not running). Closing the stream ends it early and releases what it
   * holds in the engine; a reader blocked in {@code read} then gets the end of the stream or an
   * {@link java.io.IOException}.
   *
   * @throws RuntimeFailure {@link RuntimeFailure.Code#NOT_FOUND} if there is no such container
   */
  InputStream logs(String id, LogOptions options);

  /**
   * Calls {@code listener} with every container event (start, die, health change, OOM, destroy)
   * until the returned subscription is closed. Events are hints to look again: the agent always
   * re-reads with {@link #inspect} or {@link #list}.
   */
  Subscription events(EventListener listener);

  /** Receives container events, on one thread. */
  @FunctionalInterface
  interface EventListener {
    void onEvent(ContainerEvent event);
  }

  /** A running subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  void close();
}
