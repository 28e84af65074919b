package dev.lain.agent;

import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.nodes.AgentToken;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.LogOptions;
import dev.lain.runtime.RuntimeFailure;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's HTTP API, on the node IP: what the console needs from the node that runs an
 * instance.
 *
 * <pre>
 * GET /api/health
 *     200 {"node": ..., "docker": "ok"|"unreachable", "docker_version": ..., "detail": ...}: whether
 *         the node's container engine answers a version request (cheap: no container is listed)
 * GET /api/containers/{name}/logs[?follow=true|false][&amp;tail=N|all]
 *     200 text/plain: stdout and stderr merged as lines; with follow=true the response stays open
 *         and passes on new lines until the container stops or the client goes away
 * </pre>
 *
 * <p>Every request shows the cluster's {@link AgentToken} in {@value AgentToken#HEADER}; without
 * it, or with another, the answer is 401. Only containers this agent manages (LAIN's labels naming
 * this node) are served; any other name is 404 alike, so the API tells nothing about the rest of
 * the engine. Errors are {@code {"code": ..., "message": ...}} from {@link AgentException}.
 *
 * <p>A follower whose client went away is noticed at the next line written to it, when the write
 * fails; closing the API ends every follower at once.
 */
public final class AgentApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentApi.class);

  /** The port {@code laind agent} listens on unless told otherwise (LAIN's deployd is on 9003). */
  public static final int DEFAULT_PORT = 9005;

  private static final int COPY_BUFFER = 8192;

  private final Javalin app;
  private final Set<InputStream> followers = ConcurrentHashMap.newKeySet();

  private AgentApi(Javalin app) {
    this.app = app;
  }

  /**
   * Serves the containers of {@code node} on {@code host:port} (port 0: any free port). The token
   * is read from {@code store} (created there if there is none) at the first request, and kept.
   */
  public static AgentApi start(
      String host, int port, String node, ContainerRuntime runtime, Store store) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(store, "store");
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              config.jsonMapper(new JavalinJackson(DeploydJson.mapper(), true));
            });
    AgentApi api = new AgentApi(app);
    api.routes(node, runtime, new TokenHolder(store));
    app.start(host, port);
    return api;
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  /** How many followed logs it is streaming now. */
  int following() {
    return followers.size();
  }

  /** Ends every follower, then stops the server. */
  @Override
  public void close() {
    for (InputStream follower : followers) {
      closeQuietly(follower);
    }
    app.stop();
  }

  private void routes(String node, ContainerRuntime runtime, TokenHolder token) {
    app.before(
        "/api/*",
        ctx -> {
          if (!AgentToken.matches(token.get(), ctx.header(AgentToken.HEADER))) {
            throw new AgentException(
                AgentException.Code.UNAUTHORIZED,
                "this API needs the cluster's agent token in " + AgentToken.HEADER);
          }
        });
    app.get("/api/health", ctx -> ctx.json(healthJson(health(node, runtime))));
    app.get(
        "/api/containers/{name}/logs",
        ctx -> {
          String name = ctx.pathParam("name");
          LogOptions options = options(ctx);
          ContainerInfo container = managed(runtime, node, name);
          InputStream logs;
          try {
            logs = runtime.logs(container.id(), options);
          } catch (RuntimeFailure e) {
            throw fromRuntime(e, name);
          }
          stream(ctx, logs, options.follow());
        });

    app.exception(
        AgentException.class,
        (e, ctx) -> error(ctx, e.code().httpStatus(), e.code().word(), e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          // The path names a container and the query its options; the token is in a header.
          log.error("agent API: {} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal", "internal error; see the agent's log");
        });
  }

  /** Asks the engine its version; a failure is a finding here, not an error of the request. */
  static AgentHealth health(String node, ContainerRuntime runtime) {
    try {
      return new AgentHealth(node, true, runtime.version(), "");
    } catch (RuntimeFailure e) {
      // The engine's own words stay in the agent's log: they may name its internals.
      log.warn("agent API: health: the container engine did not answer", e);
      String detail =
          e.code() == RuntimeFailure.Code.UNAVAILABLE
              ? "the node's container engine cannot be reached"
              : "the node's container engine refused a version request; see the agent's log";
      return new AgentHealth(node, false, "", detail);
    }
  }

  static Map<String, String> healthJson(AgentHealth health) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("node", health.node());
    body.put("docker", health.docker());
    body.put("docker_version", health.dockerVersion());
    body.put("detail", health.detail());
    return body;
  }

  /** The container named {@code name} if this agent manages it; 404 for any other. */
  private static ContainerInfo managed(ContainerRuntime runtime, String node, String name) {
    Optional<ContainerInfo> found;
    try {
      found = runtime.inspect(name);
    } catch (RuntimeFailure e) {
      throw fromRuntime(e, name);
    }
    // By name only: the engine would also take an id or an id prefix.
    return found
        .filter(c -> c.name().equals(name))
        .filter(c -> node.equals(c.labels().get(ContainerLabels.NODE)))
        .filter(c -> ContainerLabels.idOf(c.labels()).isPresent())
        .orElseThrow(
            () ->
                new AgentException(
                    AgentException.Code.NOT_FOUND,
                    "no container " + name + " among the instances of node " + node));
  }

  private static LogOptions options(Context ctx) {
    LogOptions options = LogOptions.allLines();
    String follow = ctx.queryParam("follow");
    if (follow != null) {
      switch (follow) {
        case "true" -> options = options.withFollow(true);
        case "false" -> options = options.withFollow(false);
        default ->
            throw new AgentException(
                AgentException.Code.INVALID, "follow must be true or false, not '" + follow + "'");
      }
    }
    String tail = ctx.queryParam("tail");
    if (tail != null && !tail.equals("all")) {
      int lines;
      try {
        lines = Integer.parseInt(tail);
      } catch (NumberFormatException e) {
        lines = -1;
      }
      if (lines < 0) {
        throw new AgentException(
            AgentException.Code.INVALID,
            "tail must be a number of lines or 'all', not '" + tail + "'");
      }
      options = options.withTail(lines);
    }
    return options;
  }

  /**
   * Copies the logs to the response as they come, flushing each read so a follower sees a line when
   * it is written (Jetty would otherwise hold it until its buffer fills). The response is chunked:
   * its length is not known.
   */
  private void stream(Context ctx, InputStream logs, boolean follow) throws IOException {
    if (follow) {
      followers.add(logs);
    }
    try (logs) {
      ctx.status(200);
      ctx.contentType("text/plain; charset=utf-8");
      OutputStream out = ctx.res().getOutputStream();
      out.flush();
      byte[] buffer = new byte[COPY_BUFFER];
      for (int n = logs.read(buffer); n >= 0; n = logs.read(buffer)) {
        out.write(buffer, 0, n);
        if (logs.available() == 0) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // The client went away, or the engine's stream broke off after the answer began: either
      // way the answer is over, and there is no status left to send.
      log.debug("agent API: logs of {} ended early: {}", ctx.pathParam("name"), e.toString());
    } finally {
      followers.remove(logs);
    }
  }

  private static AgentException fromRuntime(RuntimeFailure e, String name) {
    return switch (e.code()) {
      case NOT_FOUND ->
          new AgentException(AgentException.Code.NOT_FOUND, "no container " + name, e);
      case UNAVAILABLE ->
          new AgentException(
              AgentException.Code.UNAVAILABLE, "the node's container engine is unavailable", e);
      // The engine's own words stay in the agent's log: they may name its internals.
      default ->
          new AgentException(
              AgentException.Code.UNAVAILABLE,
              "the node's container engine refused to give the logs of " + name,
              e);
    };
  }

  private static void error(Context ctx, int status, String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    ctx.status(status).json(body);
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // Ending it is all that was wanted.
    }
  }

  /** The token, read from the store at the first request that needs it, then kept. */
  private static final class TokenHolder {
    private final Store store;
    private volatile String token;

    TokenHolder(Store store) {
      this.store = store;
    }

    String get() {
      String current = token;
      if (current == null) {
        try {
          current = AgentToken.getOrCreate(store);
        } catch (StoreException e) {
          throw new AgentException(
              AgentException.Code.UNAVAILABLE,
              "the agent cannot read the cluster's agent token from the store yet",
              e);
        }
        token = current;
      }
      return current;
    }
  }
}
