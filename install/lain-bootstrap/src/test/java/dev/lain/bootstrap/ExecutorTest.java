package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.exec.CommandRunner;
import dev.lain.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executor against a sandbox root and a recording runner: the exact programs run, files written
 * and store keys set for each kind of plan (golden files {@code execute-*.txt}, regenerated with
 * {@code -Dlain.golden.update=true}), a failing step, and a second run that does nothing.
 */
class ExecutorTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String LAIND = "/opt/lain/bin/laind";

  static Stream<Arguments> plans() {
    return Stream.of(
        Arguments.of("execute-single-node", true, List.of("--single-node")),
        Arguments.of(
            "execute-single-node-no-systemd", false, List.of("--single-node", "--no-systemd")),
        Arguments.of("execute-cluster", true, List.of("-m", "http://mirror.example.com:5000")),
        Arguments.of("execute-cluster-no-systemd", false, List.of("--no-systemd")),
        Arguments.of(
            "execute-registry-bootstrap",
            true,
            List.of("-r", "registry.aliyuncs.com/laincloud", "--domain", "example.org")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void carriesOutEveryStepAsTheGoldenFileSays(
      String name, boolean systemd, List<String> flags, @TempDir Path dir) throws IOException {
    Sandbox sandbox = new Sandbox(dir, systemd);
    Plan plan = plan(flags, Fixtures.freshDebian().withSystemd(systemd));

    Executor.Outcome outcome = sandbox.executor().execute(plan);

    assertThat(outcome.succeeded()).as(sandbox.err()).isTrue();
    assertThat(outcome.done())
        .containsExactlyElementsOf(plan.toDo().stream().map(Step::id).toList());
    String actual = "$ ./bootstrap --execute " + String.join(" ", flags) + "\n" + sandbox.render();
    Path file = GOLDEN.resolve(name + ".txt");
    if (Boolean.getBoolean("lain.golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (regenerate with -Dlain.golden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void storageOnlyGivesTheDiskToDockerAndTouchesNoStore(@TempDir Path dir) throws IOException {
    Sandbox sandbox = new Sandbox(dir, true);
    sandbox.runner.answer("blockdev --getsize64 /dev/vdb", CommandRunner.Result.ok("107374182400"));
    sandbox.runner.answer("lsblk -n -r -d -o MAJ:MIN", new CommandRunner.Result(32, "", ""));
    sandbox.runner.answer("blkid -p", new CommandRunner.Result(2, "", ""));
    sandbox.runner.answer("findmnt", new CommandRunner.Result(1, "", ""));
    sandbox.runner.answer(
        "docker info --format",
        CommandRunner.Result.ok(
            "{\"Driver\":\"overlay2\",\"DockerRootDir\":\"/var/lib/docker\","
                + "\"DriverStatus\":[[\"Backing Filesystem\",\"xfs\"],[\"Supports d_type\","
                + "\"true\"]],\"Warnings\":[]}"));
    // --force: wipes a signature and mounts over the data root, as before.
    List<String> flags =
        List.of(
            "--storage-only",
            "--docker-device",
            "/dev/vdb",
            "--force",
            "--node-ip",
            "192.168.77.21",
            "--domain",
            "example.org",
            "-m",
            "https://mirror.example.com");
    Facts facts = Fixtures.freshDebian().withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb")));
    Plan plan = plan(flags, facts);

    Executor.Outcome outcome = sandbox.executor().execute(plan);

    assertThat(outcome.succeeded()).as(sandbox.err()).isTrue();
    assertThat(outcome.done())
        .containsExactly("packages", "docker-storage", "docker-config", "docker");
    assertThat(sandbox.opened).isZero();
    String actual = "$ ./bootstrap --execute " + String.join(" ", flags) + "\n" + sandbox.render();
    Path file = GOLDEN.resolve("execute-storage-only.txt");
    if (Boolean.getBoolean("lain.golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (regenerate with -Dlain.golden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static final List<String> STORAGE_FLAGS =
      List.of("--storage-only", "--docker-device", "/dev/vdb", "--node-ip", "192.168.77.21");

  /** A blank 100 GiB /dev/vdb and a dockerd that runs on the prepared xfs once started. */
  private static Sandbox storageSandbox(Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);
    sandbox.runner.answer("blockdev --getsize64 /dev/vdb", CommandRunner.Result.ok("107374182400"));
    sandbox.runner.answer("lsblk -n -r -d -o MAJ:MIN", new CommandRunner.Result(32, "", ""));
    sandbox.runner.answer("blkid -p", new CommandRunner.Result(2, "", ""));
    sandbox.runner.answer("findmnt", new CommandRunner.Result(1, "", ""));
    sandbox.runner.answer(
        "docker info --format {{json .}}",
        CommandRunner.Result.ok(
            "{\"Driver\":\"overlay2\",\"DockerRootDir\":\"/var/lib/docker\","
                + "\"DriverStatus\":[[\"Backing Filesystem\",\"xfs\"],[\"Supports d_type\","
                + "\"true\"]],\"Warnings\":[]}"));
    return sandbox;
  }

  /** What Debian's freshly started dockerd leaves in its data root: directories, no records. */
  private static Path debianDockerDataRoot(Path dir) throws IOException {
    Path data = dir.resolve("var/lib/docker");
    Files.createDirectories(data.resolve("containers"));
    Files.createDirectories(data.resolve("image/overlay2/imagedb/content/sha256"));
    Files.createDirectories(data.resolve("overlay2/l"));
    Files.writeString(data.resolve("engine-id"), "0f0e6a7c-engine\n");
    return data;
  }

  private static void assertGolden(String name, List<String> flags, Sandbox sandbox)
      throws IOException {
    String actual = "$ ./bootstrap --execute " + String.join(" ", flags) + "\n" + sandbox.render();
    Path file = GOLDEN.resolve(name + ".txt");
    if (Boolean.getBoolean("lain.golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (regenerate with -Dlain.golden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void aPristineDockerIsStoppedAndItsDataRootMovedAsideBeforeTheDiskIsPrepared(@TempDir Path dir)
      throws IOException {
    Sandbox sandbox = storageSandbox(dir);
    debianDockerDataRoot(dir);
    sandbox.runner.answer(
        "docker info --format {{.Containers}} {{.Images}}", CommandRunner.Result.ok("0 0\n"));
    Facts facts = Fixtures.freshDebian().withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb")));

    Executor.Outcome outcome = sandbox.executor().execute(plan(STORAGE_FLAGS, facts));

    assertThat(outcome.succeeded()).as(sandbox.err()).isTrue();
    assertThat(sandbox.runner.recorded())
        .containsSubsequence(
            "docker info --format {{.Containers}} {{.Images}}",
            "systemctl stop docker.socket docker",
            "blockdev --getsize64 /dev/vdb",
            "mkfs.xfs -n ftype=1 -m uuid=3f1c2a8e-0000-4000-8000-000000000001 -L lain-docker"
                + " /dev/docker/data",
            "mount -t xfs -o defaults,noatime /dev/docker/data /var/lib/docker",
            "systemctl enable -q --now docker");
    assertThat(dir.resolve("var/lib/docker.pre-lain-20261127T100000Z/engine-id")).exists();
    assertGolden("execute-storage-pristine-docker", STORAGE_FLAGS, sandbox);
  }

  @Test
  void withoutAnAnswerFromDockerItsFilesTellThatItIsPristine(@TempDir Path dir) throws IOException {
    Sandbox sandbox = storageSandbox(dir);
    debianDockerDataRoot(dir);
    sandbox.runner.answer(
        "docker info --format {{.Containers}}",
        new CommandRunner.Result(1, "", "Cannot connect to the Docker daemon"));
    Facts facts = Fixtures.freshDebian().withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb")));

    Executor.Outcome outcome = sandbox.executor().execute(plan(STORAGE_FLAGS, facts));

    assertThat(outcome.succeeded()).as(sandbox.err()).isTrue();
    assertThat(sandbox.runner.recorded()).contains("systemctl stop docker.socket docker");
    assertThat(dir.resolve("var/lib/docker.pre-lain-20261127T100000Z/engine-id")).exists();
    assertThat(sandbox.out())
        .contains(
            "/var/lib/docker moved aside to /var/lib/docker.pre-lain-20261127T100000Z (not"
                + " deleted");
  }

  @Test
  void aDataRootWithContainersOrImagesIsRefusedWithItsCountsAndNothingChanges(@TempDir Path dir)
      throws IOException {
    Sandbox sandbox = storageSandbox(dir);
    Path data = debianDockerDataRoot(dir);
    sandbox.runner.answer(
        "docker info --format {{.Containers}} {{.Images}}", CommandRunner.Result.ok("2 3\n"));
    Facts facts = Fixtures.freshDebian().withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb")));
    List<String> before = sandbox.files();

    Executor.Outcome outcome = sandbox.executor().execute(plan(STORAGE_FLAGS, facts));

    assertThat(outcome.done()).containsExactly("packages");
    assertThat(outcome.failure().orElseThrow().step()).isEqualTo("docker-storage");
    assertThat(outcome.failure().orElseThrow().message())
        .startsWith(
            "/var/lib/docker holds 2 containers, 3 images (docker info): nothing was changed."
                + " Remove them (docker rm, docker rmi), or stop Docker and move /var/lib/docker"
                + " away yourself, then run again; or pass --force");
    assertThat(sandbox.runner.recorded())
        .containsExactly(
            "env DEBIAN_FRONTEND=noninteractive apt-get update -q",
            "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends"
                + " docker.io curl ca-certificates lvm2 xfsprogs",
            "findmnt -n -r -o SOURCE --mountpoint /var/lib/docker",
            "docker info --format {{.Containers}} {{.Images}}");
    assertThat(sandbox.files()).isEqualTo(before);
    assertThat(data.resolve("engine-id")).exists();
  }

  @Test
  void forceStillMountsOverADataRootWithoutAskingDocker(@TempDir Path dir) throws IOException {
    Sandbox sandbox = storageSandbox(dir);
    Path data = debianDockerDataRoot(dir);
    sandbox.runner.answer(
        "docker info --format {{.Containers}} {{.Images}}", CommandRunner.Result.ok("2 3\n"));
    List<String> flags = Stream.concat(STORAGE_FLAGS.stream(), Stream.of("--force")).toList();
    Facts facts = Fixtures.freshDebian().withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb")));

    Executor.Outcome outcome = sandbox.executor().execute(plan(flags, facts));

    assertThat(outcome.succeeded()).as(sandbox.err()).isTrue();
    assertThat(sandbox.runner.recorded())
        .doesNotContain("systemctl stop docker.socket docker")
        .doesNotContain("docker info --format {{.Containers}} {{.Images}}")
        .contains("mount -t xfs -o defaults,noatime /dev/docker/data /var/lib/docker");
    assertThat(data.resolve("engine-id")).exists();
    assertThat(dir.resolve("var/lib")).isDirectoryNotContaining("glob:**/docker.pre-lain-*");
  }

  @Test
  void theAdminTokenReachesTheCliOnStandardInputOnly(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);
    sandbox.executor().execute(plan(List.of("--single-node"), Fixtures.freshDebian()));

    assertThat(sandbox.runner.stdin()).hasSize(1);
    String token = sandbox.runner.stdin().getFirst().strip();
    assertThat(token).isNotBlank();
    assertThat(sandbox.render()).doesNotContain(token);
    assertThat(
            sandbox.stores.get("embedded:/var/lib/lain/store.db").get("/lain/console/users/admin"))
        .isPresent();
  }

  @Test
  void aFailingStepStopsTheRunAndNamesTheStep(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);
    sandbox.runner.answer(
        "systemctl start lain-etcd",
        new CommandRunner.Result(1, "", "Job for lain-etcd.service failed."));
    Plan plan = plan(List.of(), Fixtures.freshDebian());

    Executor.Outcome outcome = sandbox.executor().withRetryCommand("./bootstrap").execute(plan);

    assertThat(outcome.failure())
        .contains(
            new Executor.Failure(
                "store", "systemctl start lain-etcd exited 1: Job for lain-etcd.service failed."));
    assertThat(outcome.done())
        .containsExactly("packages", "docker-config", "docker", "debian-services", "supervision");
    assertThat(sandbox.runner.recorded()).last().isEqualTo("systemctl start lain-etcd");
    assertThat(sandbox.out()).contains("==> [6/13] store: start etcd").endsWith("    FAILED\n");
    assertThat(sandbox.err())
        .isEqualTo(
            "error: step 'store' failed: systemctl start lain-etcd exited 1: Job for"
                + " lain-etcd.service failed.\n"
                + "done in this run: packages, docker-config, docker, debian-services,"
                + " supervision\n"
                + "the steps after 'store' were not started; nothing was wiped. Every step is safe"
                + " to repeat: fix the cause and run ./bootstrap again to retry\n");
    assertThat(sandbox.opened).isZero();
  }

  @Test
  void aServiceThatNeverAnswersFailsItsStepWithWhereItsLogIs(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, false);
    sandbox.runner.answer(
        "curl -fsS --max-time 2 -o /dev/null http://127.0.0.1:5000/v2/",
        new CommandRunner.Result(7, "", "curl: (7) Failed to connect"));

    Executor.Outcome outcome =
        sandbox
            .executor()
            .execute(plan(List.of("--single-node"), Fixtures.freshDebian().withSystemd(false)));

    assertThat(outcome.failure().orElseThrow().step()).isEqualTo("registry");
    assertThat(outcome.failure().orElseThrow().message())
        .isEqualTo(
            "lain-registry did not answer http://127.0.0.1:5000/v2/ within 60s (logs:"
                + " /var/log/lain/)");
  }

  @Test
  void dockerOnLoopbackStorageFailsTheDockerStep(@TempDir Path dir) throws IOException {
    Sandbox sandbox = new Sandbox(dir, true);
    sandbox.runner.answer(
        "docker info --format",
        CommandRunner.Result.ok(
            "{\"Driver\":\"devicemapper\",\"DockerRootDir\":\"/var/lib/docker\","
                + "\"DriverStatus\":[[\"Data loop file\",\"/var/lib/docker/devicemapper/data\"]],"
                + "\"Warnings\":[\"WARNING: Usage of loopback devices is strongly discouraged for"
                + " production use.\"]}"));
    Facts facts =
        Fixtures.freshDebian()
            .withDevice(
                Optional.of(
                    new Facts.Device(
                        "/dev/vdb",
                        true,
                        true,
                        100 * Fixtures.GIB,
                        List.of(Layout.DOCKER_DATA),
                        List.of("LVM2_member"))))
            .withInstalled(
                new Facts.Installed(
                    java.util.Set.of(),
                    java.util.Set.of(),
                    false,
                    false,
                    java.util.Map.of(),
                    Optional.of(Layout.DOCKER_LV_MAPPER),
                    Optional.empty()));

    Executor.Outcome outcome =
        sandbox.executor().execute(plan(List.of("--docker-device", "/dev/vdb"), facts));

    assertThat(outcome.done()).containsExactly("packages", "docker-config");
    assertThat(outcome.skipped()).contains("docker-storage");
    assertThat(outcome.failure().orElseThrow().step()).isEqualTo("docker");
    assertThat(outcome.failure().orElseThrow().message())
        .startsWith("Docker does not run on the prepared disk: Docker uses loopback storage:");
    assertThat(sandbox.runner.recorded())
        .containsSubsequence(
            "systemctl daemon-reload",
            "systemctl enable -q --now docker",
            "docker info",
            "docker info --format {{json .}}");
    assertThat(Files.readString(dir.resolve("etc/docker/daemon.json")))
        .contains("\"storage-driver\": \"overlay2\"", "\"data-root\": \"/var/lib/docker\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void aSecondRunOnTheSameMachineDoesNothing(
      String name, boolean systemd, List<String> flags, @TempDir Path dir) throws IOException {
    Facts fresh = Fixtures.freshDebian().withSystemd(systemd);
    Facts after = Fixtures.afterRun(fresh, plan(flags, fresh));
    Plan second = plan(flags, after);
    Sandbox sandbox = new Sandbox(dir, systemd);
    List<String> before = sandbox.files();

    Executor.Outcome outcome = sandbox.executor().execute(second);

    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.done()).isEmpty();
    assertThat(outcome.skipped()).hasSize(second.steps().size());
    assertThat(sandbox.runner.recorded()).isEmpty();
    assertThat(sandbox.opened).isZero();
    assertThat(sandbox.files()).isEqualTo(before);
    assertThat(sandbox.out()).doesNotContain("    done").contains("already done");
  }

  @Test
  void aPlanMadeWhileTheStoreWasDownRewritesNothingThatIsThere(@TempDir Path dir)
      throws IOException {
    Sandbox sandbox = new Sandbox(dir, true);
    List<String> flags =
        List.of("-r", "registry.aliyuncs.com/laincloud", "-m", "http://mirror.example.com:5000");
    Facts fresh = Fixtures.freshDebian();
    Plan first = plan(flags, fresh);
    assertThat(sandbox.executor().execute(first).succeeded()).as(sandbox.err()).isTrue();
    // What lain login wrote: the recording runner runs nothing.
    Files.createDirectories(dir.resolve("root/.lain"));
    Files.writeString(dir.resolve("root/.lain/lain.conf.yaml"), "phases: {}\n");
    // After a reboot the probe runs before etcd answers: it reads no store.
    Facts.Installed after = Fixtures.afterRun(fresh, first).installed();
    Facts storeDown =
        fresh.withInstalled(
            new Facts.Installed(
                after.packages(),
                after.runningServices(),
                after.dockerRunning(),
                after.baseImage(),
                after.files(),
                after.presentFiles(),
                after.dockerDataSource(),
                Optional.empty(),
                after.dockerContents()));
    Plan second = plan(flags, storeDown);
    assertThat(second.toDo())
        .extracting(Step::id)
        .containsExactly("cluster-config", "container-network", "certificates", "admin-token");
    Store store = sandbox.stores.get("etcd://192.168.77.21:2379");
    long revision = store.revision();
    List<String> files = sandbox.files();
    List<String> commands = List.copyOf(sandbox.runner.recorded());

    Executor.Outcome outcome = sandbox.executor().execute(second);

    assertThat(outcome.done())
        .containsExactly("cluster-config", "container-network", "certificates", "admin-token");
    assertThat(store.revision()).isEqualTo(revision);
    assertThat(sandbox.files()).isEqualTo(files);
    assertThat(sandbox.runner.recorded()).isEqualTo(commands);
    assertThat(sandbox.out())
        .contains(
            "    /lain/config/domain = lain.local already (kept)\n",
            "    /lain/config/registry_mirror = http://mirror.example.com:5000 already (kept)\n",
            "    /lain/config/registry_bootstrap = registry.aliyuncs.com/laincloud already (kept)\n",
            "    certificate 'web' is stored and valid: kept\n",
            "    the admin 'admin' exists and /root/.lain/lain.conf.yaml is kept\n");
  }

  private static Plan plan(List<String> flags, Facts facts) {
    String[] args =
        Stream.concat(flags.stream(), Stream.of("--laind", LAIND)).toArray(String[]::new);
    return Plan.of(Fixtures.options(args), facts);
  }
}
