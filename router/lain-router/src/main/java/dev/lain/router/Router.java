package dev.lain.router;

import dev.lain.controller.Backoff;
import dev.lain.controller.Controller;
import dev.lain.controller.Result;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.ServableCertificates;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.deployd.DeploydCache;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.webrouter.SystemRoutes;
import dev.lain.router.render.RouteTable;
import dev.lain.store.Lease;
import dev.lain.store.LeaseKeeper;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webrouter: follows the store, and whenever what it should serve changes, has its nginx serve it
 * (see {@link NginxDriver}); then reports the store revision it serves, under a lease, so the
 * engine knows when an instance has left every router. Any number of routers converge to the same
 * configuration from the store alone.
 *
 * <p>A {@link Controller} with one key, the router's whole configuration: a store change enqueues
 * it after {@code debounce} (the first change of a burst sets the time; the rest of the burst joins
 * it, so a burst becomes one reload), a lost lease at once, and a resync every {@code resync}. A
 * sync that cannot read the store is retried with back-off.
 *
 * <pre>
 * store change ──► enqueue after {@code debounce} ─┐
 * lease lost ────► enqueue ────────────────────────┼─► sync: routes from records (pure)
 * every {@code resync} ───────────────────────────┘     ──► same as served? report only
 *                                                         : nginx -t, swap, reload ──► report
 * </pre>
 */
public final class Router implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);

  /**
   * How a router runs.
   *
   * @param name unique among routers: its report's key
   * @param debounce how long to wait after a change for more changes before reloading
   * @param resync how often to look again when nothing changed
   */
  public record Config(String name, Duration debounce, Duration resync, Duration leaseTtl) {
    public Config {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9._-]*")) {
        throw new IllegalArgumentException("bad router name: " + name);
      }
    }

    public static Config defaults(String name) {
      return new Config(
          name, Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }
  }

  private final Store store;
  private final Config config;
  private final NginxDriver nginx;
  private final InstantSource clock;
  private final ClusterConfigStore clusterConfig;
  private final ServableCertificates certificates;
  private final DeploydState state;
  private final AtomicBoolean leaseLost = new AtomicBoolean(true);

  /** When the oldest change not yet applied was seen (System.nanoTime), or 0. */
  private final AtomicLong changedAt = new AtomicLong();

  private final Controller<Work> controller;
  // Written by the controller's one worker; read by close() after the worker has stopped.
  private DeploydCache cache;
  private LeaseKeeper keeper;
  private Lease lease;
  private Served served;
  private RouterStatus written;
  private volatile RouterStatus status;

  /** The router's one key: everything it serves is computed and applied as a whole. */
  private enum Work {
    CONFIGURATION
  }

  /** What nginx serves: the routes (without revision) and the certificates they may use. */
  private record Served(RouteTable table, Map<String, NginxDriver.Pem> certificates) {}

  private Router(Store store, Config config, NginxDriver nginx, InstantSource clock) {
    this.store = store;
    this.config = config;
    this.nginx = nginx;
    this.clock = clock;
    this.clusterConfig = new ClusterConfigStore(store);
    this.certificates = new ServableCertificates(new CertificateStore(store, clock));
    this.state = new DeploydState(store);
    this.status = RouterStatus.initial(config.name());
    this.controller =
        Controller.builder("router " + config.name(), this::sync)
            .resync(config.resync(), Work.CONFIGURATION)
            .backoff(backoff(config.resync()))
            .build();
  }

  /** Starts following the store; the first update (and nginx's start) follows at once. */
  public static Router start(Store store, Config config, NginxDriver nginx, InstantSource clock) {
    Router router = new Router(store, config, nginx, clock);
    router.controller.start();
    return router;
  }

  /**
   * Retries of an update that could not read the store: soon at first, then less often, but never
   * less often than a resync looks when nothing changes.
   */
  private static Backoff backoff(Duration resync) {
    return new Backoff(FIRST_RETRY.compareTo(resync) < 0 ? FIRST_RETRY : resync, resync);
  }

  /** The last report. */
  public RouterStatus status() {
    return status;
  }

  /** Looks at the store again now. */
  public void wake() {
    controller.enqueue(Work.CONFIGURATION);
  }

  private void changed() {
    changedAt.compareAndSet(0, System.nanoTime());
    controller.enqueueAfter(Work.CONFIGURATION, config.debounce());
  }

  /**
   * Stops following the store (waiting for a running update to finish), withdraws the report and
   * stops nginx gracefully.
   */
  @Override
  public void close() {
    controller.close();
    if (cache != null) {
      cache.close();
    }
    if (keeper != null) {
      keeper.close();
    }
    if (lease != null) {
      try {
        store.revokeLease(lease.id());
      } catch (StoreException e) {
        log.warn("router {}: cannot withdraw its report: {}", config.name(), e.getMessage());
      }
    }
    nginx.close();
  }

  private Result sync(Work configuration) throws InterruptedException {
    if (cache == null) {
      // Routers' own reports do not change what a router serves.
      cache = DeploydCache.start(store, this::changed, key -> !key.startsWith(DeploydKeys.ROUTERS));
    }
    apply();
    return Result.done();
  }

  private void apply() throws InterruptedException {
    long seen = changedAt.getAndSet(0);
    DeploydSnapshot snapshot = cache.snapshot();
    ClusterConfig cluster = clusterConfig.load();
    List<String> problems = new ArrayList<>();
    Map<String, NginxDriver.Pem> pems = usableCertificates(problems);
    List<SystemRoutes.SystemRoute> system = SystemRoutes.list(store, problems);
    RouteTableBuilder.Result result =
        RouteTableBuilder.build(snapshot, cluster, pems.keySet(), system, clock.instant());
    problems.addAll(result.problems());
    RouteTable table = result.table();
    Served wanted = new Served(withoutRevision(table), pems);
    RouterStatus last = status;
    String refusal = "";
    long reloads = last.reloads();
    long rejected = last.rejected();
    long effectiveMillis = last.effectiveMillis();
    Instant appliedAt = last.appliedAt();
    if (!wanted.equals(served) || !nginx.running()) {
      switch (nginx.apply(table, pems)) {
        case NginxDriver.Outcome.Applied applied -> {
          served = wanted;
          reloads++;
          appliedAt = clock.instant();
          long from = seen == 0 ? System.nanoTime() - applied.took().toNanos() : seen;
          effectiveMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
          applied.warnings().forEach(w -> log.warn("router {}: {}", config.name(), w));
          log.info(
              "router {}: serving revision {} ({} routes, generation {}) {} ms after the change"
                  + " (render {} ms, nginx -t {} ms, reload {} ms)",
              config.name(),
              table.revision(),
              table.routes().size(),
              applied.generation(),
              effectiveMillis,
              applied.written().toMillis(),
              applied.checked().toMillis(),
              applied.took().minus(applied.written()).minus(applied.checked()).toMillis());
        }
        case NginxDriver.Outcome.Rejected refused -> {
          refusal = refused.reason();
          rejected++;
          log.error("router {}: kept the previous configuration: {}", config.name(), refusal);
        }
      }
    }
    // A refused change is not applied: the reported revision stays where nginx really is. A
    // resync that found nothing new keeps it too, or each report would count as news next time.
    boolean news = seen != 0 || reloads != last.reloads() || last.appliedRevision() == 0;
    long revision = refusal.isEmpty() && news ? table.revision() : last.appliedRevision();
    List<String> leftOut = List.copyOf(problems);
    if (!refusal.isEmpty()) {
      problems.addFirst(refusal);
    }
    String error = String.join("; ", problems);
    if (!error.equals(last.error())) {
      leftOut.forEach(p -> log.warn("router {}: {}", config.name(), p));
    }
    report(
        new RouterStatus(
            config.name(),
            revision,
            appliedAt,
            served == null ? 0 : served.table().routes().size(),
            error,
            reloads,
            rejected,
            effectiveMillis));
  }

  private Map<String, NginxDriver.Pem> usableCertificates(List<String> problems) {
    Map<String, NginxDriver.Pem> pems = new TreeMap<>();
    certificates
        .read(problems)
        .forEach((name, c) -> pems.put(name, new NginxDriver.Pem(c.certificate(), c.key())));
    return pems;
  }

  private static RouteTable withoutRevision(RouteTable table) {
    return new RouteTable(
        0, table.domains(), table.routes(), table.sslPatterns(), table.certificates());
  }

  private void report(RouterStatus next) {
    if (leaseLost.getAndSet(false) || lease == null) {
      lease = store.grantLease(config.leaseTtl());
      Lease granted = lease;
      if (keeper != null) {
        keeper.close();
      }
      keeper =
          LeaseKeeper.start(
              store,
              granted,
              () -> {
                leaseLost.set(true);
                wake();
              });
      written = null;
    }
    if (!next.equals(written)) {
      state.reportRouter(next, lease.id());
      written = next;
    }
    status = next;
  }
}
