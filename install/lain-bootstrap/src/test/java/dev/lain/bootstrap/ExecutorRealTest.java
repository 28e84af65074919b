package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.exec.CommandRunner;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.StoredCertificate;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.RequiredServices;
import dev.lain.tls.CertificateCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's steps for real, where that is harmless on a machine that runs a LAIN node: units
 * checked by the real {@code systemd-analyze verify} (in a temp dir; systemctl is never run), the
 * CA and wildcard certificate against lain-tls and a memory store, and Debian's etcd started by the
 * store step on loopback with free ports in a temp dir, the cluster configuration written into it.
 */
class ExecutorRealTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  @Test
  void generatedUnitsPassSystemdAnalyzeVerify(@TempDir Path root) {
    Path analyze = RequiredServices.require("systemd-analyze", "apt-get install systemd");
    RequiredServices.require("etcd", "apt-get install etcd-server");
    RequiredServices.require("docker-registry", "apt-get install docker-registry");
    // ExecStart must name an executable: the repository's own launcher.
    Path laind = Path.of("../../bin/laind").toAbsolutePath().normalize();
    assertThat(laind).isExecutable();
    Plan plan =
        Plan.of(
            Fixtures.options("--laind", laind.toString(), "-m", "https://mirror.example.com"),
            Fixtures.freshDebian());
    Plan single =
        Plan.of(
            Fixtures.options("--single-node", "--laind", laind.toString()), Fixtures.freshDebian());
    List<String> verified = new ArrayList<>();
    ProcessCommandRunner real = new ProcessCommandRunner(Duration.ofSeconds(60));
    // Only systemd-analyze runs for real; systemctl and the rest are recorded, never run.
    CommandRunner runner =
        command -> {
          if (command.getFirst().equals("systemd-analyze")) {
            List<String> actual = new ArrayList<>(command);
            actual.set(0, analyze.toString());
            CommandRunner.Result result = real.run(actual);
            if (command.get(1).equals("verify")) {
              verified.add(
                  String.join(" ", command) + " -> " + result.exitCode() + result.stderr());
            }
            return result;
          }
          return CommandRunner.Result.ok("");
        };

    for (Plan p : List.of(plan, single)) {
      Executor.Outcome outcome =
          new Executor(runner, root, url -> Stores.open("memory:"), print, print)
              .execute(only(p, "supervision"));
      assertThat(outcome.succeeded()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
    }

    assertThat(verified).hasSize(2).allMatch(v -> v.contains(" -> 0"));
    assertThat(root.resolve("etc/systemd/system"))
        .isDirectoryContaining("glob:**/lain-etcd.service")
        .isDirectoryContaining("glob:**/lain-master.service")
        .isDirectoryContaining("glob:**/lain-agent.service")
        .isDirectoryContaining("glob:**/lain-router.service")
        .isDirectoryContaining("glob:**/lain-registry.service")
        .isDirectoryContaining("glob:**/lain-node.service");
  }

  @Test
  void aUnitNamingAMissingProgramFailsTheSupervisionStep(@TempDir Path root) {
    RequiredServices.require("systemd-analyze", "apt-get install systemd");
    ProcessCommandRunner real = new ProcessCommandRunner(Duration.ofSeconds(60));
    CommandRunner runner =
        command ->
            command.getFirst().equals("systemd-analyze")
                ? real.run(command)
                : CommandRunner.Result.ok("");
    Plan plan = Plan.of(Fixtures.options("--laind", "/nonexistent/laind"), Fixtures.freshDebian());

    Executor.Outcome outcome =
        new Executor(runner, root, url -> Stores.open("memory:"), print, print)
            .execute(only(plan, "supervision"));

    assertThat(outcome.failure().orElseThrow().step()).isEqualTo("supervision");
    assertThat(outcome.failure().orElseThrow().message())
        .contains("systemd-analyze verify", "/nonexistent/laind is not executable");
  }

  @Test
  void theCaAndWildcardCertificateAreValidForTheClusterDomainsAndStoredAsWeb(@TempDir Path root)
      throws Exception {
    Store store = Stores.open("memory:");
    StoreOpener opener =
        new StoreOpener() {
          @Override
          public Store open(String url) {
            return store;
          }

          @Override
          public void release(Store s) {}
        };
    Plan plan = Plan.of(Fixtures.options(), Fixtures.freshDebian());
    Executor executor =
        new Executor(command -> CommandRunner.Result.ok(""), root, opener, print, print);

    assertThat(executor.execute(only(plan, "certificates")).succeeded())
        .as(out.toString(StandardCharsets.UTF_8))
        .isTrue();

    StoredCertificate web =
        new CertificateStore(store, InstantSource.system()).get("web").orElseThrow();
    assertThat(web.hosts()).containsExactlyInAnyOrder("*.lain.local", "*.lain");
    switch (CertificateCheck.check(web.certificate(), web.key(), Instant.now())) {
      case CertificateCheck.Passed passed ->
          assertThat(passed.certificate().hosts())
              .containsExactlyInAnyOrder("*.lain.local", "*.lain");
      case CertificateCheck.Failed failed ->
          throw new AssertionError("lain-tls refuses it: " + failed.problems());
    }
    ClusterConfig config = new ClusterConfigStore(store).load();
    assertThat(config.ssl()).containsEntry("*.lain.local", "web").containsEntry("*.lain", "web");

    Path caCert = root.resolve("etc/lain/ssl/ca.crt");
    Path caKey = root.resolve("etc/lain/ssl/ca.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caKey)))
        .isEqualTo("rw-------");
    X509Certificate ca = x509(Files.readString(caCert));
    X509Certificate leaf = x509(web.certificate());
    leaf.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);

    // Again: the CA is kept (clients trusting it keep trusting), the certificate renewed.
    byte[] caBefore = Files.readAllBytes(caCert);
    assertThat(executor.execute(only(plan, "certificates")).succeeded()).isTrue();
    assertThat(Files.readAllBytes(caCert)).isEqualTo(caBefore);
    x509(new CertificateStore(store, InstantSource.system()).get("web").orElseThrow().certificate())
        .verify(ca.getPublicKey());
  }

  @Test
  void theStoreStepStartsEtcdAndTheClusterConfigurationIsWrittenIntoIt(@TempDir Path root)
      throws IOException {
    RequiredServices.require("etcd", "apt-get install etcd-server");
    RequiredServices.require("curl", "apt-get install curl");
    RequiredServices.require("setsid", "apt-get install util-linux");
    int client = freePort();
    int peer = freePort();
    String url = "etcd://127.0.0.1:" + client;
    EtcdMember member =
        new EtcdMember(
            "node1",
            root.resolve("var/lib/lain/etcd").toString(),
            List.of("http://127.0.0.1:" + client),
            "http://127.0.0.1:" + client,
            "http://127.0.0.1:" + peer,
            "lain-test");
    Plan cluster =
        Plan.of(
            Fixtures.options("--node-network", "192.168.77.0/24", "-m", "https://m.example.com"),
            Fixtures.freshDebian());
    Action.WriteClusterConfig defaults =
        (Action.WriteClusterConfig) only(cluster, "cluster-config").steps().getFirst().action();
    Plan plan =
        new Plan(
            cluster.options(),
            cluster.node(),
            Supervision.PID_FILES,
            List.of(
                new Step(
                    "store",
                    "start etcd on loopback",
                    new Action.StartServices(List.of(member.service()), List.of(), List.of()),
                    Changes.NONE,
                    Step.TO_DO),
                new Step(
                    "cluster-config",
                    "write the defaults",
                    new Action.WriteClusterConfig(
                        url, defaults.values(), defaults.registryBootstrap()),
                    Changes.NONE,
                    Step.TO_DO)));
    Executor executor =
        new Executor(
            new ProcessCommandRunner(Duration.ofSeconds(30)),
            root,
            StoreOpener.under(root),
            print,
            print);
    Path pidFile = root.resolve("run/lain/etcd.pid");
    try {
      Executor.Outcome first = executor.execute(plan);
      assertThat(first.succeeded()).as(output(root)).isTrue();
      String pid = Files.readString(pidFile).strip();
      assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.of(Long.parseLong(pid)).flatMap(h -> h.info().command()).orElse(""))
          .endsWith("etcd");

      try (Store store = Stores.open(url)) {
        ClusterConfig config = new ClusterConfigStore(store).load();
        assertThat(config.entry(ConfigKey.DOMAIN).value()).isEqualTo("lain.local");
        assertThat(config.entry(ConfigKey.NODE_NETWORK).value()).isEqualTo("192.168.77.0/24");
        assertThat(config.entry(ConfigKey.REGISTRY_MIRROR).value())
            .isEqualTo("https://m.example.com");
      }

      // A second run finds etcd alive behind its pid file: nothing is started again.
      Executor.Outcome second = executor.execute(plan);
      assertThat(second.succeeded()).as(output(root)).isTrue();
      assertThat(Files.readString(pidFile).strip()).isEqualTo(pid);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("lain-etcd: running (pid " + pid);
    } finally {
      stop(pidFile);
    }
  }

  private String output(Path root) {
    String log = "";
    try {
      Path file = root.resolve("var/log/lain/etcd.log");
      log = Files.exists(file) ? Files.readString(file) : "(no etcd log)";
    } catch (IOException e) {
      log = e.toString();
    }
    return out.toString(StandardCharsets.UTF_8) + "\netcd log:\n" + log;
  }

  /** Stops only the etcd this test started, by the pid it wrote. */
  private static void stop(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> etcd =
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
    etcd.ifPresent(
        handle -> {
          handle.destroy();
          try {
            handle.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            handle.destroyForcibly();
          }
        });
  }

  private static Plan only(Plan plan, String step) {
    return new Plan(
        plan.options(),
        plan.node(),
        plan.supervision(),
        plan.steps().stream().filter(s -> s.id().equals(step)).toList());
  }

  private static X509Certificate x509(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
