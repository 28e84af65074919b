package dev.lain.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lain.agent.AgentApi;
import dev.lain.agent.AgentConfig;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.nodes.JoinTokens;
import dev.lain.runtime.FakeRuntime;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run laind(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LaindCommand.run(env, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static AgentConfig parse(String... args) {
    AgentOptions options = new AgentOptions();
    new CommandLine(options).parseArgs(args);
    return options.config();
  }

  @Test
  void theAgentApiListensOnPort9005UnlessToldOtherwise() {
    assertThat(parse("--node-ip", "127.0.1.1", "--node-name", "n1").apiPort())
        .isEqualTo(AgentApi.DEFAULT_PORT)
        .isEqualTo(9005);
    assertThat(
            parse("--node-ip", "127.0.1.1", "--node-name", "n1", "--agent-port", "9100").apiPort())
        .isEqualTo(9100);
    assertThat(parse("--node-ip", "127.0.1.1", "--node-name", "n1", "--agent-port", "0").apiPort())
        .isZero();
  }

  @Test
  void printConfigShowsTheStoreTheNodeAndTheAgentPort() {
    Run run =
        laind(
            Map.of("LAIN_STORE", "memory:"),
            "agent",
            "--node-ip",
            "127.0.1.5",
            "--node-name",
            "node5",
            "--agent-port",
            "9123",
            "--docker",
            "unix:///run/test-docker.sock",
            "--memory",
            "1g",
            "--cpus",
            "2",
            "--print-config");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("store: memory:  (from env LAIN_STORE)\n")
        .contains("node: node5:127.0.1.5:22\n")
        .contains("agent-port: 9123  (API on 127.0.1.5:9123)\n")
        .contains("docker: unix:///run/test-docker.sock\n")
        .contains("capacity: memory 1073741824 bytes, cpu 2000m\n");
  }

  @Test
  void printConfigShowsTheDefaultAgentPortAndAnyFreePort() {
    assertThat(
            laind(Map.of(), "agent", "--node-ip", "127.0.1.5", "--node-name", "n", "--print-config")
                .out())
        .contains("agent-port: 9005  (API on 127.0.1.5:9005)");
    assertThat(
            laind(
                    Map.of(),
                    "agent",
                    "--node-ip",
                    "127.0.1.5",
                    "--node-name",
                    "n",
                    "--agent-port",
                    "0",
                    "--print-config")
                .out())
        .contains("agent-port: 0  (any free port on 127.0.1.5)");
  }

  @Test
  void anAgentPortOutOfRangeIsRefused() {
    Run run =
        laind(
            Map.of(),
            "agent",
            "--node-ip",
            "127.0.1.5",
            "--node-name",
            "n",
            "--agent-port",
            "70000",
            "--print-config");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--agent-port must be 0..65535");
  }

  // ---- join token -------------------------------------------------------------------------------

  @TempDir Path dir;

  private static AgentOptions options(String node, Path tokenFile) {
    AgentOptions options = new AgentOptions();
    new CommandLine(options)
        .parseArgs(
            "--node-ip",
            "127.0.1.7",
            "--node-name",
            node,
            "--memory",
            "1g",
            "--cpus",
            "1",
            "--agent-port",
            "0",
            "--join-token-file",
            tokenFile.toString());
    return options;
  }

  private Path tokenFile(JoinTokens.JoinToken token) throws IOException {
    return Files.writeString(dir.resolve("join-token"), token.text() + "\n");
  }

  private static boolean registered(Store store, String node) {
    return store.list(DeploydKeys.NODES).entries().stream()
        .anyMatch(kv -> kv.key().startsWith(DeploydKeys.NODES + node + ":"));
  }

  @Test
  void anAgentWithAValidJoinTokenRedeemsItDeletesTheFileAndRegisters() throws Exception {
    try (Store store = new MemoryStore();
        FakeRuntime runtime = FakeRuntime.onSystemClock()) {
      JoinTokens.JoinToken token = JoinTokens.create(store, "node7", Duration.ofMinutes(1));
      Path file = tokenFile(token);

      AutoCloseable agent = Roles.agent(store, options("node7", file), () -> runtime);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> registered(store, "node7"));
      } finally {
        agent.close();
      }
      assertThat(file).doesNotExist();
      assertThat(JoinTokens.pending(store, token.id())).isFalse();
    }
  }

  @Test
  void anAgentWithAUsedOrForeignJoinTokenRegistersNothingAndOpensNoEngine() throws Exception {
    try (Store store = new MemoryStore()) {
      JoinTokens.JoinToken token = JoinTokens.create(store, "node7", Duration.ofMinutes(1));
      JoinTokens.JoinToken forged = new JoinTokens.JoinToken(token.id(), "0".repeat(48));
      JoinTokens.JoinToken other = JoinTokens.create(store, "node8", Duration.ofMinutes(1));
      assertThat(JoinTokens.redeem(store, other, "node8")).isTrue();

      for (JoinTokens.JoinToken bad : List.of(forged, other)) {
        Path file = tokenFile(bad);
        assertThatThrownBy(
                () ->
                    Roles.agent(
                        store,
                        options("node7", file),
                        () -> {
                          throw new AssertionError("the engine was opened");
                        }))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("join token " + bad.id())
            .hasMessageContaining("unknown, spent, expired or not for node node7")
            .hasMessageNotContaining(bad.secret());
        assertThat(file).doesNotExist();
      }
      assertThat(registered(store, "node7")).isFalse();
      // The forged secret did not spend the real token.
      assertThat(JoinTokens.pending(store, token.id())).isTrue();
    }
  }

  @Test
  void laindAgentWithASpentJoinTokenExitsNonZeroAndRegistersNothing() throws Exception {
    String url = "embedded:" + dir.resolve("store.db");
    JoinTokens.JoinToken token;
    try (Store store = Stores.open(url)) {
      token = JoinTokens.create(store, "node7", Duration.ofMinutes(1));
      assertThat(JoinTokens.redeem(store, token, "node7")).isTrue();
    }
    Path file = tokenFile(token);

    Run run =
        laind(
            Map.of("LAIN_STORE", url),
            "agent",
            "--node-ip",
            "127.0.1.7",
            "--node-name",
            "node7",
            "--docker",
            "unix://" + dir.resolve("no-docker.sock"),
            "--join-token-file",
            file.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("error: cannot start agent of node node7")
        .contains("join token " + token.id() + " is unknown, spent, expired or not for node node7")
        .doesNotContain(token.secret());
    assertThat(file).doesNotExist();
    try (Store store = Stores.open(url)) {
      assertThat(registered(store, "node7")).isFalse();
    }
  }

  @Test
  void laindAgentWithoutItsJoinTokenFileExitsNonZero() {
    Run run =
        laind(
            Map.of("LAIN_STORE", "memory:"),
            "agent",
            "--node-ip",
            "127.0.1.7",
            "--node-name",
            "node7",
            "--join-token-file",
            dir.resolve("gone").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("join token file " + dir.resolve("gone") + " does not exist");
  }
}
