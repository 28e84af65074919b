package dev.lain.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of several members on 127.0.0.1 for tests and benchmarks, each member on its
 * own free ports and temporary data directory, to kill and restart one by one.
 */
public final class EtcdCluster implements AutoCloseable {
  private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"?(\\d+)");
  private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  private final List<EtcdServer> members;

  private EtcdCluster(List<EtcdServer> members) {
    this.members = List.copyOf(members);
  }

  /** Starts {@code size} members and waits until every one is healthy (has a leader). */
  public static EtcdCluster start(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("an etcd cluster has at least one member: " + size);
    }
    return new EtcdCluster(EtcdServer.startMembers(size));
  }

  public List<EtcdServer> members() {
    return members;
  }

  /** The store URL naming every member: {@code etcd://127.0.0.1:p1,127.0.0.1:p2,...}. */
  public String url() {
    return "etcd://"
        + members.stream().map(m -> "127.0.0.1:" + m.clientPort()).collect(Collectors.joining(","));
  }

  /** The running member that is the raft leader, as the running members see it. */
  public Optional<EtcdServer> leader() {
    for (EtcdServer member : members) {
      if (!member.isRunning()) {
        continue;
      }
      Optional<String> status = status(member);
      if (status.isEmpty()) {
        continue;
      }
      Optional<String> self = find(MEMBER_ID, status.get());
      Optional<String> leader = find(LEADER, status.get());
      if (self.isPresent() && self.equals(leader)) {
        return Optional.of(member);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    members.forEach(EtcdServer::close);
  }

  @Override
  public String toString() {
    return "etcd cluster " + url();
  }

  private static Optional<String> status(EtcdServer member) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(member.clientEndpoint() + "/v3/maintenance/status"))
                  .timeout(Duration.ofSeconds(2))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> find(Pattern pattern, String json) {
    Matcher m = pattern.matcher(json);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
