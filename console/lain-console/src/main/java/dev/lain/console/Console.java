package dev.lain.console;

import dev.lain.api.console.Accounts;
import dev.lain.api.console.Accounts.MaintainerView;
import dev.lain.api.console.Accounts.RepoView;
import dev.lain.api.console.AppView;
import dev.lain.api.console.ProcView;
import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.console.AppRecord;
import dev.lain.model.console.AuditRecord;
import dev.lain.model.console.HistoryEntry;
import dev.lain.model.console.Maintainer;
import dev.lain.model.console.Repo;
import dev.lain.model.console.Role;
import dev.lain.model.console.User;
import dev.lain.model.deploy.MemorySize;
import dev.lain.model.deploy.Operation;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.console.Apps;
import dev.lain.records.console.AuditLog;
import dev.lain.records.console.Names;
import dev.lain.records.console.Repos;
import dev.lain.records.console.Users;
import dev.lain.records.deployd.PodGroups;
import dev.lain.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The console: every operation of its API, with the caller's roles checked, over the store and
 * deployd. {@link ConsoleServer} is its HTTP face.
 *
 * <p>Roles: a cluster admin may do everything; an app's admin maintainer everything on that app,
 * its maintainers and undeploy included; a normal maintainer deploys, upgrades, scales, rolls back,
 * restarts and reads logs; anyone else gets 403 on the app, reads included.
 */
public final class Console {
  /** The most log lines a request may start with. */
  public static final int MAX_TAIL = 10_000;

  private final Store store;
  private final InstantSource clock;
  private final Users users;
  private final Repos repos;
  private final Deployments deployments;
  private final AuditLog audit;
  private final LogSource logs;

  /**
   * @param store the cluster store (the console's records live under {@code /lain/console/})
   * @param images what the registry holds of each app
   * @param logs where instance logs come from
   * @param clock for every time the console records
   */
  public Console(Store store, AppImages images, LogSource logs, InstantSource clock) {
    this.store = store;
    this.clock = clock;
    this.users = new Users(store, clock);
    this.repos = new Repos(store, clock);
    this.audit = new AuditLog(store);
    this.deployments = new Deployments(store, images, audit, clock);
    this.logs = logs;
  }

  public Users users() {
    return users;
  }

  InstantSource clock() {
    return clock;
  }

  // ---- auth ------------------------------------------------------------------------------

  public Optional<User> authenticate(String token) {
    return users.authenticate(token);
  }

  public Accounts.Me me(User caller) {
    return new Accounts.Me(caller.name(), caller.admin(), users.appRoles(caller.name()));
  }

  // ---- users and tokens ------------------------------------------------------------------

  public Users.Created createUser(User caller, String name, boolean admin) {
    requireClusterAdmin(caller, "create users");
    return users.create(name, admin);
  }

  public List<User> listUsers(User caller) {
    requireClusterAdmin(caller, "list users");
    return users.list();
  }

  public void deleteUser(User caller, String name) {
    requireClusterAdmin(caller, "delete users");
    if (name.equals(caller.name())) {
      throw ConsoleException.conflict("you cannot delete yourself; ask another cluster admin");
    }
    users.delete(name);
  }

  public Users.IssuedToken issueToken(User caller, String name) {
    requireSelfOrAdmin(caller, name);
    return users.issueToken(name);
  }

  public List<Accounts.TokenInfo> tokens(User caller, String name) {
    requireSelfOrAdmin(caller, name);
    users.require(name);
    return users.tokens(name);
  }

  public void revokeToken(User caller, String name, String id) {
    requireSelfOrAdmin(caller, name);
    users.require(name);
    users.revokeToken(name, id);
  }

  // ---- repos and maintainers -------------------------------------------------------------

  private static RepoView view(Repo r) {
    return new RepoView(r.appname(), r.created(), r.createdBy());
  }

  private static MaintainerView view(Maintainer m) {
    return new MaintainerView(m.username(), m.role(), m.added(), m.addedBy());
  }

  /** The repos the caller may see: all for cluster admins, else those it maintains. */
  public List<RepoView> listRepos(User caller) {
    return repos.list().stream()
        .filter(r -> caller.admin() || repos.role(r.appname(), caller.name()).isPresent())
        .map(Console::view)
        .toList();
  }

  public RepoView createRepo(User caller, String app) {
    return view(repos.create(Names.app(app), caller.name()));
  }

  public RepoView repo(User caller, String app) {
    Repo repo = repos.require(app);
    requireMaintainer(caller, app);
    return view(repo);
  }

  public List<String> versions(User caller, String app) {
    repo(caller, app);
    return deployments.versions(app);
  }

  public List<MaintainerView> maintainers(User caller, String app) {
    repo(caller, app);
    return repos.maintainers(app).stream().map(Console::view).toList();
  }

  /** Adds a maintainer or changes its role; returns whether it is new. */
  public boolean putMaintainer(User caller, String app, String user, Role role) {
    repos.require(app);
    requireAppAdmin(caller, app);
    users.require(user);
    return repos.putMaintainer(app, user, role, caller.name());
  }

  public void removeMaintainer(User caller, String app, String user) {
    repos.require(app);
    requireAppAdmin(caller, app);
    repos.removeMaintainer(app, Names.user(user));
  }

  /**
   * The caller's role in the app: its maintainer role, or {@code admin} for a cluster admin who is
   * not one.
   */
  public Role role(User caller, String app) {
    repo(caller, app);
    return repos.role(app, caller.name()).orElse(Role.ADMIN);
  }

  // ---- apps ------------------------------------------------------------------------------

  /** Deployed apps the caller may see, with their states. */
  public List<AppView> listApps(User caller) {
    Map<String, List<PodGroupView>> groups =
        deployments.podGroups().list(Optional.empty()).stream()
            .collect(Collectors.groupingBy(PodGroupView::app));
    return apps().list().stream()
        .filter(a -> caller.admin() || repos.role(a.appname(), caller.name()).isPresent())
        .map(a -> Views.app(a, groups.getOrDefault(a.appname(), List.of())))
        .toList();
  }

  public AppView deploy(User caller, String app, Optional<String> metaVersion, AuditNote note) {
    repos.require(app);
    requireMaintainer(caller, app);
    AppRecord record = deployments.deploy(app, metaVersion, caller.name(), note);
    return Views.app(record, deployments.podGroups(app));
  }

  public AppView app(User caller, String app) {
    repos.require(app);
    requireMaintainer(caller, app);
    AppRecord record = apps().requireDeployed(app).value();
    return Views.app(record, deployments.podGroups(app));
  }

  public AppView upgrade(User caller, String app, Optional<String> metaVersion, AuditNote note) {
    repos.require(app);
    requireMaintainer(caller, app);
    AppRecord record = deployments.upgrade(app, metaVersion, caller.name(), Apps.UPGRADE, note);
    return Views.app(record, deployments.podGroups(app));
  }

  /** Rolls back to {@code metaVersion}, or to the version deployed before the current one. */
  public AppView rollback(User caller, String app, Optional<String> metaVersion, AuditNote note) {
    repos.require(app);
    requireMaintainer(caller, app);
    AppRecord current = apps().requireDeployed(app).value();
    String target =
        metaVersion.orElseGet(
            () ->
                apps()
                    .previousVersion(app, current.metaVersion())
                    .orElseThrow(
                        () ->
                            ConsoleException.invalid(
                                "app "
                                    + app
                                    + " has no earlier version to roll back to; name one with"
                                    + " meta_version")));
    AppRecord record =
        deployments.upgrade(app, Optional.of(target), caller.name(), Apps.ROLLBACK, note);
    return Views.app(record, deployments.podGroups(app));
  }

  public void undeploy(User caller, String app, AuditNote note) {
    repos.require(app);
    requireAppAdmin(caller, app);
    if (protectedApps().contains(app)) {
      throw ConsoleException.forbidden(
          "app " + app + " is protected (cluster config protected_apps): it cannot be undeployed");
    }
    deployments.undeploy(app, caller.name(), note);
  }

  public List<HistoryEntry> history(User caller, String app) {
    repos.require(app);
    requireMaintainer(caller, app);
    return apps().history(app);
  }

  private Apps apps() {
    return deployments.apps();
  }

  private List<String> protectedApps() {
    return new ClusterConfigStore(store).load().protectedApps();
  }

  // ---- procs -----------------------------------------------------------------------------

  public List<ProcView> procs(User caller, String app) {
    return app(caller, app).procs();
  }

  public ProcView proc(User caller, String app, String proc) {
    repos.require(app);
    requireMaintainer(caller, app);
    return Views.proc(podGroup(app, proc));
  }

  /** Instances, cpu and memory in one write: nothing of a request is applied without the rest. */
  public ProcView scale(
      User caller, String app, String proc, PodGroups.Resize resize, AuditNote note) {
    repos.require(app);
    requireMaintainer(caller, app);
    apps().requireDeployed(app);
    PodGroupView group = podGroup(app, proc);
    deployments
        .podGroups()
        .resize(group.name(), resize, audit.entry(note.record(202, scaling(app, proc, resize))));
    return Views.proc(podGroup(app, proc));
  }

  private static String scaling(String app, String proc, PodGroups.Resize resize) {
    List<String> parts = new ArrayList<>();
    resize.numInstances().ifPresent(n -> parts.add(n + " instances"));
    resize.cpuLevel().ifPresent(c -> parts.add("cpu " + c));
    resize.memoryBytes().ifPresent(m -> parts.add("memory " + MemorySize.format(m)));
    return "scaling " + app + " " + proc + " to " + String.join(", ", parts);
  }

  /** {@code start}, {@code stop} or {@code restart} one instance, or all when it is empty. */
  public ProcView operate(
      User caller, String app, String proc, String operation, OptionalInt instance) {
    repos.require(app);
    requireMaintainer(caller, app);
    apps().requireDeployed(app);
    Operation op =
        Operation.named(operation)
            .orElseThrow(
                () ->
                    ConsoleException.invalid(
                        "bad operation '"
                            + Names.shorten(operation)
                            + "': use start, stop or restart"));
    PodGroupView group = podGroup(app, proc);
    deployments.podGroups().operate(group.name(), op, instance);
    return Views.proc(podGroup(app, proc));
  }

  private PodGroupView podGroup(String app, String proc) {
    Names.proc(proc);
    return deployments.podGroups(app).stream()
        .filter(g -> g.desired().spec().procName().equals(proc))
        .findFirst()
        .orElseThrow(() -> ConsoleException.notFound("app " + app + " has no proc " + proc));
  }

  // ---- logs ------------------------------------------------------------------------------

  /**
   * The output of instance {@code n} of a proc, from the node that runs it. With several copies
   * (during an upgrade or a move) the running one of the newest version is read.
   */
  public InputStream openLogs(
      User caller, String app, String proc, int instance, boolean follow, int tail)
      throws IOException {
    repos.require(app);
    requireMaintainer(caller, app);
    if (tail < 0 || tail > MAX_TAIL) {
      throw ConsoleException.invalid("tail must be 0.." + MAX_TAIL + ", not " + tail);
    }
    PodGroupView group = podGroup(app, proc);
    PodGroupView.InstanceView copy =
        group.instances().stream()
            .filter(i -> i.instance() == instance)
            .max(
                Comparator.comparing((PodGroupView.InstanceView i) -> i.state().equals("running"))
                    .thenComparingLong(PodGroupView.InstanceView::version)
                    .thenComparingInt(PodGroupView.InstanceView::drift))
            .orElseThrow(
                () ->
                    ConsoleException.notFound(
                        "proc " + proc + " of app " + app + " has no instance " + instance));
    return logs.open(
        new LogSource.ContainerRef(copy.node(), copy.nodeIp(), copy.container()), follow, tail);
  }

  // ---- audit -----------------------------------------------------------------------------

  public void record(AuditRecord record) {
    audit.append(record);
  }

  public List<AuditRecord> audit(
      User caller, Optional<String> app, Optional<String> user, int limit) {
    requireClusterAdmin(caller, "read the audit log");
    return audit.query(app, user, limit);
  }

  // ---- roles -----------------------------------------------------------------------------

  private static void requireClusterAdmin(User caller, String what) {
    if (!caller.admin()) {
      throw ConsoleException.forbidden("only cluster admins may " + what);
    }
  }

  private void requireSelfOrAdmin(User caller, String name) {
    Names.user(name);
    if (!caller.admin() && !caller.name().equals(name)) {
      throw ConsoleException.forbidden("only " + name + " or a cluster admin may do this");
    }
  }

  private void requireMaintainer(User caller, String app) {
    if (!caller.admin() && repos.role(app, caller.name()).isEmpty()) {
      throw ConsoleException.forbidden(
          "user " + caller.name() + " is not a maintainer of app " + app);
    }
  }

  private void requireAppAdmin(User caller, String app) {
    if (!caller.admin() && repos.role(app, caller.name()).orElse(null) != Role.ADMIN) {
      throw ConsoleException.forbidden(
          "user " + caller.name() + " needs the admin role in app " + app);
    }
  }
}
