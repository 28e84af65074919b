package dev.lain.router.render;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real nginx on rendered configs, for the tests that want it. They skip (with the reason)
 * where nginx or openssl is missing; the router's integration tests cover real nginx in CI.
 */
final class NginxSupport {
  static final Path NGINX = Path.of("/usr/sbin/nginx");

  /** The output and exit code of a finished command. */
  record Result(int exitCode, String output) {}

  private NginxSupport() {}

  static void assumeNginxAndOpenssl() {
    assumeTrue(
        Files.isExecutable(NGINX),
        "nginx is not installed at "
            + NGINX
            + " (apt-get install nginx): skipping the real-nginx check");
    assumeTrue(
        openssl() != null, "openssl is not installed: cannot make test certificates, skipping");
  }

  static Path openssl() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, "openssl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The same settings with the certificate directory and access log inside {@code prefix}. */
  static RouterSettings inPrefix(RouterSettings settings, Path prefix) {
    return new RouterSettings(
        settings.internalHttp(),
        settings.internalHttps(),
        settings.externalHttp(),
        settings.externalHttps(),
        prefix.resolve("ssl").toString(),
        prefix.resolve("access.log").toString(),
        settings.tuning());
  }

  /**
   * Writes {@code nginx.conf}, {@code routes.conf} and a self-signed certificate for every name in
   * {@code rendered.certificatesUsed()} into {@code prefix}; returns the main config's path.
   */
  static Path prepare(Path prefix, RouterSettings settings, RenderedConfig rendered)
      throws IOException, InterruptedException {
    Path ssl = prefix.resolve("ssl");
    Files.createDirectories(ssl);
    Files.createDirectories(prefix.resolve("tmp"));
    if (!rendered.certificatesUsed().isEmpty()) {
      Path key = prefix.resolve("test.key");
      Path crt = prefix.resolve("test.crt");
      if (!Files.exists(crt)) {
        Result made =
            run(
                List.of(
                    openssl().toString(),
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=lain-router-render-test",
                    "-keyout",
                    key.toString(),
                    "-out",
                    crt.toString()));
        if (made.exitCode() != 0) {
          throw new IOException("openssl failed: " + made.output());
        }
      }
      for (String name : rendered.certificatesUsed()) {
        Files.copy(crt, ssl.resolve(name + ".crt"));
        Files.copy(key, ssl.resolve(name + ".key"));
      }
    }
    Path routes = prefix.resolve("routes.conf");
    Files.writeString(routes, rendered.httpConf(), StandardCharsets.UTF_8);
    Path main = prefix.resolve("nginx.conf");
    Files.writeString(
        main,
        NginxRenderer.mainConfig(
            settings,
            prefix.resolve("nginx.pid").toString(),
            prefix.resolve("error.log").toString(),
            routes.toString(),
            prefix.resolve("tmp").toString()),
        StandardCharsets.UTF_8);
    return main;
  }

  /** The nginx command line for a config in {@code prefix}, with extra arguments. */
  static List<String> nginx(Path prefix, Path main, String... extra) {
    List<String> command = new ArrayList<>();
    command.add(NGINX.toString());
    command.add("-p");
    command.add(prefix + "/");
    command.add("-c");
    command.add(main.toString());
    command.add("-e");
    command.add(prefix.resolve("error.log").toString());
    command.addAll(List.of(extra));
    return command;
  }

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    return new Result(process.exitValue(), output);
  }
}
