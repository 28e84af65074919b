package dev.lain.router.render;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where this router listens and where its files are.
 *
 * <p>Internal hosts (cluster domains) are served on the internal listens only; external hosts on
 * the internal and the external listens. Operators expose only the external ports to the Internet.
 *
 * @param internalHttp plain HTTP for every host (LAIN: 80)
 * @param internalHttps TLS for every host that has a certificate (LAIN: 443)
 * @param externalHttp plain HTTP for external hosts only (LAIN: 8080)
 * @param externalHttps TLS for external hosts that have a certificate (LAIN: 8443)
 * @param certificateDir directory of {@code <name>.crt} and {@code <name>.key}; absolute
 * @param accessLog the access log file (absolute), or {@code off}
 * @param tuning nginx limits and timeouts; {@link Tuning#DEFAULT} suits most routers
 */
@RecordBuilder
public record RouterSettings(
    Listen internalHttp,
    Listen internalHttps,
    Listen externalHttp,
    Listen externalHttps,
    String certificateDir,
    String accessLog,
    Tuning tuning)
    implements RouterSettingsBuilder.With {

  public RouterSettings {
    Objects.requireNonNull(internalHttp, "internalHttp");
    Objects.requireNonNull(internalHttps, "internalHttps");
    Objects.requireNonNull(externalHttp, "externalHttp");
    Objects.requireNonNull(externalHttps, "externalHttps");
    Objects.requireNonNull(certificateDir, "certificateDir");
    Objects.requireNonNull(accessLog, "accessLog");
    Objects.requireNonNull(tuning, "tuning");
    List<Listen> listens = List.of(internalHttp, internalHttps, externalHttp, externalHttps);
    for (int i = 0; i < listens.size(); i++) {
      for (int j = i + 1; j < listens.size(); j++) {
        if (listens.get(i).overlaps(listens.get(j))) {
          throw new IllegalArgumentException(
              "listens " + listens.get(i) + " and " + listens.get(j) + " overlap");
        }
      }
    }
    Inputs.filePathProblem(certificateDir)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("certificateDir " + p);
            });
    if (!accessLog.equals("off")) {
      Inputs.filePathProblem(accessLog)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("accessLog " + p + ", or 'off'");
              });
    }
    if (certificateDir.length() > 1 && certificateDir.endsWith("/")) {
      certificateDir = certificateDir.substring(0, certificateDir.length() - 1);
    }
  }

  /** LAIN's ports on every address: 80 and 443 internal, 8080 and 8443 external. */
  public static RouterSettings production(String certificateDir, String accessLog) {
    return new RouterSettings(
        Listen.any(80),
        Listen.any(443),
        Listen.any(8080),
        Listen.any(8443),
        certificateDir,
        accessLog,
        Tuning.DEFAULT);
  }

  /**
   * nginx limits and timeouts.
   *
   * @param workerProcesses worker processes; 0 means one per CPU ({@code auto}). Default 0.
   * @param workerConnections connections per worker, clients and upstreams together. Default 10240
   *     (LAIN's).
   * @param workerShutdownTimeout how long old workers may finish open requests and websockets after
   *     a reload before they are closed. Default 30 s.
   * @param proxyConnectTimeout connecting to an instance. Default 5 s.
   * @param proxyReadTimeout silence allowed between two reads from (and writes to) an instance;
   *     also bounds idle websockets. Default 900 s (LAIN's).
   * @param upstreamKeepalive idle connections to each pod group kept per worker; 0 turns upstream
   *     keep-alive off. Default 16.
   * @param upstreamKeepaliveTimeout how long an idle upstream connection is kept; shorter than the
   *     idle timeout of common app servers, so nginx does not reuse one the app is closing. Default
   *     2 s.
   * @param upstreamTries instances tried for one request when one refuses, times out or answers 502
   *     (idempotent requests only). Default 3.
   */
  public record Tuning(
      int workerProcesses,
      int workerConnections,
      Duration workerShutdownTimeout,
      Duration proxyConnectTimeout,
      Duration proxyReadTimeout,
      int upstreamKeepalive,
      Duration upstreamKeepaliveTimeout,
      int upstreamTries) {

    public static final Tuning DEFAULT =
        new Tuning(
            0,
            10240,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(900),
            16,
            Duration.ofSeconds(2),
            3);

    public Tuning {
      if (workerProcesses < 0 || workerProcesses > 1024) {
        throw new IllegalArgumentException("workerProcesses must be 0 (auto) to 1024");
      }
      if (workerConnections < 1 || workerConnections > 1_000_000) {
        throw new IllegalArgumentException("workerConnections must be 1 to 1000000");
      }
      positive(workerShutdownTimeout, "workerShutdownTimeout");
      positive(proxyConnectTimeout, "proxyConnectTimeout");
      positive(proxyReadTimeout, "proxyReadTimeout");
      positive(upstreamKeepaliveTimeout, "upstreamKeepaliveTimeout");
      if (upstreamKeepalive < 0 || upstreamKeepalive > 10_000) {
        throw new IllegalArgumentException("upstreamKeepalive must be 0 (off) to 10000");
      }
      if (upstreamTries < 1 || upstreamTries > 100) {
        throw new IllegalArgumentException("upstreamTries must be 1 to 100");
      }
    }

    private static void positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms");
      }
    }

    public Tuning withWorkerProcesses(int n) {
      return new Tuning(
          n,
          workerConnections,
          workerShutdownTimeout,
          proxyConnectTimeout,
          proxyReadTimeout,
          upstreamKeepalive,
          upstreamKeepaliveTimeout,
          upstreamTries);
    }

    public Tuning withUpstreamKeepalive(int n) {
      return new Tuning(
          workerProcesses,
          workerConnections,
          workerShutdownTimeout,
          proxyConnectTimeout,
          proxyReadTimeout,
          n,
          upstreamKeepaliveTimeout,
          upstreamTries);
    }

    public Tuning withWorkerShutdownTimeout(Duration d) {
      return new Tuning(
          workerProcesses,
          workerConnections,
          d,
          proxyConnectTimeout,
          proxyReadTimeout,
          upstreamKeepalive,
          upstreamKeepaliveTimeout,
          upstreamTries);
    }
  }
}
