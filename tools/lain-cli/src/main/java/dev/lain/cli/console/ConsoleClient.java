package dev.lain.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import java.util.Optional;

/**
 * The console API (served by the master) as the {@code lain} CLI sees it: JSON in and out under
 * {@code /api/v1/}, the caller's token in LAIN's {@code access-token} header. Every failure becomes
 * a {@link ConsoleException} whose message says what to do next.
 */
public final class ConsoleClient {
  private static final ObjectMapper JSON = new ObjectMapper();
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

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  public JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  public JsonNode patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** A streamed text answer (logs): the caller reads and closes it. */
  public InputStream stream(String path) {
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
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, Object body) {
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
    if (response.body().isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(response.body());
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
      JsonNode error = JSON.readTree(body);
      if (error != null && error.hasNonNull("message")) {
        message = error.get("message").asText();
        code = error.path("code").asText(code);
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
