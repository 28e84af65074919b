package dev.lain.records.console;

import dev.lain.model.console.Maintainer;
import dev.lain.model.console.Repo;
import dev.lain.model.console.Role;
import dev.lain.records.RecordException;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Registered apps (LAIN's repos) and their maintainers. */
public final class Repos {
  private final Store store;
  private final InstantSource clock;

  public Repos(Store store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Registers {@code app} with {@code creator} as its admin maintainer, in one write. */
  public Repo create(String app, String creator) {
    Repo repo = new Repo(app, clock.instant(), creator);
    Maintainer admin = new Maintainer(creator, Role.ADMIN, repo.created(), creator);
    boolean created =
        store
            .commit(
                Txn.when(List.of(new Txn.ModRevisionIs(ConsoleKeys.repo(app), 0)))
                    .then(
                        List.of(
                            new Txn.Put(ConsoleKeys.repo(app), ConsoleJson.write(repo)),
                            new Txn.Put(
                                ConsoleKeys.maintainer(app, creator), ConsoleJson.write(admin)))))
            .succeeded();
    if (!created) {
      throw RecordException.conflict("app " + app + " has been reposited already");
    }
    return repo;
  }

  public Optional<Repo> get(String app) {
    return store.get(ConsoleKeys.repo(app)).map(kv -> ConsoleJson.read(kv, Repo.class));
  }

  /** The repo, or LAIN's 404 for an app nobody registered. */
  public Repo require(String app) {
    return get(Names.app(app))
        .orElseThrow(
            () ->
                RecordException.notFound(
                    "app " + app + " has not been reposited yet: run `lain reposit` first"));
  }

  public List<Repo> list() {
    return store.list(ConsoleKeys.REPOS).entries().stream()
        .map(kv -> ConsoleJson.read(kv, Repo.class))
        .toList();
  }

  public List<Maintainer> maintainers(String app) {
    return store.list(ConsoleKeys.maintainers(app)).entries().stream()
        .map(kv -> ConsoleJson.read(kv, Maintainer.class))
        .toList();
  }

  public Optional<Role> role(String app, String user) {
    return store
        .get(ConsoleKeys.maintainer(app, user))
        .map(kv -> ConsoleJson.read(kv, Maintainer.class).role());
  }

  /**
   * Adds a maintainer or changes its role; returns whether it is new. Taking the last admin's admin
   * role away is refused, as removing it is.
   */
  public boolean putMaintainer(String app, String user, Role role, String by) {
    Optional<KeyValue> current = store.get(ConsoleKeys.maintainer(app, user));
    Maintainer next = new Maintainer(user, role, clock.instant(), by);
    List<Txn.Condition> conditions = new ArrayList<>();
    conditions.add(
        new Txn.ModRevisionIs(
            ConsoleKeys.maintainer(app, user), current.map(KeyValue::modRevision).orElse(0L)));
    if (current.isPresent() && role != Role.ADMIN) {
      conditions.addAll(otherAdminsRemain(app, user));
    }
    if (!store
        .commit(
            Txn.when(conditions)
                .then(
                    List.of(
                        new Txn.Put(ConsoleKeys.maintainer(app, user), ConsoleJson.write(next)))))
        .succeeded()) {
      throw RecordException.conflict("the maintainers of " + app + " changed meanwhile; try again");
    }
    return current.isEmpty();
  }

  public void removeMaintainer(String app, String user) {
    Optional<KeyValue> current = store.get(ConsoleKeys.maintainer(app, user));
    if (current.isEmpty()) {
      throw RecordException.notFound("user " + user + " does not exist in the app " + app);
    }
    List<Txn.Condition> conditions = new ArrayList<>();
    conditions.add(
        new Txn.ModRevisionIs(ConsoleKeys.maintainer(app, user), current.get().modRevision()));
    conditions.addAll(otherAdminsRemain(app, user));
    if (!store
        .commit(
            Txn.when(conditions).then(List.of(new Txn.Delete(ConsoleKeys.maintainer(app, user)))))
        .succeeded()) {
      throw RecordException.conflict("the maintainers of " + app + " changed meanwhile; try again");
    }
  }

  /**
   * Conditions that hold while the other admin maintainers stay as they are; none when {@code user}
   * is not an admin. Refused when there is no other admin: an app must keep someone who can manage
   * it.
   */
  private List<Txn.Condition> otherAdminsRemain(String app, String user) {
    if (role(app, user).orElse(Role.NORMAL) != Role.ADMIN) {
      return List.of();
    }
    List<Txn.Condition> others = new ArrayList<>();
    for (KeyValue kv : store.list(ConsoleKeys.maintainers(app)).entries()) {
      Maintainer m = ConsoleJson.read(kv, Maintainer.class);
      if (m.role() == Role.ADMIN && !m.username().equals(user)) {
        others.add(new Txn.ModRevisionIs(kv.key(), kv.modRevision()));
      }
    }
    if (others.isEmpty()) {
      throw RecordException.conflict(
          user + " is the last admin of " + app + ": make another maintainer admin first");
    }
    return others;
  }
}
