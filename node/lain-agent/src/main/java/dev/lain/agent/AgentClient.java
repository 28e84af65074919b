package dev.lain.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.nodes.AgentToken;
import dev.lain.runtime.LogOptions;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Talks to node agents' APIs ({@link AgentApi}) for the console: finds a node's agent from its
 * registration ({@link NodeInfo#agentPort()}) and shows the cluster's {@link AgentToken}, read from
 * the store (created there if no agent has yet).
 *
 * <p>Every failure is an {@link AgentException}: {@code UNREACHABLE} when the node advertises no
 * API or its agent cannot be reached, {@code UNAUTHORIZED} on 401, {@code NOT_FOUND} on 404 (the
 * node's agent manages no such container), and the agent's other refusals by their code.
 */
public final class AgentClient {
  /** How long to wait for a connection and for the answer's headers (not for the lines). */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Store store;
  private final Duration timeout;
  private final HttpClient http;
  private volatile String token;

  /** A client with the token from {@code store} and {@link #TIMEOUT}. */
  public AgentClient(Store store) {
    this(store, TIMEOUT);
  }

  /** A client that waits {@code timeout} for a connection and for an answer's headers. */
  public AgentClient(Store store, Duration timeout) {
    this.store = Objects.requireNonNull(store, "store");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The logs of {@code container} on {@code node}: stdout and stderr merged as UTF-8 lines, the
   * last {@code tail} of them ({@link LogOptions#ALL_LINES} for all), and with {@code follow} the
   * lines written after, until the container stops. Close the stream to stop following; that drops
   * the connection and ends the agent's side too.
   */
  public InputStream logs(NodeInfo node, String container, boolean follow, int tail) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(container, "container");
    if (tail < LogOptions.ALL_LINES) {
      throw new IllegalArgumentException("tail must be a line count or ALL_LINES: " + tail);
    }
    URI uri =
        agentUri(
            node,
            "/api/containers/"
                + URLEncoder.encode(container, StandardCharsets.UTF_8)
                + "/logs?follow="
                + follow
                + "&tail="
                + (tail == LogOptions.ALL_LINES ? "all" : Integer.toString(tail)));
    String where = where(node, uri);
    HttpResponse<InputStream> response = send(node, uri);
    if (response.statusCode() == 200) {
      return response.body();
    }
    if (response.statusCode() == 401) {
      // Perhaps the token was replaced in the store: read it again next time.
      token = null;
    }
    throw refusal(response, where);
  }

  /**
   * What the agent of {@code node} says about itself and its container engine ({@code GET
   * /api/health}). An agent that cannot be reached, or refuses, is an {@link AgentException}.
   */
  public AgentHealth health(NodeInfo node) {
    Objects.requireNonNull(node, "node");
    URI uri = agentUri(node, "/api/health");
    HttpResponse<InputStream> response = send(node, uri);
    String where = where(node, uri);
    if (response.statusCode() != 200) {
      if (response.statusCode() == 401) {
        token = null;
      }
      throw refusal(response, where);
    }
    try (InputStream in = response.body()) {
      JsonNode json = DeploydJson.mapper().readTree(in.readNBytes(64 * 1024));
      String docker = json.path("docker").asText("");
      if (!docker.equals(AgentHealth.OK) && !docker.equals(AgentHealth.UNREACHABLE)) {
        throw new AgentException(
            AgentException.Code.UNREACHABLE,
            where + " answered no health: docker='" + docker + "'");
      }
      return new AgentHealth(
          json.path("node").asText(node.name()),
          docker.equals(AgentHealth.OK),
          json.path("docker_version").asText(""),
          json.path("detail").asText(""));
    } catch (IOException e) {
      throw new AgentException(
          AgentException.Code.UNREACHABLE, "cannot read the answer of " + where + ": " + e, e);
    }
  }

  private URI agentUri(NodeInfo node, String pathAndQuery) {
    if (!node.hasAgentApi()) {
      throw new AgentException(
          AgentException.Code.UNREACHABLE,
          "the agent of node " + node.name() + " advertises no API (it may predate it)");
    }
    return URI.create("http://" + hostOf(node.ip()) + ":" + node.agentPort() + pathAndQuery);
  }

  private static String where(NodeInfo node, URI uri) {
    return "the agent of node " + node.name() + " at " + uri.getAuthority();
  }

  /** Sends a GET with the token; waits {@link #timeout} for the answer's headers. */
  private HttpResponse<InputStream> send(NodeInfo node, URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .header(AgentToken.HEADER, token())
            // Only until the headers: a followed answer then stays open as long as it needs.
            .timeout(timeout)
            .build();
    String where = where(node, uri);
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new AgentException(
          AgentException.Code.UNREACHABLE, "cannot connect to " + where + ": " + e, e);
    } catch (HttpTimeoutException e) {
      throw new AgentException(
          AgentException.Code.UNREACHABLE,
          where + " did not answer within " + timeout.toMillis() + " ms",
          e);
    } catch (IOException e) {
      throw new AgentException(
          AgentException.Code.UNREACHABLE, "cannot talk to " + where + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(
          AgentException.Code.UNREACHABLE, "interrupted while asking " + where, e);
    }
  }

  /** The agent's JSON error as an exception with its code; anything else is not the agent API. */
  private static AgentException refusal(HttpResponse<InputStream> response, String where) {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "";
    }
    String message = "";
    AgentException.Code code = null;
    try {
      JsonNode json = DeploydJson.mapper().readTree(body);
      message = json.path("message").asText("");
      for (AgentException.Code candidate : AgentException.Code.values()) {
        if (candidate.word().equals(json.path("code").asText())) {
          code = candidate;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: judged by the status alone.
    }
    int status = response.statusCode();
    if (code == null) {
      code =
          switch (status) {
            case 400 -> AgentException.Code.INVALID;
            case 401 -> AgentException.Code.UNAUTHORIZED;
            case 404 -> AgentException.Code.NOT_FOUND;
            case 503 -> AgentException.Code.UNAVAILABLE;
            default -> AgentException.Code.UNREACHABLE;
          };
    }
    if (code == AgentException.Code.UNAUTHORIZED) {
      message = "the agent token in the store is not the one the agent holds";
    }
    return new AgentException(
        code, where + " answered " + status + (message.isEmpty() ? "" : ": " + message));
  }

  private String token() {
    String current = token;
    if (current == null) {
      try {
        current = AgentToken.getOrCreate(store);
      } catch (StoreException e) {
        throw new AgentException(
            AgentException.Code.UNAVAILABLE, "cannot read the agent token from the store", e);
      }
      token = current;
    }
    return current;
  }

  /** An IPv6 address goes in brackets in a URI. */
  private static String hostOf(String ip) {
    return ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip;
  }
}
