package dev.lain.deployd;

import dev.lain.records.deployd.DeploydCache;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.store.Fence;
import dev.lain.store.LeaderElection;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master: serves the deployd API, campaigns for leadership, and runs the engine while it leads.
 * Every master accepts changes (they are compare-and-set writes to the store); only the leader
 * reconciles.
 */
public final class Master implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Master.class);

  private final Store store;
  private final MasterConfig config;
  private final InstantSource clock;
  private final DeploydApi api;
  // Set once the election has started; the listener may run before the constructor returns.
  private volatile LeaderElection election;
  private volatile Engine engine;
  // Kept while standing by too: a master that takes over reconciles from a cache already filled.
  private volatile DeploydCache cache;
  private final Thread cacheLoader;
  private volatile boolean closed;

  private Master(Store store, MasterConfig config, InstantSource clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    DeploydService service =
        new DeploydService(new DeploydState(store), () -> Optional.ofNullable(engine));
    this.api = DeploydApi.start(config.listenHost(), config.port(), service);
    this.cacheLoader = Thread.ofVirtual().name("deployd standby cache").start(this::loadCache);
    this.election =
        LeaderElection.start(
            store,
            DeploydKeys.LEADER,
            config.advertise(),
            config.leaderTtl(),
            new LeaderElection.Listener() {
              @Override
              public void elected(Fence fence) {
                log.info("master {} leads: starting the engine ({})", config.advertise(), fence);
                engine =
                    Engine.start(
                        store,
                        fence,
                        Master.this::stepDown,
                        config.engine(),
                        clock,
                        config.tick(),
                        Optional.ofNullable(cache));
              }

              @Override
              public void revoked() {
                log.warn("master {} no longer leads: stopping the engine", config.advertise());
                Engine running = engine;
                engine = null;
                if (running != null) {
                  running.close();
                }
              }
            });
  }

  /** Fills the standby cache, retrying while the store cannot be read. */
  private void loadCache() {
    while (!closed) {
      try {
        DeploydCache loaded = DeploydCache.start(store, this::wakeEngine);
        if (closed) {
          loaded.close();
        } else {
          cache = loaded;
        }
        return;
      } catch (StoreException e) {
        log.warn("cannot read the store for the standby cache, retrying: {}", e.getMessage());
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void wakeEngine() {
    Engine running = engine;
    if (running != null) {
      running.wake();
    }
  }

  /** A write of the engine found another master leading: follow it. */
  private void stepDown() {
    log.warn("master {} was fenced out: another master leads; stepping down", config.advertise());
    LeaderElection current = election;
    if (current != null) {
      current.resign();
    }
  }

  public static Master start(Store store, MasterConfig config, InstantSource clock) {
    return new Master(store, config, clock);
  }

  /** The API's port. */
  public int port() {
    return api.port();
  }

  public boolean leading() {
    return engine != null;
  }

  @Override
  public void close() {
    api.close();
    election.close();
    Engine running = engine;
    if (running != null) {
      running.close();
    }
    closed = true;
    cacheLoader.interrupt();
    DeploydCache warm = cache;
    if (warm != null) {
      warm.close();
    }
  }
}
