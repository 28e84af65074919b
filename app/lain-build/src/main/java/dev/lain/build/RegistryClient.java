package dev.lain.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads a Docker distribution registry (HTTP API v2, no authentication yet): the tags of a
 * repository, the app versions pushed to it, the lain.yaml inside a meta image. Every failure is a
 * {@link BuildException} with a registry code ({@code REGISTRY_UNREACHABLE}, {@code
 * REPOSITORY_UNKNOWN}, {@code TAG_UNKNOWN}, {@code REGISTRY_UNAUTHORIZED}, {@code REGISTRY_ERROR},
 * {@code NOT_A_META_IMAGE}). Thread-safe.
 */
public final class RegistryClient {
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String ACCEPT =
      String.join(", ", DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX);

  /** A meta image is one small layer; anything far larger is not one. */
  private static final int MAX_BLOB_BYTES = 64 << 20;

  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param endpoint {@code http://host:port}, the registry's root (without {@code /v2/})
   */
  public RegistryClient(URI endpoint, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    String text = endpoint.toString();
    this.endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  /**
   * The registry Docker knows as {@code host[:port]} ({@code registry.lain.local}, {@code
   * 127.0.0.1:5000}), over plain HTTP as LAIN's registry serves; 10 s per request.
   */
  public static RegistryClient forRegistry(String hostPort) {
    Objects.requireNonNull(hostPort, "hostPort");
    if (!hostPort.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
      throw new IllegalArgumentException("not a registry host[:port]: '" + hostPort + "'");
    }
    return new RegistryClient(URI.create("http://" + hostPort), Duration.ofSeconds(10));
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Checks that the registry answers the v2 API.
   *
   * @throws BuildException {@code REGISTRY_UNREACHABLE} or {@code REGISTRY_ERROR}
   */
  public void ping() {
    HttpResponse<byte[]> response = send(get("/v2/"), "the registry");
    if (response.statusCode() != 200) {
      throw unexpected(response, "the registry");
    }
  }

  /**
   * Every tag of {@code repository} (an app name), in the registry's order.
   *
   * @throws BuildException {@code REPOSITORY_UNKNOWN} if nothing was ever pushed to it
   */
  public List<String> tags(String repository) {
    checkRepository(repository);
    List<String> tags = new ArrayList<>();
    String path = "/v2/" + repository + "/tags/list";
    while (path != null) {
      HttpResponse<byte[]> response = send(get(path), "repository " + repository);
      if (response.statusCode() == 404) {
        throw new BuildException(
            BuildException.Code.REPOSITORY_UNKNOWN,
            "registry " + endpoint + " has no repository " + repository + " (nothing pushed yet)");
      }
      if (response.statusCode() != 200) {
        throw unexpected(response, "repository " + repository);
      }
      JsonNode list = parse(response, "the tag list of " + repository);
      for (JsonNode tag : list.path("tags")) {
        tags.add(tag.asText());
      }
      path = nextPage(response);
    }
    return tags;
  }

  /** Whether {@code repository:tag} exists (false also when the repository does not). */
  public boolean hasTag(String repository, String tag) {
    checkRepository(repository);
    HttpRequest head =
        request("/v2/" + repository + "/manifests/" + tag)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header("Accept", ACCEPT)
            .build();
    HttpResponse<byte[]> response = send(head, repository + ":" + tag);
    return switch (response.statusCode()) {
      case 200 -> true;
      case 404 -> false;
      default -> throw unexpected(response, repository + ":" + tag);
    };
  }

  /**
   * The versions of {@code app} that can be deployed: those with both a {@code meta-<v>} and a
   * {@code release-<v>} tag, newest commit first ({@code lain appversion}).
   *
   * @throws BuildException {@code REPOSITORY_UNKNOWN} if the app was never pushed
   */
  public List<MetaVersion> metaVersions(String app) {
    List<String> tags = tags(app);
    Set<String> releases = new HashSet<>();
    for (String tag : tags) {
      if (tag.startsWith("release-")) {
        releases.add(tag.substring("release-".length()));
      }
    }
    Set<MetaVersion> versions = new HashSet<>();
    for (String tag : tags) {
      if (tag.startsWith("meta-")) {
        String version = tag.substring("meta-".length());
        if (releases.contains(version)) {
          MetaVersion.tryParse(version).ifPresent(versions::add);
        }
      }
    }
    return versions.stream().sorted(Comparator.reverseOrder()).toList();
  }

  /**
   * The text of {@code /lain.yaml} in {@code <app>:meta-<version>}, exactly as it was built.
   *
   * @throws BuildException {@code REPOSITORY_UNKNOWN}, {@code TAG_UNKNOWN} if that version was not
   *     pushed, {@code NOT_A_META_IMAGE} if the image holds no /lain.yaml
   */
  public String lainYaml(String app, MetaVersion version) {
    ImageRef image = BuildPlan.image(app, Phase.META, version);
    JsonNode manifest = manifest(app, image.tag());
    List<JsonNode> layers = new ArrayList<>();
    manifest.path("layers").forEach(layers::add);
    // The last layer that has the file wins, as in the image's file system.
    for (int i = layers.size() - 1; i >= 0; i--) {
      JsonNode layer = layers.get(i);
      String digest = layer.path("digest").asText();
      byte[] blob = blob(app, digest, layer.path("size").asLong(-1));
      Optional<byte[]> file = findInLayer(blob, "lain.yaml", app + ":" + image.tag());
      if (file.isPresent()) {
        return new String(file.get(), StandardCharsets.UTF_8);
      }
    }
    throw new BuildException(
        BuildException.Code.NOT_A_META_IMAGE,
        app + ":" + image.tag() + " in " + endpoint + " holds no /lain.yaml: not a meta image");
  }

  // ---- internals --------------------------------------------------------------------------------

  /** The image manifest of {@code repository:reference}; an index resolves to linux/amd64. */
  private JsonNode manifest(String repository, String reference) {
    String what = repository + ":" + reference;
    HttpResponse<byte[]> response =
        send(
            request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", ACCEPT)
                .GET()
                .build(),
            what);
    if (response.statusCode() == 404) {
      throw notFound(response, repository, reference);
    }
    if (response.statusCode() != 200) {
      throw unexpected(response, what);
    }
    JsonNode manifest = parse(response, "the manifest of " + what);
    String mediaType =
        manifest.path("mediaType").asText(response.headers().firstValue("Content-Type").orElse(""));
    if (mediaType.startsWith(DOCKER_MANIFEST_LIST) || mediaType.startsWith(OCI_INDEX)) {
      JsonNode chosen = null;
      for (JsonNode entry : manifest.path("manifests")) {
        JsonNode platform = entry.path("platform");
        if (chosen == null
            || (platform.path("os").asText().equals("linux")
                && platform.path("architecture").asText().equals("amd64"))) {
          chosen = entry;
        }
      }
      if (chosen == null) {
        throw new BuildException(
            BuildException.Code.REGISTRY_ERROR, what + " in " + endpoint + " is an empty index");
      }
      return manifest(repository, chosen.path("digest").asText());
    }
    if (manifest.path("schemaVersion").asInt() != 2 || !manifest.has("layers")) {
      throw new BuildException(
          BuildException.Code.REGISTRY_ERROR,
          what + " in " + endpoint + " has a manifest of unsupported type '" + mediaType + "'");
    }
    return manifest;
  }

  private byte[] blob(String repository, String digest, long size) {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new BuildException(
          BuildException.Code.REGISTRY_ERROR, "unsupported layer digest '" + digest + "'");
    }
    if (size > MAX_BLOB_BYTES) {
      throw new BuildException(
          BuildException.Code.NOT_A_META_IMAGE,
          repository + " layer " + digest + " has " + size + " bytes: too large for a meta image");
    }
    String what = repository + " layer " + digest;
    HttpResponse<byte[]> response = send(get("/v2/" + repository + "/blobs/" + digest), what);
    if (response.statusCode() != 200) {
      throw unexpected(response, what);
    }
    byte[] content = response.body();
    String actual = "sha256:" + sha256(content);
    if (!actual.equals(digest)) {
      throw new BuildException(
          BuildException.Code.REGISTRY_ERROR, what + " arrived with digest " + actual);
    }
    return content;
  }

  /** The file {@code name} (at the root) in a layer, gzip-compressed or not. */
  static Optional<byte[]> findInLayer(byte[] blob, String name, String what) {
    try {
      InputStream in = new ByteArrayInputStream(blob);
      if (blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b) {
        in = new GZIPInputStream(in);
      }
      try (TarReader tar = new TarReader(in)) {
        for (Optional<TarEntry> entry = tar.next(); entry.isPresent(); entry = tar.next()) {
          String path = entry.get().name();
          while (path.startsWith("./") || path.startsWith("/")) {
            path = path.substring(path.startsWith("./") ? 2 : 1);
          }
          if (path.equals(name) && entry.get().isFile()) {
            return Optional.of(tar.content().readAllBytes());
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.NOT_A_META_IMAGE,
          "a layer of " + what + " is not a (gzip) tar archive: " + e.getMessage(),
          e);
    }
  }

  private HttpRequest get(String path) {
    return request(path).GET().build();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout);
  }

  private HttpResponse<byte[]> send(HttpRequest request, String what) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 401) {
        throw new BuildException(
            BuildException.Code.REGISTRY_UNAUTHORIZED,
            "registry "
                + endpoint
                + " asks for credentials to read "
                + what
                + "; authentication is not supported yet");
      }
      return response;
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new BuildException(
          BuildException.Code.REGISTRY_UNREACHABLE,
          "registry " + endpoint + " is unreachable (" + describe(e) + ")",
          e);
    } catch (HttpTimeoutException e) {
      throw new BuildException(
          BuildException.Code.REGISTRY_UNREACHABLE,
          "registry " + endpoint + " did not answer within " + timeout.toSeconds() + " s",
          e);
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.REGISTRY_UNREACHABLE,
          "registry " + endpoint + " is unreachable (" + describe(e) + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(
          BuildException.Code.REGISTRY_UNREACHABLE, "interrupted while reading " + what, e);
    }
  }

  private String nextPage(HttpResponse<byte[]> response) {
    Optional<String> link = response.headers().firstValue("Link");
    if (link.isEmpty()) {
      return null;
    }
    Matcher m = NEXT_LINK.matcher(link.get());
    if (!m.find()) {
      return null;
    }
    String next = m.group(1);
    // Registries give a path; an absolute URL must stay on this registry.
    if (next.startsWith("http://") || next.startsWith("https://")) {
      URI uri = URI.create(next);
      next = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
    return next;
  }

  private BuildException notFound(HttpResponse<byte[]> response, String repository, String tag) {
    if (errorCodes(response).contains("NAME_UNKNOWN")) {
      return new BuildException(
          BuildException.Code.REPOSITORY_UNKNOWN,
          "registry " + endpoint + " has no repository " + repository + " (nothing pushed yet)");
    }
    // Registry 2.8 answers MANIFEST_UNKNOWN for unknown repositories too: ask the tag list.
    try {
      tags(repository);
    } catch (BuildException e) {
      if (e.code() == BuildException.Code.REPOSITORY_UNKNOWN) {
        return e;
      }
    }
    return new BuildException(
        BuildException.Code.TAG_UNKNOWN,
        "registry " + endpoint + " has no " + repository + ":" + tag + " (not pushed?)");
  }

  private BuildException unexpected(HttpResponse<byte[]> response, String what) {
    String body = new String(response.body(), StandardCharsets.UTF_8).strip();
    return new BuildException(
        BuildException.Code.REGISTRY_ERROR,
        "registry "
            + endpoint
            + " answered "
            + response.statusCode()
            + " for "
            + what
            + (body.isEmpty() ? "" : ": " + abbreviate(body)));
  }

  private static Set<String> errorCodes(HttpResponse<byte[]> response) {
    Set<String> codes = new HashSet<>();
    try {
      for (JsonNode error : JSON.readTree(response.body()).path("errors")) {
        codes.add(error.path("code").asText());
      }
    } catch (IOException e) {
      // Not the registry's JSON error body: no codes.
    }
    return codes;
  }

  private JsonNode parse(HttpResponse<byte[]> response, String what) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.REGISTRY_ERROR,
          "registry " + endpoint + " sent unreadable JSON for " + what,
          e);
    }
  }

  private static void checkRepository(String repository) {
    try {
      new ImageRef(repository, "latest");
    } catch (IllegalArgumentException e) {
      throw new BuildException(BuildException.Code.INVALID_REQUEST, e.getMessage(), e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
