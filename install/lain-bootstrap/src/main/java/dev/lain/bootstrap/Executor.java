package dev.lain.bootstrap;

import dev.lain.dockerdisk.StorageException;
import dev.lain.exec.CommandRunner;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The doing half of {@code ./bootstrap}: carries out a {@link Plan} step by step, skipping the
 * steps an earlier run already did. Each step prints one line, then {@code done} or the error
 * naming the step; the first failure stops the run and says what was done and how to retry (every
 * step checks before it changes, so running bootstrap again is the retry). Nothing is ever wiped:
 * no store, no container, no data directory.
 *
 * <p>The machine is reached only through its seams: programs through a {@link CommandRunner}, files
 * under a root directory ({@code /}, or a sandbox in tests), stores through a {@link StoreOpener}.
 * The steps are carried out by concern: {@link DockerSteps}, {@link ServiceSteps} (with {@link
 * PidFiles} where there is no systemd) and {@link StoreSteps}, all on one {@link Machine}.
 */
public final class Executor {
  /** How long dockerd and each service with a health URL get to answer. */
  public static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(60);

  private final CommandRunner runner;
  private final Path root;
  private final StoreOpener stores;
  private final PrintStream out;
  private final PrintStream err;
  private final Pause pause;
  private final InstantSource clock;
  private final Supplier<UUID> uuids;
  private final String retry;
  private final Machine machine;
  private final DockerSteps docker;
  private final ServiceSteps services;
  private final StoreSteps store;

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
    this.machine = new Machine(runner, root, out, pause);
    PidFiles pidFiles = new PidFiles(machine);
    this.docker = new DockerSteps(machine, pidFiles, clock, uuids);
    this.services = new ServiceSteps(machine, pidFiles);
    this.store = new StoreSteps(machine, stores, clock);
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
      case Action.PrepareDockerStorage a -> docker.prepareStorage(a);
      case Action.WriteFile a -> machine.writeFile(a.path(), a.content(), "rw-r--r--");
      case Action.StartDocker a -> docker.start(a, plan.options().dockerDevice().isPresent());
      case Action.StopServices a -> services.stop(a);
      case Action.Supervise a -> services.supervise(a);
      case Action.StartServices a -> services.start(plan.supervision(), a);
      case Action.UseEmbeddedStore a -> {
        machine.directory(Layout.STATE);
        machine.writeFile(a.nodeStoreFile().path(), a.nodeStoreFile().content(), "rw-r--r--");
      }
      case Action.BuildBaseImage a -> docker.buildBaseImage(a);
      case Action.WriteClusterConfig a -> store.writeClusterConfig(a);
      case Action.DefineContainerNetwork a -> store.defineContainerNetwork(a);
      case Action.CreateCertificates a -> store.createCertificates(a);
      case Action.CreateAdminToken a ->
          store.createAdminToken(a, plan.options(), plan.registryAddress());
    }
  }

  private void installPackages(Action.InstallPackages action) {
    if (action.packages().isEmpty()) {
      return;
    }
    machine.must(apt("update", "-q"));
    List<String> install = new ArrayList<>(apt("install", "-y", "-q", "--no-install-recommends"));
    install.addAll(action.packages());
    machine.must(install);
  }

  private static List<String> apt(String... args) {
    List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive"));
    command.add("apt-get");
    command.addAll(List.of(args));
    return command;
  }
}
