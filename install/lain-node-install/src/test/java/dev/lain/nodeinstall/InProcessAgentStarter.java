package dev.lain.nodeinstall;

import dev.lain.agent.AgentConfig;
import dev.lain.agent.NodeAgent;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import dev.lain.records.nodes.JoinTokens;
import dev.lain.runtime.FakeRuntime;
import dev.lain.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts a node's agent in the test's JVM on the fake runtime, redeeming the join token as {@code
 * laind agent --join-token-file} does; with {@code redeem} false it never redeems (a join that must
 * time out).
 */
final class InProcessAgentStarter implements AgentStarter {
  private final Store store;
  private final FakeRuntime runtime;
  private final Path dataRoot;
  private final boolean redeem;
  final Map<String, NodeAgent> agents = new ConcurrentHashMap<>();

  InProcessAgentStarter(Store store, FakeRuntime runtime, Path dataRoot, boolean redeem) {
    this.store = store;
    this.runtime = runtime;
    this.dataRoot = dataRoot;
    this.redeem = redeem;
  }

  @Override
  public String kind() {
    return "in-process";
  }

  @Override
  public void start(RemoteShell node, AgentLaunch launch) {
    if (redeem && !JoinTokens.redeem(store, launch.token().orElseThrow(), launch.node().name())) {
      throw new RemoteException(RemoteException.Code.STEP_FAILED, "the join token was refused");
    }
    NodeInfo info =
        new NodeInfo(
            launch.node().name(),
            launch.node().ip(),
            launch.sshPort(),
            new Resources(1L << 30, 2000),
            launch.labels().isEmpty() ? Map.of("group", "default") : launch.labels());
    AgentConfig config =
        AgentConfig.defaults(info, dataRoot.resolve(launch.node().name()))
            .withTimings(
                Duration.ofSeconds(5),
                Duration.ofMillis(200),
                Duration.ofMillis(100),
                Duration.ofSeconds(1));
    agents.put(
        launch.node().name(), NodeAgent.start(config, store, runtime, InstantSource.system()));
  }

  @Override
  public void stop(RemoteShell node, AgentLaunch launch) {
    NodeAgent agent = agents.remove(launch.node().name());
    if (agent != null) {
      agent.close();
    }
  }

  void closeAll() {
    agents.values().forEach(NodeAgent::close);
    agents.clear();
  }
}
