package dev.lain.daemon;

import dev.lain.agent.AgentClient;
import dev.lain.agent.AgentConfig;
import dev.lain.agent.NodeAgent;
import dev.lain.console.Console;
import dev.lain.console.ConsoleServer;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.hostnetwork.LinuxHostNetwork;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.webrouter.SystemRoutes;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.docker.DockerRuntime;
import dev.lain.store.Store;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the daemons' roles. */
final class Roles {
  private static final Logger log = LoggerFactory.getLogger(Roles.class);

  private Roles() {}

  /** A node agent on the Docker engine the options name; closing it stops both. */
  static AutoCloseable agent(Store store, AgentOptions options, LaindCommand laind) {
    return agent(
        store, options, () -> DockerRuntime.connect(URI.create(options.dockerHost(laind))));
  }

  /**
   * A node agent on the runtime {@code engine} opens. With a join token file, the token is redeemed
   * first: one that is not (spent, expired, for another node) is an {@link IllegalStateException},
   * and nothing is registered nor the engine opened.
   */
  static AutoCloseable agent(Store store, AgentOptions options, Supplier<ContainerRuntime> engine) {
    AgentConfig config = options.config();
    if (options.joinTokenFile != null) {
      JoinTokenFile.redeem(store, options.joinTokenFile, config.node().name());
    }
    ContainerRuntime runtime = engine.get();
    NodeAgent agent;
    try {
      Optional<LinuxHostNetwork> host =
          !options.leaveHostNetwork
              ? Optional.of(new LinuxHostNetwork(new ProcessCommandRunner(Duration.ofSeconds(30))))
              : Optional.empty();
      agent = NodeAgent.start(config, store, runtime, host, InstantSource.system());
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    return () -> {
      agent.close();
      runtime.close();
    };
  }

  /** The console API on the options' address, over the given store and registry. */
  static AutoCloseable console(Store store, ConsoleOptions options) {
    DeploydState state = new DeploydState(store);
    Console console =
        new Console(
            store,
            new RegistryImages(options.registry),
            new AgentLogs(state, new AgentClient(store)),
            InstantSource.system());
    publishRegistry(store, options.registry);
    return ConsoleServer.start(options.host(), options.port(), console);
  }

  /**
   * Lets the webrouters serve the registry at {@code registry.<domain>}, when it is given by IP (a
   * name would have to be resolved by every router alike).
   */
  private static void publishRegistry(Store store, String registry) {
    try {
      SystemRoutes.publish(
          store, new SystemRoutes.SystemRoute(SystemRoutes.REGISTRY, List.of(registry)));
    } catch (IllegalArgumentException e) {
      log.info(
          "the registry {} is not served through the webrouters: {}", registry, e.getMessage());
    }
  }
}
