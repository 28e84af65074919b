package dev.lain.deployd;

import dev.lain.scheduler.EngineSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How a master runs.
 *
 * @param listenHost the address the deployd API listens on
 * @param port the API's port (LAIN used 9003); 0 for any free port
 * @param advertise how other processes reach this master; shown as the leader
 * @param tick the longest the engine waits between passes when nothing changes
 * @param leaderTtl the leadership lease: a dead leader is replaced this long after it stops
 */
public record MasterConfig(
    String listenHost,
    int port,
    String advertise,
    EngineSettings engine,
    Duration tick,
    Duration leaderTtl) {
  public MasterConfig {
    Objects.requireNonNull(listenHost, "listenHost");
    Objects.requireNonNull(advertise, "advertise");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(leaderTtl, "leaderTtl");
  }

  public static MasterConfig defaults(String listenHost, int port) {
    return new MasterConfig(
        listenHost,
        port,
        listenHost + ":" + port,
        EngineSettings.DEFAULT,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10));
  }
}
