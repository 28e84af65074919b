package dev.lain.daemon;

import dev.lain.agent.NodeAgent;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.docker.DockerRuntime;
import dev.lain.store.Store;
import java.net.URI;
import java.time.InstantSource;

/** Starts the daemons' roles. */
final class Roles {
  private Roles() {}

  /** A node agent on the Docker engine the options name; closing it stops both. */
  static AutoCloseable agent(Store store, AgentOptions options, LaindCommand laind) {
    ContainerRuntime runtime = DockerRuntime.connect(URI.create(options.dockerHost(laind)));
    NodeAgent agent = NodeAgent.start(options.config(), store, runtime, InstantSource.system());
    return () -> {
      agent.close();
      runtime.close();
    };
  }
}
