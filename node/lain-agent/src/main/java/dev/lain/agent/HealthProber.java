package dev.lain.agent;

import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.RunState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The agent's HTTP health checks of web procs: {@code GET http://<node ip>:<host port><path>} every
 * interval, 2xx and 3xx healthy, unhealthy after {@code retries} failures in a row. A probe runs on
 * a virtual thread and its result is taken in on the agent's thread at its next pass, so that the
 * per-instance state has one writer.
 */
final class HealthProber {
  /** One client for every agent of the process (each has its own selector thread). */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Runnable onResult;
  private final Map<InstanceId, Probe> probes = new HashMap<>();
  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final Map<InstanceId, InstanceStatus> previousReports = new HashMap<>();

  /** An instance's checks so far. */
  private static final class Probe {
    Health health = Health.STARTING;
    int failures;
    Instant next;
    boolean running;
  }

  private record Result(InstanceId id, boolean ok, int retries) {}

  /**
   * @param onResult told when a probe has finished (from the probe's thread)
   */
  HealthProber(Runnable onResult) {
    this.onResult = onResult;
  }

  /**
   * The reports a previous agent of this node left in the store. An instance whose container is
   * still the one they describe (same start) keeps its verdict until the next probe, so an agent
   * restart does not take healthy instances out of the webrouters.
   */
  void previousReports(Collection<InstanceStatus> reports) {
    for (InstanceStatus report : reports) {
      previousReports.put(report.id(), report);
    }
  }

  /** Takes in the results that arrived since the last pass. */
  void takeResults() {
    Result result;
    while ((result = results.poll()) != null) {
      Probe probe = probes.get(result.id());
      if (probe == null) {
        continue;
      }
      probe.running = false;
      if (result.ok()) {
        probe.failures = 0;
        probe.health = Health.HEALTHY;
      } else if (++probe.failures >= result.retries()) {
        probe.health = Health.UNHEALTHY;
      }
    }
  }

  /** The instance's health as probed so far; starts a probe when one is due. */
  Health health(
      InstanceId id,
      HealthCheck.Http check,
      Optional<InstanceStatus.Endpoint> endpoint,
      Instant startedAt,
      Instant now) {
    Probe probe = probes.computeIfAbsent(id, k -> firstProbe(k, startedAt));
    if (!probe.running
        && endpoint.isPresent()
        && (probe.next == null || !now.isBefore(probe.next))) {
      probe.running = true;
      probe.next = now.plus(check.interval());
      start(id, check, URI.create("http://" + endpoint.get() + check.path()));
    }
    return probe.health;
  }

  private Probe firstProbe(InstanceId id, Instant startedAt) {
    Probe probe = new Probe();
    InstanceStatus report = previousReports.remove(id);
    if (report != null
        && report.state() == RunState.RUNNING
        && report.since().equals(startedAt)
        && (report.health() == Health.HEALTHY || report.health() == Health.UNHEALTHY)) {
      probe.health = report.health();
    }
    return probe;
  }

  /** Starts the instance's checks over (it stopped running). */
  void reset(InstanceId id) {
    Probe probe = probes.get(id);
    if (probe != null) {
      probe.health = Health.STARTING;
      probe.failures = 0;
    }
  }

  /** Forgets every instance but these. */
  void retain(Set<InstanceId> instances) {
    probes.keySet().retainAll(instances);
    previousReports.keySet().retainAll(instances);
  }

  private void start(InstanceId id, HealthCheck.Http check, URI uri) {
    Thread.ofVirtual()
        .name("probe " + id)
        .start(
            () -> {
              boolean ok;
              try {
                HttpResponse<Void> response =
                    HTTP.send(
                        HttpRequest.newBuilder(uri).timeout(check.timeout()).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                ok = response.statusCode() >= 200 && response.statusCode() < 400;
              } catch (IOException e) {
                ok = false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
              }
              results.add(new Result(id, ok, check.retries()));
              onResult.run();
            });
  }
}
