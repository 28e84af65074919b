package dev.lain.daemon;

import picocli.CommandLine.Option;

/** Where a master serves the console API, and the registry it deploys from. */
final class ConsoleOptions {
  @Option(
      names = "--console",
      paramLabel = "HOST:PORT",
      description = "Where the console API (lain CLI) listens (default ${DEFAULT-VALUE}).")
  String console = "127.0.0.1:9000";

  @Option(
      names = "--registry",
      paramLabel = "HOST:PORT",
      description =
          "The cluster registry: the console reads apps' versions there, and nodes pull release"
              + " images by this name, so every node must reach it (default ${DEFAULT-VALUE}).")
  String registry = "127.0.0.1:5000";

  String host() {
    return HostPort.host(console, "--console");
  }

  int port() {
    return HostPort.port(console, "--console");
  }
}
