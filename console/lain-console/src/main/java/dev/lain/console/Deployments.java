package dev.lain.console;

import dev.lain.console.Records.AppRecord;
import dev.lain.deployd.DeploydException;
import dev.lain.deployd.DeploydService;
import dev.lain.deployd.PodGroupView;
import dev.lain.deployd.PodGroups;
import dev.lain.model.ClusterDomains;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.WebSettings;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.spec.AppSpec;
import dev.lain.spec.Diagnostic;
import dev.lain.spec.LainYaml;
import dev.lain.spec.Mountpoints;
import dev.lain.spec.ValidationResult;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import dev.lain.store.TxnResult;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploy, upgrade, roll back and undeploy whole apps (LAIN's §9.3): resolve a meta_version to its
 * lain.yaml and release image, turn that into pod group specs, and hand them to deployd. deployd
 * only records desired state; the engine carries it out, so these return as soon as it is written.
 *
 * <p>Two requests on one app are kept apart twice: a lock per app within this console, and a
 * compare-and-set "claim" of the app record before any pod group is touched, which also stops a
 * console on another master.
 */
final class Deployments {
  private static final Logger log = LoggerFactory.getLogger(Deployments.class);

  static final String DEPLOY = "deploy";
  static final String UPGRADE = "upgrade";
  static final String ROLLBACK = "rollback";
  static final String UNDEPLOY = "undeploy";

  private final Store store;
  private final DeploydService deployd;
  private final AppImages images;
  private final InstantSource clock;

  /**
   * A claim older than this is taken to be left by a console that stopped mid-deploy (writing pod
   * groups takes well under a second), and may be taken over.
   */
  static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  Deployments(Store store, DeploydService deployd, AppImages images, InstantSource clock) {
    this.store = store;
    this.deployd = deployd;
    this.images = images;
    this.clock = clock;
  }

  /** The app record with the revision to compare-and-set against. */
  record Stored(AppRecord record, long modRevision) {}

  Optional<Stored> app(String app) {
    return store
        .get(ConsoleKeys.app(app))
        .map(kv -> new Stored(ConsoleJson.read(kv, AppRecord.class), kv.modRevision()));
  }

  Stored requireDeployed(String app) {
    return app(app)
        .orElseThrow(
            () ->
                ConsoleException.notFound(
                    "app " + app + " is not deployed: deploy it with POST /api/v1/apps"));
  }

  List<AppRecord> apps() {
    return store.list(ConsoleKeys.APPS).entries().stream()
        .map(kv -> ConsoleJson.read(kv, AppRecord.class))
        .toList();
  }

  /** The app's pod groups as deployd sees them. */
  List<PodGroupView> podGroups(String app) {
    return deployd.list(Optional.of(app));
  }

  List<PodGroupView> podGroupsOfAll() {
    return deployd.list(Optional.empty());
  }

  /** Instances, cpu and memory in one write: nothing of a request is applied without the rest. */
  void resize(String podGroup, Console.Scale scale) {
    deployd.resize(podGroup, scale.numInstances(), scale.memoryBytes(), scale.cpu());
  }

  void operate(String podGroup, String operation, int instance) {
    deployd.operate(podGroup, operation, instance);
  }

  /** meta_versions with a meta image, newest commit first. */
  List<String> versions(String app) {
    List<String> valid = new ArrayList<>();
    for (String v : new LinkedHashSet<>(images.metaVersions(app))) {
      try {
        valid.add(Names.metaVersion(v));
      } catch (ConsoleException e) {
        log.warn("registry lists a meta_version of {} that is not one: {}", app, e.getMessage());
      }
    }
    valid.sort(Comparator.comparingLong(Names::commitTime).reversed());
    return valid;
  }

  /** What a meta_version of an app deploys. */
  private record Target(
      String metaVersion, String meta, String releaseImage, List<PodGroupSpec> specs) {}

  /**
   * The requested version, or the newest that has a release image; its lain.yaml checked and turned
   * into pod group specs. Nothing is written.
   */
  private Target resolve(String app, Optional<String> requested) {
    List<String> versions = versions(app);
    String version;
    String release;
    if (requested.isPresent()) {
      version = Names.metaVersion(requested.get());
      if (!versions.contains(version)) {
        throw ConsoleException.invalid(
            "unknown meta_version "
                + version
                + " of app "
                + app
                + ": push it with `lain push` first (GET /api/v1/repos/"
                + app
                + "/versions lists the known ones)");
      }
      release =
          images
              .releaseImage(app, version)
              .orElseThrow(
                  () ->
                      ConsoleException.invalid(
                          "meta_version " + version + " of app " + app + " has no release image"));
    } else {
      Optional<String> found = Optional.empty();
      String newest = null;
      for (String v : versions) {
        found = images.releaseImage(app, v);
        if (found.isPresent()) {
          newest = v;
          break;
        }
      }
      if (newest == null) {
        throw ConsoleException.invalid(
            "app "
                + app
                + " has no version with both a meta and a release image: `lain build --push`"
                + " and `lain push` first");
      }
      version = newest;
      release = found.get();
    }
    String meta =
        images
            .lainYaml(app, version)
            .orElseThrow(
                () ->
                    ConsoleException.invalid(
                        "meta_version " + version + " of app " + app + " has no meta image"));
    AppSpec spec =
        switch (LainYaml.validate(meta)) {
          case ValidationResult.Valid valid -> valid.spec();
          case ValidationResult.Invalid invalid -> throw badManifest(version, invalid);
          case ValidationResult.Malformed malformed -> throw badManifest(version, malformed);
        };
    if (!spec.appname().equals(app)) {
      throw ConsoleException.invalid(
          "the lain.yaml of " + app + " " + version + " is for app " + spec.appname());
    }
    ClusterDomains domains = new ClusterConfigStore(store).load().domains();
    List<PodGroupSpec> specs;
    try {
      specs = PodGroups.of(spec, release, version, domains);
    } catch (IllegalArgumentException e) {
      throw ConsoleException.invalid(
          "the lain.yaml of " + app + " " + version + " cannot be deployed: " + e.getMessage());
    }
    // deployd checks these too, but only one pod group at a time: check all before the first
    // write so that a bad mountpoint never leaves an app half upgraded.
    for (PodGroupSpec s : specs) {
      for (String mountpoint : s.web().map(WebSettings::mountpoints).orElse(List.of())) {
        try {
          Mountpoints.parse(mountpoint);
        } catch (IllegalArgumentException e) {
          throw ConsoleException.invalid(s.name() + ": " + e.getMessage());
        }
      }
    }
    return new Target(version, meta, release, specs);
  }

  private static ConsoleException badManifest(String version, ValidationResult result) {
    List<Diagnostic> problems = result.diagnostics();
    String shown =
        problems.stream()
            .limit(5)
            .map(d -> d.format("lain.yaml"))
            .collect(Collectors.joining("; "));
    return ConsoleException.invalid(
        "the lain.yaml of "
            + version
            + " is not valid: "
            + shown
            + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
  }

  /** The first deploy of an app. */
  AppRecord deploy(String app, Optional<String> version, String user) {
    return locked(
        app,
        () -> {
          if (app(app).isPresent()) {
            throw ConsoleException.conflict(
                "app " + app + " is deployed already: upgrade it with PUT /api/v1/apps/" + app);
          }
          Target target = resolve(app, version);
          AppRecord claim = record(app, target, AppRecord.DEPLOYING, user);
          long claimed = claim(app, 0, claim);
          List<String> created = new ArrayList<>();
          try {
            for (PodGroupSpec spec : target.specs()) {
              createOrUpgrade(spec, Optional.empty());
              created.add(spec.name());
            }
          } catch (RuntimeException e) {
            // Undo, so that the next POST starts from nothing.
            for (String name : created) {
              quietly(() -> deployd.remove(name));
            }
            quietly(() -> store.compareAndDelete(ConsoleKeys.app(app), claimed));
            throw e;
          }
          AppRecord done = claim.withState(AppRecord.DEPLOYED, "", clock.instant());
          release(app, claimed, done);
          appendHistory(app, DEPLOY, target.metaVersion(), "", user);
          return done;
        });
  }

  /**
   * An upgrade (or a rollback, which is an upgrade to an earlier version): procs gone from
   * lain.yaml are removed, new ones created, the rest rolling-upgraded with their live instance
   * count, cpu and memory carried over. On a failure the record goes back to the version that ran,
   * with the error.
   */
  AppRecord upgrade(String app, Optional<String> version, String user, String action) {
    return locked(
        app,
        () -> {
          Stored current = requireDeployed(app);
          refuseWhileClaimed(app, current.record());
          Target target = resolve(app, version);
          AppRecord claim = record(app, target, AppRecord.DEPLOYING, user);
          long claimed = claim(app, current.modRevision(), claim);
          try {
            apply(app, target.specs());
          } catch (RuntimeException e) {
            String why = clientMessage(e);
            AppRecord failed =
                current
                    .record()
                    .withState(
                        AppRecord.ERROR,
                        action + " to " + target.metaVersion() + " failed: " + why,
                        clock.instant());
            quietly(() -> release(app, claimed, failed));
            throw e;
          }
          AppRecord done = claim.withState(AppRecord.DEPLOYED, "", clock.instant());
          release(app, claimed, done);
          appendHistory(app, action, target.metaVersion(), current.record().metaVersion(), user);
          return done;
        });
  }

  private void apply(String app, List<PodGroupSpec> specs) {
    Map<String, PodGroupView> existing = new LinkedHashMap<>();
    for (PodGroupView v : podGroups(app)) {
      existing.put(v.name(), v);
    }
    for (PodGroupSpec spec : specs) {
      createOrUpgrade(
          spec, Optional.ofNullable(existing.remove(spec.name())).map(v -> v.desired().spec()));
    }
    for (String gone : existing.keySet()) {
      deployd.remove(gone);
    }
  }

  private void createOrUpgrade(PodGroupSpec spec, Optional<PodGroupSpec> current) {
    if (current.isEmpty()) {
      try {
        deployd.create(spec);
        return;
      } catch (DeploydException e) {
        if (e.code() != DeploydException.Code.CONFLICT) {
          throw e;
        }
        // Left behind by an earlier deploy that did not finish: take it over.
        current = Optional.of(deployd.get(spec.name()).desired().spec());
      }
    }
    ContainerSpec live = current.get().container();
    ContainerSpec c = spec.container();
    ContainerSpec carried =
        new ContainerSpec(
            c.image(),
            c.entrypoint(),
            c.command(),
            c.env(),
            c.user(),
            c.workdir(),
            c.port(),
            c.volumes(),
            c.labels(),
            live.memoryBytes(),
            live.cpuLevel());
    // deployd keeps the live instance count and numbers the version itself.
    deployd.upgrade(spec.name(), spec.upgradedTo(carried));
  }

  /** Removes every pod group of the app and its record; the repo and the history stay. */
  void undeploy(String app, String user) {
    locked(
        app,
        () -> {
          Stored current = requireDeployed(app);
          refuseWhileClaimed(app, current.record());
          long claimed =
              claim(
                  app,
                  current.modRevision(),
                  current
                      .record()
                      .withState(AppRecord.DEPLOYING, "", clock.instant())
                      .withUpdatedBy(user));
          for (PodGroupView v : podGroups(app)) {
            try {
              deployd.remove(v.name());
            } catch (DeploydException e) {
              if (e.code() != DeploydException.Code.NOT_FOUND) {
                throw e;
              }
            }
          }
          if (!store.compareAndDelete(ConsoleKeys.app(app), claimed)) {
            log.warn("the record of {} changed while this console undeployed it", app);
          }
          appendHistory(app, UNDEPLOY, "", current.record().metaVersion(), user);
          return null;
        });
  }

  /** Newest first. */
  List<HistoryEntry> history(String app) {
    List<KeyValue> entries = store.list(ConsoleKeys.history(app)).entries();
    List<HistoryEntry> out = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      out.add(ConsoleJson.read(entries.get(i), HistoryEntry.class));
    }
    return out;
  }

  /** The meta_version that ran before the current one, for a rollback without a version. */
  Optional<String> previousVersion(String app, String current) {
    return history(app).stream()
        .filter(h -> !h.action().equals(UNDEPLOY))
        .map(HistoryEntry::metaVersion)
        .filter(v -> !v.equals(current))
        .findFirst();
  }

  private void appendHistory(
      String app, String action, String metaVersion, String previous, String user) {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<HistoryEntry> history = history(app);
      long next = history.isEmpty() ? 1 : history.get(0).version() + 1;
      HistoryEntry entry =
          new HistoryEntry(next, metaVersion, previous, action, user, clock.instant());
      if (store.compareAndSet(ConsoleKeys.historyEntry(app, next), 0, ConsoleJson.write(entry))) {
        return;
      }
    }
    throw new IllegalStateException("the history of " + app + " keeps changing");
  }

  private AppRecord record(String app, Target target, String state, String user) {
    return new AppRecord(
        app,
        target.metaVersion(),
        target.meta(),
        target.releaseImage(),
        state,
        clock.instant(),
        "",
        user);
  }

  /**
   * Marks the app as being changed by this request: a compare-and-set against the record as read
   * ({@code 0}: it must not exist), so of two requests only one gets it; the other is told 409.
   * Returns the revision of the claim.
   */
  private long claim(String app, long expectedRevision, AppRecord claim) {
    TxnResult result =
        store.commit(
            Txn.when(List.of(new Txn.ModRevisionIs(ConsoleKeys.app(app), expectedRevision)))
                .then(List.of(new Txn.Put(ConsoleKeys.app(app), ConsoleJson.write(claim)))));
    if (!result.succeeded()) {
      throw ConsoleException.conflict("app " + app + " is being changed by someone else");
    }
    return result.revision();
  }

  /** Another request holds the app (unless its claim is so old that its console must have died). */
  private void refuseWhileClaimed(String app, AppRecord record) {
    if (record.runningState().equals(AppRecord.DEPLOYING)
        && record.lastUpdate().plus(CLAIM_TIMEOUT).isAfter(clock.instant())) {
      throw ConsoleException.conflict(
          "app "
              + app
              + " is being changed by "
              + record.updatedBy()
              + " since "
              + record.lastUpdate()
              + "; try again when that is done");
    }
  }

  /** Ends a claim with the outcome, unless someone took a stale claim over meanwhile. */
  private void release(String app, long claimed, AppRecord outcome) {
    if (!store.compareAndSet(ConsoleKeys.app(app), claimed, ConsoleJson.write(outcome))) {
      log.warn("the record of {} changed while this console deployed it; leaving it", app);
    }
  }

  private <T> T locked(String app, Supplier<T> action) {
    ReentrantLock lock = locks.computeIfAbsent(app, a -> new ReentrantLock());
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** What a client may read of a failure: never an internal exception's text. */
  static String clientMessage(RuntimeException e) {
    return switch (e) {
      case ConsoleException c -> c.getMessage();
      case DeploydException d when d.code() == DeploydException.Code.UNAVAILABLE ->
          "the cluster store is unavailable";
      case DeploydException d -> d.getMessage();
      default -> "internal error; see the master's log";
    };
  }

  private static void quietly(Runnable cleanup) {
    try {
      cleanup.run();
    } catch (RuntimeException e) {
      log.warn("cleanup after a failed deploy failed too", e);
    }
  }
}
