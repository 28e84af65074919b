package dev.lain.daemon;

import dev.lain.deployd.MasterConfig;
import dev.lain.scheduler.EngineSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of a master ({@code laind master}, {@code laind all}). */
final class MasterOptions {
  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Where the deployd API listens (default ${DEFAULT-VALUE}).")
  String listen = "127.0.0.1:9003";

  @Option(
      names = "--advertise",
      paramLabel = "HOST:PORT",
      description = "How others reach this master (default: --listen).")
  String advertise;

  @Option(
      names = "--node-grace",
      paramLabel = "DURATION",
      description =
          "How long a node may miss its heartbeat before its instances move (default ${DEFAULT-VALUE}).")
  String nodeGrace = "10s";

  @Option(
      names = "--ready-timeout",
      paramLabel = "DURATION",
      description =
          "Least time a new instance gets to become ready in an upgrade (default ${DEFAULT-VALUE}).")
  String readyTimeout = "60s";

  @Option(
      names = "--leader-ttl",
      paramLabel = "DURATION",
      description =
          "The leadership lease: a master that stops is replaced this long after (default"
              + " ${DEFAULT-VALUE}).")
  String leaderTtl = "2s";

  MasterConfig config() {
    String host = HostPort.host(listen, "--listen");
    int port = HostPort.port(listen, "--listen");
    return new MasterConfig(
        host,
        port,
        advertise == null ? listen : advertise,
        new EngineSettings(
            Units.duration(nodeGrace),
            Units.duration(readyTimeout),
            EngineSettings.DEFAULT.breakerNodes()),
        Duration.ofSeconds(1),
        Units.duration(leaderTtl));
  }
}
