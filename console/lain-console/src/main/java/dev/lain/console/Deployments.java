package dev.lain.console;

import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.ClusterDomains;
import dev.lain.model.console.AppRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.records.RecordException;
import dev.lain.records.StoreChange;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.console.Apps;
import dev.lain.records.console.AuditLog;
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
 * <p>Each operation is one store transaction: its pod groups, the app record, the history entry and
 * the audit record, on condition that none changed since read ({@link StoreChange}). A console that
 * dies mid-operation leaves all of it or none, and nothing that blocks the next one; two requests
 * on one app (on one master or two) cannot interleave, the later one is retried on what the first
 * wrote.
 */
final class Deployments {
  private static final Logger log = LoggerFactory.getLogger(Deployments.class);

  private final Store store;
  private final Apps apps;
  private final PodGroups podGroups;
  private final AppImages images;
  private final AuditLog auditLog;
  private final InstantSource clock;

  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  Deployments(Store store, AppImages images, AuditLog auditLog, InstantSource clock) {
    this.store = store;
    this.apps = new Apps(store, clock);
    this.podGroups = new PodGroups(new DeploydState(store));
    this.images = images;
    this.auditLog = auditLog;
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

  /** Attempts of an operation whose records changed under it before it is refused. */
  private static final int ATTEMPTS = 5;

  /** The first deploy of an app. */
  AppRecord deploy(String app, Optional<String> version, String user, AuditNote audit) {
    return locked(
        app,
        () -> {
          refuseIfDeployed(app);
          Target target = resolve(app, version);
          String message = "deploying " + app + " " + target.metaVersion();
          for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            refuseIfDeployed(app);
            AppRecord done = record(app, target, AppRecord.DEPLOYED, user);
            StoreChange change = apps.put(app, 0, done);
            for (PodGroupSpec spec : target.specs()) {
              // A pod group of that name is left from an app record lost some other way: take it.
              change = change.plus(podGroups.deployment(spec, true));
            }
            change =
                change
                    .plus(apps.nextHistoryEntry(app, Apps.DEPLOY, target.metaVersion(), "", user))
                    .plus(auditLog.entry(audit.record(202, message)));
            if (change.commit(store)) {
              return done;
            }
          }
          throw changedMeanwhile(app);
        });
  }

  private void refuseIfDeployed(String app) {
    if (apps.get(app).isPresent()) {
      throw ConsoleException.conflict(
          "app " + app + " is deployed already: upgrade it with PUT /api/v1/apps/" + app);
    }
  }

  /**
   * An upgrade (or a rollback, which is an upgrade to an earlier version): procs gone from
   * lain.yaml are removed, new ones created, the rest rolling-upgraded with their live instance
   * count, cpu and memory carried over.
   */
  AppRecord upgrade(
      String app, Optional<String> version, String user, String action, AuditNote audit) {
    return locked(
        app,
        () -> {
          apps.requireDeployed(app);
          Target target = resolve(app, version);
          String message =
              (action.equals(Apps.ROLLBACK)
                      ? "rolling " + app + " back to "
                      : "upgrading " + app + " to ")
                  + target.metaVersion();
          for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Versioned<AppRecord> current = apps.requireDeployed(app);
            AppRecord done = record(app, target, AppRecord.DEPLOYED, user);
            StoreChange change = apps.put(app, current.modRevision(), done);
            Set<String> gone = new LinkedHashSet<>();
            for (PodGroupView v : podGroups(app)) {
              gone.add(v.name());
            }
            for (PodGroupSpec spec : target.specs()) {
              change = change.plus(podGroups.deployment(spec, true));
              gone.remove(spec.name());
            }
            for (String name : gone) {
              change = change.plus(podGroups.removal(name));
            }
            change =
                change
                    .plus(
                        apps.nextHistoryEntry(
                            app, action, target.metaVersion(), current.value().metaVersion(), user))
                    .plus(auditLog.entry(audit.record(202, message)));
            if (change.commit(store)) {
              return done;
            }
          }
          throw changedMeanwhile(app);
        });
  }

  /** Removes every pod group of the app and its record; the repo and the history stay. */
  void undeploy(String app, String user, AuditNote audit) {
    locked(
        app,
        () -> {
          for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Versioned<AppRecord> current = apps.requireDeployed(app);
            StoreChange change = apps.removal(app, current.modRevision());
            for (PodGroupView v : podGroups(app)) {
              change = change.plus(podGroups.removal(v.name()));
            }
            change =
                change
                    .plus(
                        apps.nextHistoryEntry(
                            app, Apps.UNDEPLOY, "", current.value().metaVersion(), user))
                    .plus(auditLog.entry(audit.record(202, "undeploying " + app)));
            if (change.commit(store)) {
              return null;
            }
          }
          throw changedMeanwhile(app);
        });
  }

  private static ConsoleException changedMeanwhile(String app) {
    return ConsoleException.conflict(
        "app " + app + " is being changed by someone else; try again when that is done");
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
}
