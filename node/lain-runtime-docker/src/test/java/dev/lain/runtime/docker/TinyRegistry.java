package dev.lain.runtime.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * A read-only Docker registry (API v2) on 127.0.0.1 serving one single-layer image, enough for
 * dockerd to pull from: Docker treats registries on 127.0.0.0/8 as insecure-allowed, so plain HTTP
 * does. Serves {@code GET}/{@code HEAD} of {@code /v2/}, manifests and blobs.
 */
final class TinyRegistry implements AutoCloseable {
  private static final String MANIFEST_TYPE =
      "application/vnd.docker.distribution.manifest.v2+json";
  private static final int TLS_HANDSHAKE = 0x16;

  private final ServerSocket server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();

  private TinyRegistry(ServerSocket server) {
    this.server = server;
  }

  static TinyRegistry start() {
    try {
      ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      TinyRegistry registry = new TinyRegistry(server);
      Thread.ofVirtual().name("tiny-registry").start(registry::acceptUntilClosed);
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a registry on 127.0.0.1", e);
    }
  }

  /** {@code 127.0.0.1:<port>}, the registry part of image references. */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /**
   * Serves {@code rootFileSystem} (a tar) as image {@code repository:tag} with {@code cmd}; returns
   * the full reference {@code 127.0.0.1:<port>/repository:tag}.
   */
  String publish(String repository, String tag, byte[] rootFileSystem, String... cmd) {
    byte[] layer = gzip(rootFileSystem);
    String layerDigest = digest(layer);
    blobs.put(layerDigest, layer);
    StringBuilder cmdJson = new StringBuilder();
    for (String word : cmd) {
      cmdJson.append(cmdJson.isEmpty() ? "" : ",").append('"').append(word).append('"');
    }
    byte[] config =
        ("{\"architecture\":\""
                + architecture()
                + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":["
                + cmdJson
                + "]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + digest(rootFileSystem)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = digest(config);
    blobs.put(configDigest, config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST_TYPE
                + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                + "\"size\":"
                + config.length
                + ",\"digest\":\""
                + configDigest
                + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":"
                + layer.length
                + ",\"digest\":\""
                + layerDigest
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    manifests.put(repository + ":" + tag, manifest);
    manifests.put(repository + ":" + digest(manifest), manifest);
    return address() + "/" + repository + ":" + tag;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing a listening socket only stops accepting.
    }
  }

  private void acceptUntilClosed() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return; // Closed.
      }
    }
  }

  /**
   * One request per connection. Docker tries HTTPS first even on loopback; a TLS hello is answered
   * by hanging up, so it falls back to HTTP at once instead of after its 10 s handshake timeout.
   */
  private void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      socket.setSoTimeout(10_000);
      in.mark(1);
      if (in.read() == TLS_HANDSHAKE) {
        return;
      }
      in.reset();
      String requestLine = readLine(in);
      while (!readLine(in).isEmpty()) {
        // Headers do not matter here.
      }
      String[] parts = requestLine.split(" ");
      if (parts.length < 2) {
        return;
      }
      respond(parts[0].equals("HEAD"), URI.create(parts[1]).getPath(), out);
    } catch (IOException e) {
      // The client went away; it will retry or fail on its side.
    }
  }

  private void respond(boolean head, String path, OutputStream out) throws IOException {
    if (path.equals("/v2/")) {
      send(out, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), "", head);
      return;
    }
    int manifestsAt = path.indexOf("/manifests/");
    int blobsAt = path.indexOf("/blobs/");
    if (manifestsAt > 0) {
      String repository = path.substring("/v2/".length(), manifestsAt);
      String reference = path.substring(manifestsAt + "/manifests/".length());
      byte[] manifest = manifests.get(repository + ":" + reference);
      if (manifest != null) {
        send(out, 200, MANIFEST_TYPE, manifest, digest(manifest), head);
        return;
      }
      error(out, "MANIFEST_UNKNOWN", "manifest unknown", head);
    } else if (blobsAt > 0) {
      byte[] blob = blobs.get(path.substring(blobsAt + "/blobs/".length()));
      if (blob != null) {
        send(out, 200, "application/octet-stream", blob, digest(blob), head);
        return;
      }
      error(out, "BLOB_UNKNOWN", "blob unknown to registry", head);
    } else {
      error(out, "UNSUPPORTED", "not served by this test registry", head);
    }
  }

  private static void error(OutputStream out, String code, String message, boolean head)
      throws IOException {
    byte[] body =
        ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    send(out, 404, "application/json", body, "", head);
  }

  private static void send(
      OutputStream out, int status, String contentType, byte[] body, String digest, boolean head)
      throws IOException {
    StringBuilder response =
        new StringBuilder()
            .append("HTTP/1.1 ")
            .append(status)
            .append(status == 200 ? " OK" : " Not Found")
            .append("\r\nDocker-Distribution-API-Version: registry/2.0")
            .append("\r\nContent-Type: ")
            .append(contentType)
            .append("\r\nContent-Length: ")
            .append(body.length)
            .append("\r\nConnection: close");
    if (!digest.isEmpty()) {
      response.append("\r\nDocker-Content-Digest: ").append(digest);
    }
    response.append("\r\n\r\n");
    out.write(response.toString().getBytes(StandardCharsets.US_ASCII));
    if (!head) {
      out.write(body);
    }
    out.flush();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String digest(byte[] data) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
