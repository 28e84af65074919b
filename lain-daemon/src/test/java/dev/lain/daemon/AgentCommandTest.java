package dev.lain.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.agent.AgentApi;
import dev.lain.agent.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
