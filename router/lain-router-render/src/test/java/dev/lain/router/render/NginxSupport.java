package dev.lain.router.render;

import dev.lain.testkit.RequiredServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real nginx on rendered configs, for the tests that want it. Where nginx or openssl is
 * missing they skip with the reason, or fail where {@code LAIN_REQUIRE_SERVICES} is set (CI).
 */
final class NginxSupport {
  static Path nginx;

  /** The output and exit code of a finished command. */
  record Result(int exitCode, String output) {}

  private NginxSupport() {}

  /** Skips the test where nginx or openssl is missing, or fails it where CI requires them. */
  static void assumeNginxAndOpenssl() {
    nginx = RequiredServices.require("nginx", "apt-get install nginx");
    RequiredServices.require("openssl", "apt-get install openssl");
  }

  static Path openssl() {
    return RequiredServices.require("openssl", "apt-get install openssl");
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
    command.add(nginx.toString());
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
