package dev.lain.console;

import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.ClusterDomains;
import dev.lain.model.console.AppRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.records.RecordException;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.console.Apps;
import dev.lain.records.console.Names;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroups;
import dev.lain.records.deployd.Versioned;
import dev.lain.spec.AppSpec;
import dev.lain.spec.Diagnostic;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;
import dev.lain.store.Store;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploy, upgrade, roll back and undeploy whole apps (LAIN's §9.3): resolve a meta_version to its
 * lain.yaml and release image, turn that into pod group specs ({@link PodGroupSpecs}) and write
 * them through {@link PodGroups}. Only desired state is written; the engine carries it out, so
 * these return as soon as it is.
 *
 * <p>Two requests on one app are kept apart twice: a lock per app within this console, and the app
 * record's claim ({@link Apps#claim}) before any pod group is touched, which also stops a console
 * on another master.
 */
final class Deployments {
  private static final Logger log = LoggerFactory.getLogger(Deployments.class);

  private final Store store;
  private final Apps apps;
  private final PodGroups podGroups;
  private final AppImages images;
  private final InstantSource clock;

  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  Deployments(Store store, AppImages images, InstantSource clock) {
    this.store = store;
    this.apps = new Apps(store, clock);
    this.podGroups = new PodGroups(new DeploydState(store));
    this.images = images;
    this.clock = clock;
  }

  Apps apps() {
    return apps;
  }

  PodGroups podGroups() {
    return podGroups;
  }

  /** The app's pod groups as deployd sees them. */
  List<PodGroupView> podGroups(String app) {
    return podGroups.list(Optional.of(app));
  }

  /** meta_versions with a meta image, newest commit first. */
  List<String> versions(String app) {
    List<String> valid = new ArrayList<>();
    for (String v : new LinkedHashSet<>(images.metaVersions(app))) {
      try {
        valid.add(Names.metaVersion(v));
      } catch (RecordException e) {
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
      specs = PodGroupSpecs.of(spec, release, version, domains);
    } catch (IllegalArgumentException e) {
      throw ConsoleException.invalid(
          "the lain.yaml of " + app + " " + version + " cannot be deployed: " + e.getMessage());
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
          if (apps.get(app).isPresent()) {
            throw ConsoleException.conflict(
                "app " + app + " is deployed already: upgrade it with PUT /api/v1/apps/" + app);
          }
          Target target = resolve(app, version);
          AppRecord claim = record(app, target, AppRecord.DEPLOYING, user);
          long claimed = apps.claim(app, 0, claim);
          List<String> created = new ArrayList<>();
          try {
            for (PodGroupSpec spec : target.specs()) {
              createOrUpgrade(spec, false);
              created.add(spec.name());
            }
          } catch (RuntimeException e) {
            // Undo, so that the next POST starts from nothing.
            for (String name : created) {
              quietly(() -> podGroups.remove(name));
            }
            quietly(() -> apps.remove(app, claimed));
            throw e;
          }
          AppRecord done = claim.withState(AppRecord.DEPLOYED, "", clock.instant());
          release(app, claimed, done);
          apps.appendHistory(app, Apps.DEPLOY, target.metaVersion(), "", user);
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
          Versioned<AppRecord> current = apps.requireDeployed(app);
          apps.refuseWhileClaimed(app, current.value());
          Target target = resolve(app, version);
          AppRecord claim = record(app, target, AppRecord.DEPLOYING, user);
          long claimed = apps.claim(app, current.modRevision(), claim);
          try {
            apply(app, target.specs());
          } catch (RuntimeException e) {
            String why = clientMessage(e);
            AppRecord failed =
                current
                    .value()
                    .withState(
                        AppRecord.ERROR,
                        action + " to " + target.metaVersion() + " failed: " + why,
                        clock.instant());
            quietly(() -> release(app, claimed, failed));
            throw e;
          }
          AppRecord done = claim.withState(AppRecord.DEPLOYED, "", clock.instant());
          release(app, claimed, done);
          apps.appendHistory(
              app, action, target.metaVersion(), current.value().metaVersion(), user);
          return done;
        });
  }

  private void apply(String app, List<PodGroupSpec> specs) {
    Set<String> existing = new LinkedHashSet<>();
    for (PodGroupView v : podGroups(app)) {
      existing.add(v.name());
    }
    for (PodGroupSpec spec : specs) {
      createOrUpgrade(spec, existing.remove(spec.name()));
    }
    for (String gone : existing) {
      podGroups.remove(gone);
    }
  }

  /** Creates the pod group, or upgrades it keeping its live instance count and limits. */
  private void createOrUpgrade(PodGroupSpec spec, boolean exists) {
    if (!exists) {
      try {
        podGroups.create(spec);
        return;
      } catch (RecordException e) {
        if (e.code() != RecordException.Code.CONFLICT) {
          throw e;
        }
        // Left behind by an earlier deploy that did not finish: take it over.
      }
    }
    podGroups.upgrade(spec.name(), spec, true);
  }

  /** Removes every pod group of the app and its record; the repo and the history stay. */
  void undeploy(String app, String user) {
    locked(
        app,
        () -> {
          Versioned<AppRecord> current = apps.requireDeployed(app);
          apps.refuseWhileClaimed(app, current.value());
          long claimed =
              apps.claim(
                  app,
                  current.modRevision(),
                  current
                      .value()
                      .withState(AppRecord.DEPLOYING, "", clock.instant())
                      .withUpdatedBy(user));
          for (PodGroupView v : podGroups(app)) {
            try {
              podGroups.remove(v.name());
            } catch (RecordException e) {
              if (e.code() != RecordException.Code.NOT_FOUND) {
                throw e;
              }
            }
          }
          if (!apps.remove(app, claimed)) {
            log.warn("the record of {} changed while this console undeployed it", app);
          }
          apps.appendHistory(app, Apps.UNDEPLOY, "", current.value().metaVersion(), user);
          return null;
        });
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

  /** Ends a claim with the outcome, unless someone took a stale claim over meanwhile. */
  private void release(String app, long claimed, AppRecord outcome) {
    if (!apps.release(app, claimed, outcome)) {
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
      case RecordException r when r.code() == RecordException.Code.UNAVAILABLE ->
          "the cluster store is unavailable";
      case RecordException r -> r.getMessage();
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
