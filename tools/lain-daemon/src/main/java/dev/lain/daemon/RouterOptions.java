package dev.lain.daemon;

import dev.lain.router.NginxDriver;
import dev.lain.router.Router;
import dev.lain.router.render.Listen;
import dev.lain.router.render.RouterSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a webrouter ({@code laind router}, {@code laind all --router}). */
final class RouterOptions {
  @Option(names = "--router-name", description = "This router's name (default: the host name).")
  String name;

  @Option(names = "--nginx", description = "The nginx binary (default ${DEFAULT-VALUE}).")
  Path nginx = Path.of("/usr/sbin/nginx");

  @Option(
      names = "--router-dir",
      description = "nginx's configuration, logs and certificates (default ${DEFAULT-VALUE}).")
  Path dir = Path.of("/var/lib/lain/router");

  @Option(
      names = "--internal-http",
      paramLabel = "ADDRESS:PORT",
      description = "Internal entrance, HTTP (default ${DEFAULT-VALUE}).")
  String internalHttp = "0.0.0.0:80";

  @Option(
      names = "--internal-https",
      paramLabel = "ADDRESS:PORT",
      description = "Internal entrance, HTTPS (default ${DEFAULT-VALUE}).")
  String internalHttps = "0.0.0.0:443";

  @Option(
      names = "--external-http",
      paramLabel = "ADDRESS:PORT",
      description = "External entrance, HTTP (default ${DEFAULT-VALUE}).")
  String externalHttp = "0.0.0.0:8080";

  @Option(
      names = "--external-https",
      paramLabel = "ADDRESS:PORT",
      description = "External entrance, HTTPS (default ${DEFAULT-VALUE}).")
  String externalHttps = "0.0.0.0:8443";

  @Option(
      names = "--control",
      paramLabel = "127.0.0.1:PORT",
      description = "Where nginx tells the router what it serves (default ${DEFAULT-VALUE}).")
  String control = "127.0.0.1:9081";

  Router.Config config() {
    return Router.Config.defaults(name != null ? name : hostName());
  }

  NginxDriver driver() {
    RouterSettings production =
        RouterSettings.production(
            dir.resolve("live/certs").toString(), dir.resolve("logs/access.log").toString());
    RouterSettings settings =
        new RouterSettings(
            listen(internalHttp, "--internal-http"),
            listen(internalHttps, "--internal-https"),
            listen(externalHttp, "--external-http"),
            listen(externalHttps, "--external-https"),
            production.certificateDir(),
            production.accessLog(),
            production.tuning());
    return new NginxDriver(nginx, dir, settings, control);
  }

  private static Listen listen(String text, String option) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(option + " must be ADDRESS:PORT, not '" + text + "'");
    }
    try {
      return new Listen(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " has no port number: '" + text + "'");
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot tell this host's name: pass --router-name");
    }
  }
}
