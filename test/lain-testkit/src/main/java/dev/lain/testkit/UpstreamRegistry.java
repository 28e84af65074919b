package dev.lain.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * A stand-in for a public registry such as {@code registry.aliyuncs.com}, where {@code ./bootstrap
 * -r} takes LAIN's own images from: Debian's docker-registry serving HTTPS under that host name
 * from an address of a {@link VpcSwitch}, with a self-signed certificate. A machine is told to
 * trust it ({@link #trustScript()}: an {@code /etc/hosts} line and Docker's {@code certs.d}), as a
 * machine is told nothing about the real one; no traffic leaves the test's namespaces.
 *
 * <p>Images are put in through a second docker-registry on loopback sharing the storage.
 */
public final class UpstreamRegistry implements AutoCloseable {
  private static final String MANIFEST_TYPE =
      "application/vnd.docker.distribution.manifest.v2+json";

  private final String hostName;
  private final String ip;
  private final String certificate;
  private final LocalRegistry intake;
  private final Process server;
  private final Path log;

  private UpstreamRegistry(
      String hostName,
      String ip,
      String certificate,
      LocalRegistry intake,
      Process server,
      Path log) {
    this.hostName = hostName;
    this.ip = ip;
    this.certificate = certificate;
    this.intake = intake;
    this.server = server;
    this.log = log;
  }

  /**
   * Serves {@code hostName} on port 443 of {@code address} (with prefix) on {@code vpc}, keeping
   * its certificate, configuration and log under {@code dir}.
   */
  public static UpstreamRegistry start(VpcSwitch vpc, String address, String hostName, Path dir) {
    Path binary = RequiredServices.require("docker-registry", LocalRegistry.INSTALL_HINT);
    RequiredServices.require("openssl", "apt-get install openssl");
    String ip = address.substring(0, address.indexOf('/'));
    LocalRegistry intake = LocalRegistry.start();
    try {
      Files.createDirectories(dir);
      Path cert = dir.resolve("registry.crt");
      Path key = dir.resolve("registry.key");
      ChildProcesses.runOrFail(
          List.of(
              "openssl",
              "req",
              "-x509",
              "-newkey",
              "rsa:2048",
              "-nodes",
              "-days",
              "2",
              "-subj",
              "/CN=" + hostName,
              "-addext",
              "subjectAltName=DNS:" + hostName,
              "-keyout",
              key.toString(),
              "-out",
              cert.toString()));
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: info
          storage:
            filesystem:
              rootdirectory: %s
          http:
            addr: %s:443
            tls:
              certificate: %s
              key: %s
          """
              .formatted(intake.directory().resolve("storage"), ip, cert, key));
      NetNamespace ns = vpc.serve(address);
      Path log = dir.resolve("registry.log");
      ProcessBuilder builder =
          new ProcessBuilder(ns.command(List.of(binary.toString(), "serve", config.toString())));
      builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      Process server = builder.start();
      UpstreamRegistry registry =
          new UpstreamRegistry(hostName, ip, Files.readString(cert), intake, server, log);
      registry.awaitListening(ns);
      return registry;
    } catch (IOException e) {
      intake.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      intake.close();
      throw e;
    }
  }

  private void awaitListening(NetNamespace ns) {
    for (int i = 0; i < 100; i++) {
      if (!server.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + ChildProcesses.logTail(log));
      }
      if (ns.trySh("ss -ltn | grep -q '" + ip + ":443 '").succeeded()) {
        return;
      }
      pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        "docker-registry does not listen on " + ip + ":443: " + ChildProcesses.logTail(log));
  }

  /**
   * Puts a one-layer image {@code repository:tag} (e.g. {@code laincloud/registry:2}) whose files
   * are {@code layer} (a tar) and whose entrypoint is {@code entrypoint}.
   */
  public void put(String repository, String tag, byte[] layer, List<String> entrypoint) {
    byte[] compressed = gzip(layer);
    String config =
        """
        {"architecture":"amd64","os":"linux","config":{"Entrypoint":[%s]},\
        "rootfs":{"type":"layers","diff_ids":["%s"]}}"""
            .formatted(
                String.join(",", entrypoint.stream().map(a -> '"' + a + '"').toList()),
                digest(layer));
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    upload(repository, configBytes);
    upload(repository, compressed);
    String manifest =
        """
        {"schemaVersion":2,"mediaType":"%s",\
        "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,\
        "digest":"%s"},"layers":[{"mediaType":\
        "application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":"%s"}]}"""
            .formatted(
                MANIFEST_TYPE,
                configBytes.length,
                digest(configBytes),
                compressed.length,
                digest(compressed));
    send(
        HttpRequest.newBuilder(intake.url().resolve("/v2/" + repository + "/manifests/" + tag))
            .header("Content-Type", MANIFEST_TYPE)
            .PUT(HttpRequest.BodyPublishers.ofString(manifest))
            .build(),
        201);
  }

  private void upload(String repository, byte[] blob) {
    HttpResponse<String> started =
        send(
            HttpRequest.newBuilder(intake.url().resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            202);
    String target =
        intake.url().resolve(started.headers().firstValue("Location").orElseThrow()).toString();
    target += (target.contains("?") ? "&" : "?") + "digest=" + digest(blob);
    send(
        HttpRequest.newBuilder(URI.create(target))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
            .build(),
        201);
  }

  private static HttpResponse<String> send(HttpRequest request, int wanted) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != wanted) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri()
                + ": "
                + response.statusCode()
                + " "
                + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a machine runs to reach this registry under its name and trust its certificate: an {@code
   * /etc/hosts} line and {@code /etc/docker/certs.d/<host>/ca.crt}.
   */
  public String trustScript() {
    return "echo '"
        + ip
        + " "
        + hostName
        + "' >> /etc/hosts && mkdir -p /etc/docker/certs.d/"
        + hostName
        + " && cat > /etc/docker/certs.d/"
        + hostName
        + "/ca.crt <<'EOF'\n"
        + certificate
        + "EOF\n";
  }

  /** How many requests for {@code path} (e.g. a manifest) the registry answered so far. */
  public long requestsFor(String path) {
    try {
      Matcher m = Pattern.compile(Pattern.quote(path)).matcher(Files.readString(log));
      long count = 0;
      while (m.find()) {
        count++;
      }
      return count;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A program of this machine and the shared libraries it loads, as the files of an image. */
  public static byte[] programImage(Path program, String pathInImage) {
    TarArchive tar = new TarArchive();
    String ldd = ChildProcesses.runOrFail(List.of("ldd", program.toString()));
    Matcher library = Pattern.compile("(/\\S+\\.so[.0-9]*)").matcher(ldd);
    Set<String> directories = new TreeSet<>();
    Map<String, byte[]> files = new TreeMap<>();
    try {
      while (library.find()) {
        Path path = Path.of(library.group(1));
        files.put(path.toString().substring(1), Files.readAllBytes(path.toRealPath()));
      }
      files.put(pathInImage.substring(1), Files.readAllBytes(program.toRealPath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String file : files.keySet()) {
      for (Path parent = Path.of(file).getParent(); parent != null; parent = parent.getParent()) {
        directories.add(parent.toString());
      }
    }
    directories.add("tmp");
    directories.forEach(d -> tar.directory(d, d.equals("tmp") ? 01777 : 0755));
    files.forEach((file, content) -> tar.file(file, 0755, content));
    return tar.toBytes();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
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
      throw new IllegalStateException(e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(server, Duration.ofSeconds(5));
    intake.close();
  }
}
