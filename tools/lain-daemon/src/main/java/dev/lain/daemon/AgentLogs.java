package dev.lain.daemon;

import dev.lain.agent.AgentClient;
import dev.lain.agent.AgentException;
import dev.lain.console.LogSource;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.records.deployd.DeploydState;
import java.io.IOException;
import java.io.InputStream;

/** Instance logs for the console, streamed from the agent of the node that runs the container. */
public final class AgentLogs implements LogSource {
  private final DeploydState state;
  private final AgentClient client;

  public AgentLogs(DeploydState state, AgentClient client) {
    this.state = state;
    this.client = client;
  }

  @Override
  public InputStream open(ContainerRef container, boolean follow, int tail) throws IOException {
    NodeInfo node = state.nodes().get(container.node());
    if (node == null) {
      throw new IOException("node " + container.node() + " is not registered (is its agent up?)");
    }
    try {
      return client.logs(node, container.container(), follow, tail);
    } catch (AgentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
