package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.console.AppImages;
import dev.lain.console.Console;
import dev.lain.console.ConsoleServer;
import dev.lain.model.deploy.Limits;
import dev.lain.model.deploy.MemorySize;
import dev.lain.records.console.Users;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;
import dev.lain.store.MemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of limits, checked through the three ways a proc's size is set: its lain.yaml, the
 * console API and {@code lain scale}. Each entry point must accept exactly what the others accept
 * and refuse the rest with the same words (the rule's problem from {@link Limits}).
 */
class LimitsAgreeTest {
  static final String VERSION = "1700000001-" + "a".repeat(40);
  static final String LAIN_YAML =
      """
      appname: hello
      build:
        base: lain/busybox
        script: [echo hi]
      worker:
        cmd: sleep 1000
      """;

  /** The field as lain.yaml names it, the value as written there, and whether it is allowed. */
  static Stream<Arguments> limits() {
    return Stream.of(
        row("num_instances", "-1", false),
        row("num_instances", "0", true),
        row("num_instances", "1", true),
        row("num_instances", Integer.toString(Limits.MAX_INSTANCES), true),
        row("num_instances", Integer.toString(Limits.MAX_INSTANCES + 1), false),
        row("num_instances", "5000", false),
        row("cpu", "-1", false),
        row("cpu", "0", true),
        row("cpu", Integer.toString(Limits.MAX_CPU_LEVEL), true),
        row("cpu", Integer.toString(Limits.MAX_CPU_LEVEL + 1), false),
        row("memory", "5m", false),
        row("memory", "6m", true),
        row("memory", "64m", true),
        row("memory", "1024g", true),
        row("memory", "1025g", false),
        row("memory", "9999999999999g", false),
        row("memory", "0m", false),
        row("memory", "64k", false));
  }

  private static Arguments row(String field, String value, boolean allowed) {
    return Arguments.of(field, value, allowed);
  }

  @TempDir Path home;
  @TempDir Path app;
  MemoryStore store;
  ConsoleServer server;
  String token;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void deployedApp() throws Exception {
    store = new MemoryStore();
    AppImages images =
        new AppImages() {
          @Override
          public List<String> metaVersions(String name) {
            return List.of(VERSION);
          }

          @Override
          public Optional<String> lainYaml(String name, String version) {
            return Optional.of(LAIN_YAML);
          }

          @Override
          public Optional<String> releaseImage(String name, String version) {
            return Optional.of("registry.test/hello:release-" + version);
          }
        };
    Console console =
        new Console(
            store,
            images,
            (ref, follow, tail) -> {
              throw new IOException("no logs here");
            },
            InstantSource.system());
    server = ConsoleServer.start("127.0.0.1", 0, console);
    token = Users.createAdmin(store, "admin");
    Files.writeString(app.resolve("lain.yaml"), LAIN_YAML);
    Path tokenFile = home.resolve("token");
    Files.writeString(tokenFile, token);
    assertThat(
            lain("config", "save", "test", "console", "http://127.0.0.1:" + server.port())
                .exitCode())
        .isZero();
    assertThat(lain("login", "test", "--token-file", tokenFile.toString()).exitCode()).isZero();
    assertThat(lain("reposit", "test").exitCode()).isZero();
    assertThat(lain("deploy", "test", "--no-wait").exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @ParameterizedTest(name = "{0}: {1} allowed={2}")
  @MethodSource("limits")
  void lainYamlTheConsoleApiAndLainScaleAgree(String field, String value, boolean allowed)
      throws Exception {
    Optional<String> problem = problem(field, value);
    assertThat(problem.isEmpty()).as("the rule of " + field + " for " + value).isEqualTo(allowed);

    ValidationResult yaml = LainYaml.validate(LAIN_YAML + "  " + field + ": " + value + "\n");
    HttpResponse<String> api =
        patch("{\"" + field + "\":" + (field.equals("memory") ? "\"" + value + "\"" : value) + "}");
    CliRun scale = lain("scale", "test", "worker", flag(field), value);

    if (allowed) {
      assertThat(yaml).as(yaml.diagnostics().toString()).isInstanceOf(ValidationResult.Valid.class);
      assertThat(api.statusCode()).as(api.body()).isEqualTo(202);
      assertThat(scale.exitCode()).as(scale.err()).isZero();
    } else {
      assertThat(yaml).isInstanceOf(ValidationResult.Invalid.class);
      assertThat(yaml.diagnostics().toString()).contains(problem.get());
      assertThat(api.statusCode()).isEqualTo(400);
      assertThat(api.body()).contains(json(problem.get()));
      assertThat(scale.exitCode()).isEqualTo(ExitCode.FAILED);
      assertThat(scale.err()).contains(problem.get());
    }
  }

  /** The rule's own verdict on the value, naming no field. */
  private static Optional<String> problem(String field, String value) {
    return switch (field) {
      case "num_instances" -> Limits.instancesProblem(Long.parseLong(value));
      case "cpu" -> Limits.cpuProblem(Long.parseLong(value));
      default -> MemorySize.parse(value).problem();
    };
  }

  private static String flag(String field) {
    return switch (field) {
      case "num_instances" -> "-n";
      case "cpu" -> "-c";
      default -> "-m";
    };
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private HttpResponse<String> patch(String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/v1/apps/hello/procs/worker"))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .header("access-token", token)
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CliRun lain(String... args) {
    return CliRun.lain(Map.of("LAIN_HOME", home.toString()), app, args);
  }
}
