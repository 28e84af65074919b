package dev.lain.bootstrap;

import dev.lain.dockerdisk.CommandRunner;
import dev.lain.dockerdisk.DockerStorage;
import dev.lain.dockerdisk.StorageException;
import dev.lain.dockerdisk.StorageOptions;
import dev.lain.dockerdisk.StoragePlan;
import dev.lain.dockerdisk.StorageReport;
import dev.lain.records.RecordException;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.CertificateStoreException;
import dev.lain.records.config.ClusterConfigException;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.console.Users;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.tls.CertificateAuthority;
import dev.lain.tls.CertificateCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The doing half of {@code ./bootstrap}: carries out a {@link Plan} step by step, skipping the
 * steps an earlier run already did. Each step prints one line, then {@code done} or the error
 * naming the step; the first failure stops the run and says what was done and how to retry (every
 * step checks before it changes, so running bootstrap again is the retry). Nothing is ever wiped:
 * no store, no container, no data directory.
 *
 * <p>The machine is reached only through its seams: programs through a {@link CommandRunner}, files
 * under a root directory ({@code /}, or a sandbox in tests), stores through a {@link StoreOpener}.
 */
public final class Executor {
  /** How long dockerd and each service with a health URL get to answer. */
  public static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration POLL = Duration.ofMillis(200);
  private static final String CLI_PHASE = "local";
  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final CommandRunner runner;
  private final Path root;
  private final StoreOpener stores;
  private final PrintStream out;
  private final PrintStream err;
  private final Pause pause;
  private final InstantSource clock;
  private final Supplier<UUID> uuids;
  private final String retry;

  /** Waits between polls; tests do not wait. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /**
   * An executor acting on the machine under {@code root}, printing progress to {@code out} and
   * errors to {@code err}.
   */
  public Executor(
      CommandRunner runner, Path root, StoreOpener stores, PrintStream out, PrintStream err) {
    this(
        runner,
        root,
        stores,
        out,
        err,
        d -> Thread.sleep(d.toMillis()),
        InstantSource.system(),
        UUID::randomUUID,
        "./bootstrap with the same flags");
  }

  private Executor(
      CommandRunner runner,
      Path root,
      StoreOpener stores,
      PrintStream out,
      PrintStream err,
      Pause pause,
      InstantSource clock,
      Supplier<UUID> uuids,
      String retry) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.root = Objects.requireNonNull(root, "root");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.uuids = Objects.requireNonNull(uuids, "uuids");
    this.retry = Objects.requireNonNull(retry, "retry");
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("root must be absolute: " + root);
    }
  }

  public Executor withPause(Pause value) {
    return new Executor(runner, root, stores, out, err, value, clock, uuids, retry);
  }

  public Executor withClock(InstantSource value) {
    return new Executor(runner, root, stores, out, err, pause, value, uuids, retry);
  }

  /**
   * The file system UUID drawn for a new Docker disk (lain-docker-disk writes it to fstab first).
   */
  public Executor withUuids(Supplier<UUID> value) {
    return new Executor(runner, root, stores, out, err, pause, clock, value, retry);
  }

  /** The command a failed run tells the operator to run again, e.g. {@code ./bootstrap -r R}. */
  public Executor withRetryCommand(String value) {
    return new Executor(runner, root, stores, out, err, pause, clock, uuids, value);
  }

  /**
   * What a run did.
   *
   * @param done the ids of the steps carried out
   * @param skipped the ids of the steps an earlier run had done
   * @param failure the step that failed and why; empty when every step is done
   */
  public record Outcome(List<String> done, List<String> skipped, Optional<Failure> failure) {
    public Outcome {
      done = List.copyOf(done);
      skipped = List.copyOf(skipped);
      Objects.requireNonNull(failure, "failure");
    }

    public boolean succeeded() {
      return failure.isEmpty();
    }
  }

  /** The step that stopped the run. */
  public record Failure(String step, String message) {}

  /** A step could not be carried out; the message says why, for the operator. */
  private static final class StepFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message);
    }
  }

  /**
   * Carries out every step of {@code plan} still to do, in order, stopping at the first failure.
   */
  public Outcome execute(Plan plan) {
    List<String> done = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int total = plan.steps().size();
    int number = 0;
    for (Step step : plan.steps()) {
      number++;
      String prefix = "==> [" + number + "/" + total + "] " + step.id() + ": ";
      if (step.status() instanceof Step.Status.AlreadyDone already) {
        out.println(prefix + "already done (" + already.reason() + ")");
        skipped.add(step.id());
        continue;
      }
      out.println(prefix + step.description());
      try {
        carryOut(plan, step);
      } catch (StepFailed | StorageException | UncheckedIOException | IllegalArgumentException e) {
        return failed(step, e.getMessage(), done, skipped);
      } catch (RuntimeException e) {
        // A store that cannot be reached, a bug: still name the step, and keep the cause.
        return failed(step, e.getClass().getSimpleName() + ": " + e.getMessage(), done, skipped);
      }
      out.println("    done");
      done.add(step.id());
    }
    out.println(
        "bootstrap finished: "
            + done.size()
            + " step(s) done, "
            + skipped.size()
            + " already in place");
    return new Outcome(done, skipped, Optional.empty());
  }

  private Outcome failed(Step step, String message, List<String> done, List<String> skipped) {
    out.println("    FAILED");
    err.println("error: step '" + step.id() + "' failed: " + message);
    err.println(
        "done in this run: "
            + (done.isEmpty() ? "nothing" : String.join(", ", done))
            + (skipped.isEmpty() ? "" : "; already in place: " + String.join(", ", skipped)));
    err.println(
        "the steps after '"
            + step.id()
            + "' were not started; nothing was wiped. Every step is safe to repeat: fix the"
            + " cause and run "
            + retry
            + " again to retry");
    return new Outcome(done, skipped, Optional.of(new Failure(step.id(), message)));
  }

  private void carryOut(Plan plan, Step step) {
    switch (step.action()) {
      case Action.InstallPackages a -> installPackages(a);
      case Action.PrepareDockerStorage a -> prepareDockerStorage(a);
      case Action.WriteFile a -> writeFile(a.path(), a.content(), "rw-r--r--");
      case Action.StartDocker a -> startDocker(plan, a);
      case Action.StopServices a -> stopServices(a);
      case Action.Supervise a -> supervise(a);
      case Action.StartServices a -> startServices(plan.supervision(), a);
      case Action.UseEmbeddedStore a -> {
        directory(Layout.STATE);
        writeFile(a.nodeStoreFile().path(), a.nodeStoreFile().content(), "rw-r--r--");
      }
      case Action.BuildBaseImage a -> buildBaseImage(a);
      case Action.WriteStore a -> writeStore(a);
      case Action.CreateCertificates a -> createCertificates(a);
      case Action.CreateAdminToken a -> createAdminToken(plan, a);
    }
  }

  // --- packages and Docker ---

  private void installPackages(Action.InstallPackages action) {
    if (action.packages().isEmpty()) {
      return;
    }
    must(apt("update", "-q"));
    List<String> install = new ArrayList<>(apt("install", "-y", "-q", "--no-install-recommends"));
    install.addAll(action.packages());
    must(install);
  }

  private static List<String> apt(String... args) {
    List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive"));
    command.add("apt-get");
    command.addAll(List.of(args));
    return command;
  }

  private void prepareDockerStorage(Action.PrepareDockerStorage action) {
    StorageOptions options =
        StorageOptions.defaults(uuids.get())
            .withLayout(
                action.lvm() ? StorageOptions.Layout.LVM : StorageOptions.Layout.WHOLE_DEVICE)
            .withVolumeGroup(action.volumeGroup())
            .withForce(action.wipe())
            .withFstab(at(Layout.FSTAB))
            .withDockerUnitDropIn(
                Optional.of(at(Layout.SYSTEMD_UNITS + "/docker.service.d/lain-storage.conf")))
            .withLvmConfig(DockerStorage.lvmConfigFor(at("/run/udev/control")));
    StoragePlan storage =
        StoragePlan.of(Path.of(action.device()), Path.of(action.mountPoint()), options);
    if (!action.wipe()) {
      // --force keeps its old meaning: mount over whatever the data root holds.
      moveAsidePristineDataRoot(action.mountPoint());
    }
    DockerStorage.Outcome outcome = new DockerStorage(runner, root).prepare(storage);
    note(
        outcome.changed()
            ? action.device() + ": " + String.join(", ", outcome.applied())
            : action.device() + " was prepared already");
  }

  /**
   * Installing Debian's docker.io starts dockerd, which fills the data root at once. When that
   * Docker holds no container and no image, it is stopped and its data root renamed to {@code <data
   * root>.pre-lain-<time>} (never deleted), so the disk can be mounted there; the {@code docker}
   * step starts it again. A data root with containers or images is refused with what it holds.
   * Anything else (a mount point, a directory that is not Docker's) is left to lain-docker-disk,
   * which refuses a non-empty data root.
   */
  private void moveAsidePristineDataRoot(String dataRoot) {
    Path directory = at(dataRoot);
    if (!Files.isDirectory(directory) || isEmpty(directory)) {
      return;
    }
    CommandRunner.Result mount =
        runner.run(List.of("findmnt", "-n", "-r", "-o", "SOURCE", "--mountpoint", dataRoot));
    if (mount.succeeded() && !mount.stdout().isBlank()) {
      return;
    }
    CommandRunner.Result info =
        runner.run(List.of("docker", "info", "--format", Facts.DockerContents.FORMAT));
    Optional<Facts.DockerContents> answered =
        info.succeeded() ? Facts.DockerContents.parse(info.stdout()) : Optional.empty();
    Optional<Facts.DockerContents> contents = answered.or(() -> contentsOnDisk(directory));
    if (contents.isEmpty()) {
      return;
    }
    if (!contents.get().pristine()) {
      throw new StepFailed(
          dataRoot
              + " holds "
              + contents.get().describe()
              + (answered.isPresent() ? " (docker info)" : " (its files; dockerd did not answer)")
              + ": nothing was changed. Remove them (docker rm, docker rmi), or stop Docker and"
              + " move "
              + dataRoot
              + " away yourself, then run again; or pass --force to mount the disk over them"
              + " (they stay hidden underneath; --force also wipes any signature on the device)");
    }
    stopDocker(answered.isPresent());
    String aside =
        dataRoot
            + Layout.MOVED_ASIDE
            + ASIDE_TIME.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    try {
      // No REPLACE_EXISTING: an earlier copy is never overwritten.
      Files.move(directory, at(aside));
    } catch (IOException e) {
      throw new StepFailed(
          "Docker was stopped but "
              + dataRoot
              + " could not be moved to "
              + aside
              + ": "
              + e
              + "; move it yourself, then run again");
    }
    note(
        dataRoot
            + " held a pristine Docker (no containers, no images): "
            + dataRoot
            + " moved aside to "
            + aside
            + " (not deleted: remove it once Docker runs on the disk)");
  }

  /**
   * What a Docker data root holds by its files, for a dockerd that does not answer: entries under
   * {@code containers/} and image records under {@code image/<driver>/imagedb/content/sha256/};
   * empty when the directory does not look like Docker's.
   */
  private static Optional<Facts.DockerContents> contentsOnDisk(Path dataRoot) {
    Path containers = dataRoot.resolve("containers");
    Path images = dataRoot.resolve("image");
    if (!Files.isDirectory(containers) || !Files.isDirectory(images)) {
      return Optional.empty();
    }
    try (Stream<Path> drivers = Files.list(images)) {
      int imageCount = 0;
      for (Path driver : drivers.toList()) {
        Path records = driver.resolve("imagedb/content/sha256");
        if (Files.isDirectory(records)) {
          imageCount += count(records);
        }
      }
      return Optional.of(new Facts.DockerContents(count(containers), imageCount));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static int count(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return Math.toIntExact(entries.count());
    }
  }

  private static boolean isEmpty(Path directory) {
    try {
      return count(directory) == 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Stops Docker before its data root moves: systemd's units, else our pid file. */
  private void stopDocker(boolean answers) {
    if (Files.isDirectory(at(Layout.SYSTEMD_RUNNING))) {
      // The socket too, or the next docker command would start it again.
      must(List.of("systemctl", "stop", "docker.socket", "docker"));
      note("Docker stopped (systemctl stop docker.socket docker)");
      return;
    }
    if (alive("lain-dockerd").isPresent()) {
      stopPidFile("lain-dockerd", true);
      note("Docker stopped (" + Layout.pidFile("lain-dockerd") + ")");
      return;
    }
    if (answers) {
      throw new StepFailed(
          "dockerd runs but not from "
              + Layout.pidFile("lain-dockerd")
              + ": stop it yourself (service docker stop), then run again");
    }
  }

  private void startDocker(Plan plan, Action.StartDocker action) {
    boolean device = plan.options().dockerDevice().isPresent();
    if (action.supervision() == Supervision.SYSTEMD) {
      if (device) {
        // lain-docker-disk's drop-in makes docker wait for its disk; systemd must read it first.
        must(List.of("systemctl", "daemon-reload"));
      }
      must(
          action.restart()
              ? List.of("systemctl", "restart", "docker")
              : List.of("systemctl", "enable", "-q", "--now", "docker"));
    } else {
      directory(Layout.RUN);
      directory(Layout.LOGS);
      // The docker-storage step may have stopped it already to move its data root aside.
      if (action.restart() && runner.run(List.of("docker", "info")).succeeded()) {
        stopPidFile("lain-dockerd", true);
      }
      if (alive("lain-dockerd").isEmpty()) {
        startPidFile(new Service("lain-dockerd", List.of("dockerd")));
      }
    }
    waitFor("dockerd", List.of("docker", "info"), "docker info");
    if (device) {
      String info = must(List.of("docker", "info", "--format", "{{json .}}")).stdout();
      StorageReport report = StorageReport.fromInfoJson(info);
      try {
        report.requireProduction(Path.of(Layout.DOCKER_DATA));
      } catch (StorageException e) {
        throw new StepFailed(
            "Docker does not run on the prepared disk: "
                + e.getMessage().replace("\n", "; ")
                + " ("
                + report.summary()
                + ")");
      }
      note(report.summary());
    }
  }

  private void stopServices(Action.StopServices action) {
    for (String service : action.services()) {
      if (Files.isDirectory(at(Layout.SYSTEMD_RUNNING))) {
        // Disabled as well, or the next boot would start it before ours.
        must(List.of("systemctl", "disable", "-q", "--now", service));
        note(service + ": stopped and disabled");
        continue;
      }
      // Without systemd a service that does not run makes its init script fail: that is fine.
      CommandRunner.Result result =
          runner.run(
              service.equals("nginx")
                  ? List.of("nginx", "-s", "quit")
                  : List.of("service", service, "stop"));
      note(service + (result.succeeded() ? ": stopped" : ": not running (" + tail(result) + ")"));
    }
  }

  private void buildBaseImage(Action.BuildBaseImage action) {
    Path busybox = at("/bin/busybox");
    if (!Files.isRegularFile(busybox)) {
      throw new StepFailed("/bin/busybox is missing: install busybox-static");
    }
    Path context = at(Layout.RUN + "/base-image");
    try {
      deleteTree(context);
      Files.createDirectories(context);
      Files.copy(busybox, context.resolve("busybox"));
      Files.writeString(
          context.resolve("Dockerfile"),
          "FROM scratch\nCOPY busybox /bin/busybox\n"
              + "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n");
      must(List.of("docker", "build", "-q", "-t", action.image(), context.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(context);
    }
  }

  // --- supervision ---

  private void supervise(Action.Supervise action) {
    directory(Layout.RUN);
    directory(Layout.LOGS);
    if (action.supervision() == Supervision.PID_FILES) {
      return;
    }
    List<String> units = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (Service service : action.services()) {
      String unit = Layout.unit(service.name());
      units.add(at(unit).toString());
      if (!read(unit).equals(Optional.of(service.unit()))) {
        writeFile(unit, service.unit(), "rw-r--r--");
        written.add(service.name());
      }
    }
    if (available("systemd-analyze")) {
      List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify"));
      verify.addAll(units);
      must(verify);
    }
    must(List.of("systemctl", "daemon-reload"));
    List<String> enable = new ArrayList<>(List.of("systemctl", "enable", "-q"));
    action.services().forEach(s -> enable.add(s.name()));
    must(enable);
    if (!written.isEmpty()) {
      note("units written: " + String.join(", ", written));
    }
  }

  private void startServices(Supervision supervision, Action.StartServices action) {
    for (Action.WriteFile file : action.files()) {
      writeFile(file.path(), file.content(), "rw-r--r--");
    }
    directory(Layout.STATE);
    for (Service service : action.services()) {
      if (service.name().equals("lain-registry")) {
        directory(Layout.REGISTRY_DATA);
      }
      boolean restart = action.restart().contains(service.name());
      if (supervision == Supervision.SYSTEMD) {
        must(List.of("systemctl", restart ? "restart" : "start", service.name()));
        note(service.name() + ": " + (restart ? "restarted" : "started") + " by systemd");
        continue;
      }
      directory(Layout.RUN);
      directory(Layout.LOGS);
      if (restart) {
        stopPidFile(service.name(), false);
      }
      Optional<String> pid = alive(service.name());
      if (pid.isPresent()) {
        note(service.name() + ": running (pid " + pid.get() + ")");
      } else {
        startPidFile(service);
      }
    }
    for (Service service : action.services()) {
      Optional<String> health = service.health();
      if (health.isPresent()) {
        waitFor(
            service.name(),
            List.of("curl", "-fsS", "--max-time", "2", "-o", "/dev/null", health.get()),
            health.get());
      }
    }
  }

  /**
   * Starts {@code service} in its own session, its output appended to its log and its pid (the
   * program's own: the shell execs it) in its pid file.
   */
  private void startPidFile(Service service) {
    String pidFile = at(Layout.pidFile(service.name())).toString();
    String log = at(Layout.logFile(service.name())).toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                Service.MARKER + "=" + service.name(),
                "setsid",
                "-f",
                "/bin/sh",
                "-c",
                "echo $$ >\"$0\"; log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null",
                pidFile,
                log));
    command.addAll(service.command());
    must(command);
    note(
        service.name()
            + ": started"
            + read(Layout.pidFile(service.name())).map(p -> " (pid " + p.strip() + ")").orElse("")
            + ", log "
            + Layout.logFile(service.name()));
  }

  /** The pid in the service's pid file if that process is alive and was started as it. */
  private Optional<String> alive(String service) {
    return read(Layout.pidFile(service))
        .map(String::strip)
        .filter(p -> p.matches("[1-9][0-9]*"))
        .filter(
            p ->
                runner
                    .run(
                        List.of(
                            "grep",
                            "-qz",
                            "^" + Service.MARKER + "=" + service + "$",
                            "/proc/" + p + "/environ"))
                    .succeeded());
  }

  private void stopPidFile(String service, boolean required) {
    Optional<String> pid = alive(service);
    if (pid.isEmpty()) {
      if (required) {
        throw new StepFailed(
            service
                + " runs but not from "
                + Layout.pidFile(service)
                + ": restart it yourself to apply its new configuration, then run again");
      }
      return;
    }
    must(List.of("kill", pid.get()));
    poll(
        service + " (pid " + pid.get() + ") did not stop",
        () -> !runner.run(List.of("kill", "-0", pid.get())).succeeded());
  }

  private void waitFor(String what, List<String> probe, String shown) {
    poll(
        what
            + " did not answer "
            + shown
            + " within "
            + SERVICE_TIMEOUT.toSeconds()
            + "s (logs: "
            + (Files.isDirectory(at(Layout.SYSTEMD_RUNNING))
                ? "journalctl -u " + what
                : Layout.LOGS + "/")
            + ")",
        () -> runner.run(probe).succeeded());
  }

  private void poll(String failure, Supplier<Boolean> condition) {
    long attempts = SERVICE_TIMEOUT.toMillis() / POLL.toMillis();
    for (long i = 0; i < attempts; i++) {
      if (condition.get()) {
        return;
      }
      try {
        pause.pause(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepFailed("interrupted while waiting: " + failure);
      }
    }
    throw new StepFailed(failure);
  }

  private boolean available(String program) {
    return runner.run(List.of(program, "--version")).exitCode() != CommandRunner.NOT_FOUND;
  }

  // --- the store ---

  private void writeStore(Action.WriteStore action) {
    inStore(
        action.storeUrl(),
        store -> {
          ClusterConfigStore config = new ClusterConfigStore(store);
          for (Action.StoreWrite write : action.writes()) {
            // The plan may have been made while the store was down (etcd after a reboot).
            if (store.get(write.key()).map(KeyValue::value).equals(Optional.of(write.value()))) {
              note(write.key() + " = " + write.value() + " already (kept)");
              continue;
            }
            String name = write.key().substring(ConfigKey.PREFIX.length());
            Optional<ConfigKey> key = ConfigKey.named(name);
            try {
              if (key.isPresent()) {
                config.set(key.get(), write.value());
              } else {
                // Keys LAIN kept that laind does not read (registry_bootstrap) go in as given.
                store.put(write.key(), write.value());
              }
            } catch (ClusterConfigException e) {
              throw new StepFailed(e.getMessage());
            }
            note(write.key() + " = " + write.value());
          }
        });
  }

  private void createCertificates(Action.CreateCertificates action) {
    Map<String, String> wantedSsl = parseSsl(action.ssl());
    boolean stored =
        read(action.caCert()).isPresent()
            && withStore(
                action.storeUrl(),
                store ->
                    new CertificateStore(store, clock)
                            .get(action.name())
                            .filter(c -> c.hosts().equals(action.hosts()))
                            .filter(c -> c.notAfter().isAfter(clock.instant()))
                            .isPresent()
                        && new ClusterConfigStore(store)
                            .load()
                            .ssl()
                            .entrySet()
                            .containsAll(wantedSsl.entrySet()));
    if (stored) {
      // The plan may have been made while the store was down (etcd after a reboot).
      note("certificate '" + action.name() + "' is stored and valid: kept");
      return;
    }
    CertificateAuthority ca;
    Optional<String> caCert = read(action.caCert());
    Optional<String> caKey = read(action.caKey());
    if (caCert.isPresent() && caKey.isPresent()) {
      // Clients told to trust the CA keep trusting what it signs after a re-run.
      ca = CertificateAuthority.load(caCert.get(), caKey.get());
      note("CA kept: " + action.caCert());
    } else {
      ca = CertificateAuthority.create("LAIN cluster CA", clock.instant());
      directory(Path.of(action.caKey()).getParent().toString());
      writeFile(action.caKey(), ca.keyPem(), "rw-------");
      writeFile(action.caCert(), ca.certificatePem(), "rw-r--r--");
      note("CA created: " + action.caCert() + " (key " + action.caKey() + ", mode 0600)");
    }
    CertificateAuthority.Issued issued = ca.issue(action.hosts(), clock.instant());
    CertificateCheck.Passed passed =
        switch (CertificateCheck.check(issued.certificatePem(), issued.keyPem(), clock.instant())) {
          case CertificateCheck.Passed p -> p;
          case CertificateCheck.Failed f ->
              throw new StepFailed(
                  "the new certificate fails its check: " + String.join("; ", f.problems()));
        };
    inStore(
        action.storeUrl(),
        store -> {
          try {
            new CertificateStore(store, clock).add(action.name(), passed.certificate(), true);
          } catch (CertificateStoreException e) {
            throw new StepFailed(e.getMessage());
          }
          ClusterConfigStore config = new ClusterConfigStore(store);
          Map<String, String> ssl = new LinkedHashMap<>(wantedSsl);
          // Patterns an operator pointed at other certificates stay as they are.
          config.load().ssl().forEach(ssl::putIfAbsent);
          try {
            config.set(ConfigKey.SSL, json(ssl));
          } catch (ClusterConfigException e) {
            throw new StepFailed(e.getMessage());
          }
        });
    note(
        "certificate '"
            + action.name()
            + "' for "
            + String.join(", ", action.hosts())
            + " stored; /lain/config/ssl points them at it");
  }

  private void createAdminToken(Plan plan, Action.CreateAdminToken action) {
    if (read(action.cliConfig()).isPresent()
        && withStore(action.storeUrl(), store -> new Users(store, clock).get(action.user()))
            .isPresent()) {
      // The plan may have been made while the store was down (etcd after a reboot).
      note("the admin '" + action.user() + "' exists and " + action.cliConfig() + " is kept");
      return;
    }
    String token =
        withStore(
            action.storeUrl(),
            store -> {
              try {
                return Users.createAdmin(store, action.user());
              } catch (RecordException e) {
                if (e.code() != RecordException.Code.CONFLICT) {
                  throw new StepFailed(e.getMessage());
                }
                // The admin exists (its CLI login was lost): give this machine a new token.
                return new Users(store, clock).issueToken(action.user()).token();
              }
            });
    String home = at(Path.of(action.cliConfig()).getParent().toString()).toString();
    String lain = Path.of(plan.options().laind()).resolveSibling("lain").toString();
    List<String> cli = List.of("env", "LAIN_HOME=" + home, lain);
    must(concat(cli, "config", "save", CLI_PHASE, "domain", plan.options().domain()));
    must(
        concat(
            cli,
            "config",
            "save",
            CLI_PHASE,
            "console",
            "http://127.0.0.1:" + Layout.CONSOLE_PORT));
    must(concat(cli, "config", "save", CLI_PHASE, "registry", plan.registryAddress()));
    CommandRunner.Result login =
        runner.run(concat(cli, "login", CLI_PHASE, "--token-file", "-"), token + "\n");
    if (!login.succeeded()) {
      throw new StepFailed(
          "lain login " + CLI_PHASE + " exited " + login.exitCode() + ": " + tail(login));
    }
    note(
        "phase "
            + CLI_PHASE
            + ": logged in as "
            + action.user()
            + " (token in "
            + action.cliConfig()
            + ", mode 0600)");
  }

  private <T> T withStore(String url, java.util.function.Function<Store, T> work) {
    Store store = stores.open(url);
    try {
      return work.apply(store);
    } finally {
      stores.release(store);
    }
  }

  private void inStore(String url, java.util.function.Consumer<Store> work) {
    withStore(
        url,
        store -> {
          work.accept(store);
          return Boolean.TRUE;
        });
  }

  private static Map<String, String> parseSsl(String json) {
    try {
      Map<String, String> map = new LinkedHashMap<>();
      new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(json)
          .properties()
          .forEach(e -> map.put(e.getKey(), e.getValue().asText()));
      return map;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the plan's ssl map is not JSON: " + json, e);
    }
  }

  private static String json(Map<String, String> map) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- programs and files ---

  private CommandRunner.Result must(List<String> command) {
    CommandRunner.Result result = runner.run(command);
    if (!result.succeeded()) {
      throw new StepFailed(
          String.join(" ", command)
              + (result.exitCode() == CommandRunner.NOT_FOUND
                  ? " could not be run (not installed?)"
                  : " exited " + result.exitCode())
              + tail(result).transform(t -> t.isEmpty() ? "" : ": " + t));
    }
    return result;
  }

  private static String tail(CommandRunner.Result result) {
    String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
    List<String> lines = text.strip().lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  private static List<String> concat(List<String> head, String... tail) {
    return Stream.concat(head.stream(), Stream.of(tail)).toList();
  }

  /** A path of the machine, under the root. */
  private Path at(String path) {
    return root.resolve(path.replaceFirst("^/+", ""));
  }

  private Optional<String> read(String path) {
    Path file = at(path);
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void directory(String path) {
    try {
      Files.createDirectories(at(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
    }
  }

  /** Replaces {@code path} at once: a reader sees the old or the new file, never half of one. */
  private void writeFile(String path, String content, String mode) {
    Path file = at(path);
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling("." + file.getFileName() + ".lain-new");
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void note(String text) {
    out.println("    " + text);
  }
}
