package dev.lain.cli.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.api.ApiJson;
import dev.lain.api.ErrorCode;
import dev.lain.api.console.Accounts;
import dev.lain.api.console.AppView;
import dev.lain.api.console.ProcView;
import dev.lain.api.console.Replies;
import dev.lain.api.console.Requests;
import dev.lain.model.console.HistoryEntry;
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
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The console API (served by the master) as the {@code lain} CLI sees it: the typed requests and
 * answers of lain-api under {@code /api/v1/}, the caller's token in LAIN's {@code access-token}
 * header. Every failure becomes a {@link ConsoleException} whose message says what to do next.
 */
public final class ConsoleClient {
  private static final ObjectMapper JSON = ApiJson.MAPPER;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final Optional<String> token;
  private final String phase;
  private final HttpClient http;

  /**
   * @param console the console's URL, e.g. {@code http://127.0.0.1:9000}
   * @param phase the phase name, used in messages ("run lain login PHASE")
   */
  public ConsoleClient(String console, Optional<String> token, String phase) {
    String trimmed = console.endsWith("/") ? console.substring(0, console.length() - 1) : console;
    this.base = URI.create(trimmed + "/api/v1/");
    this.token = token;
    this.phase = phase;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public URI base() {
    return base;
  }

  // ---- the console API, typed as the server answers it ----------------------------------

  /** The caller ({@code GET auth/me}). */
  public Accounts.Me me() {
    return send("GET", "auth/me", null, Replies.MeReply.class).user();
  }

  /** The app's registration, if it has one. */
  public Optional<Accounts.RepoView> repo(String app) {
    return ifFound(() -> send("GET", repoPath(app), null, Replies.RepoReply.class).repo());
  }

  public Accounts.RepoView reposit(String app) {
    return send("POST", "repos/", new Requests.Reposit(app), Replies.RepoReply.class).repo();
  }

  /** meta_versions in the registry, newest first. */
  public List<String> versions(String app) {
    return send("GET", repoPath(app) + "versions/", null, Replies.VersionsReply.class).tags();
  }

  public AppView app(String app) {
    return send("GET", appPath(app), null, Replies.AppReply.class).app();
  }

  /** The app as deployed, if it is. */
  public Optional<AppView> deployed(String app) {
    return ifFound(() -> app(app));
  }

  /** The first deploy, of {@code version} or the newest. */
  public AppView deploy(String app, Optional<String> version) {
    return send("POST", "apps/", new Requests.Deploy(app, version), Replies.AppReply.class).app();
  }

  /** An upgrade to {@code version} or the newest. */
  public AppView upgrade(String app, Optional<String> version) {
    return send("PUT", appPath(app), new Requests.ChangeVersion(version), Replies.AppReply.class)
        .app();
  }

  /** Back to {@code version}, or to the version before the current one. */
  public AppView rollback(String app, Optional<String> version) {
    return send(
            "POST",
            appPath(app) + "rollback/",
            new Requests.ChangeVersion(version),
            Replies.AppReply.class)
        .app();
  }

  public String undeploy(String app) {
    return send("DELETE", appPath(app), null, Replies.MessageReply.class).msg();
  }

  public ProcView proc(String app, String proc) {
    return send("GET", procPath(app, proc), null, Replies.ProcReply.class).proc();
  }

  /** Instances, memory and cpu of a proc, as one change. */
  public ProcView scale(String app, String proc, Requests.Scale scale) {
    return send("PATCH", procPath(app, proc), scale, Replies.ProcReply.class).proc();
  }

  /** Newest first. */
  public List<HistoryEntry> history(String app) {
    return send("GET", appPath(app) + "history/", null, Replies.HistoryReply.class).history();
  }

  /** The output of instance {@code instance} of a proc, streamed. */
  public InputStream logs(String app, String proc, int instance, boolean follow, int tail) {
    return stream(
        procPath(app, proc) + "instances/" + instance + "/logs?follow=" + follow + "&tail=" + tail);
  }

  private static String appPath(String app) {
    return "apps/" + segment(app) + "/";
  }

  private static String repoPath(String app) {
    return "repos/" + segment(app) + "/";
  }

  private static String procPath(String app, String proc) {
    return appPath(app) + "procs/" + segment(proc) + "/";
  }

  /** What {@code read} answers, or empty on a 404. */
  private static <T> Optional<T> ifFound(Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (ConsoleException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A streamed text answer (logs): the caller reads and closes it. */
  private InputStream stream(String path) {
    HttpRequest request = request("GET", path, null).build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsoleException(0, "interrupted", "interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(64 * 1024);
      } catch (IOException e) {
        body = new byte[0];
      }
      throw failure(response.statusCode(), new String(body, StandardCharsets.UTF_8));
    }
    return response.body();
  }

  /** A path segment, encoded. */
  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private <T> T send(String method, String path, Object body, Class<T> reply) {
    HttpRequest request = request(method, path, body).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsoleException(0, "interrupted", "interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw failure(response.statusCode(), response.body());
    }
    try {
      return JSON.readValue(response.body(), reply);
    } catch (IOException e) {
      throw new ConsoleException(
          response.statusCode(),
          "bad_answer",
          "the console at " + base + " answered something that is not JSON: is it a LAIN console?");
    }
  }

  private HttpRequest.Builder request(String method, String path, Object body) {
    HttpRequest.BodyPublisher publisher;
    try {
      publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request as JSON", e);
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .method(method, publisher);
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    token.ifPresent(t -> builder.header("access-token", t));
    return builder;
  }

  private ConsoleException unreachable(IOException e) {
    String why =
        e instanceof ConnectException || e instanceof HttpConnectTimeoutException
            ? "cannot connect"
            : e instanceof HttpTimeoutException ? "no answer in time" : e.toString();
    return new ConsoleException(
        0,
        "unreachable",
        "the console of phase "
            + phase
            + " at "
            + base
            + " is unreachable ("
            + why
            + "): is the cluster up, and is the phase's console right (lain config show)?");
  }

  private ConsoleException failure(int status, String body) {
    String code = "http_" + status;
    String message = body.strip();
    try {
      ErrorCode.Body error = JSON.readValue(body, ErrorCode.Body.class);
      if (error != null && error.message() != null) {
        message = error.message();
        code = error.code() == null ? code : error.code();
      }
    } catch (IOException e) {
      // Not JSON: keep the text itself.
    }
    if (message.length() > 500) {
      message = message.substring(0, 500) + "...";
    }
    String hint =
        switch (status) {
          case 401 ->
              token.isEmpty()
                  ? " (not logged in: run lain login " + phase + ")"
                  : " (the saved token was refused: run lain login " + phase + " again)";
          case 403 -> " (ask an admin of the app or of the cluster for the right role)";
          default -> "";
        };
    return new ConsoleException(status, code, message + hint);
  }
}
