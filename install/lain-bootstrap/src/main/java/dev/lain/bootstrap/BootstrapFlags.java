package dev.lain.bootstrap;

import dev.lain.model.DnsNames;
import dev.lain.model.Ipv4;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.config.ConfigValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The raw command line. Every value is taken as text and checked afterwards, so that all problems
 * are reported together instead of picocli's first conversion error.
 */
@Command(
    name = "bootstrap",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Makes this machine the first node of a LAIN cluster (as root).",
      "Cluster mode (the default) keeps the state in etcd; --single-node uses the embedded store.",
      "Checks the machine first and changes nothing when a check fails."
    })
final class BootstrapFlags {
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern REPOSITORY_PART = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*");
  private static final Pattern DEVICE =
      Pattern.compile("/dev/[A-Za-z0-9._+:-]+(/[A-Za-z0-9._+:-]+)*");

  @Option(
      names = {"-r", "--registry-bootstrap"},
      paramLabel = "REGISTRY",
      description =
          "registry/namespace to pull the cluster's own images from,"
              + " e.g. registry.aliyuncs.com/laincloud")
  String registryBootstrap;

  @Option(
      names = {"-m", "--registry-mirror"},
      paramLabel = "URL",
      description =
          "Docker registry mirror given to dockerd and kept in /lain/config/registry_mirror")
  String registryMirror;

  @Option(
      names = "--docker-device",
      paramLabel = "DEV",
      description = "a dedicated disk for Docker (LVM + xfs + overlay2), e.g. /dev/vdb (>= 10 GB)")
  String dockerDevice;

  @Option(
      names = {"-n", "--node-name"},
      paramLabel = "NAME",
      description = "this node's name (default: the host name)")
  String nodeName;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "this node's IP (default: 127.0.0.1 with --single-node, else the address of the"
              + " default route's interface)")
  String nodeIp;

  @Option(
      names = "--node-network",
      paramLabel = "CIDR",
      description =
          "the nodes' network, e.g. 192.168.77.0/24 (default: the node IP's interface"
              + " network)")
  String nodeNetwork;

  @Option(
      names = "--domain",
      paramLabel = "DOMAIN",
      description = "the cluster domain (default: ${DEFAULT-VALUE})",
      defaultValue = Options.DEFAULT_DOMAIN)
  String domain;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "the webrouter's internal HTTP port (default: ${DEFAULT-VALUE})",
      defaultValue = "80")
  String httpPort;

  @Option(
      names = "--https-port",
      paramLabel = "PORT",
      description = "the webrouter's internal HTTPS port (default: ${DEFAULT-VALUE})",
      defaultValue = "443")
  String httpsPort;

  @Option(
      names = "--single-node",
      description = "one machine with the embedded store instead of etcd (no lainctl node add)")
  boolean singleNode;

  @Option(names = "--dry-run", description = "check the machine, print the plan, change nothing")
  boolean dryRun;

  @Option(
      names = "--no-systemd",
      description = "supervise the daemons with pid files in /run/lain instead of systemd units")
  boolean noSystemd;

  @Option(
      names = "--force",
      description =
          "accept a --docker-device that has a filesystem, partition table or LVM"
              + " signature (it is wiped)")
  boolean force;

  @Option(
      names = "--storage-only",
      description =
          "only this node's Docker (packages, daemon.json, dockerd; with --docker-device its"
              + " disk too): what lainctl node add runs on a new node")
  boolean storageOnly;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      hidden = true,
      description = "read the machine's files under DIR (tests)",
      defaultValue = "/")
  String root;

  @Option(
      names = "--laind",
      paramLabel = "PATH",
      description = "the laind launcher the daemons run (default: ${DEFAULT-VALUE})",
      defaultValue = Options.DEFAULT_LAIND)
  String laind;

  @Option(
      names = "--container-network",
      paramLabel = "CIDR",
      description =
          "the pool instances' addresses come from, a /24 of it per node (default: the stored"
              + " one, else 172.20.0.0/16); it must not overlap the node network or Docker's bridge."
              + " With --storage-only: the cluster's pool, checked against this machine's networks")
  String containerNetwork;

  @Option(
      names = "--ipip",
      description =
          "tunnel container traffic between nodes so that only node addresses are on the wire"
              + " (a cloud VPC that drops foreign source addresses, e.g. Aliyun); nodes must let"
              + " UDP 4789 through from each other")
  boolean ipip;

  @Option(names = "--vip", hidden = true, paramLabel = "IP")
  String vip;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help")
  boolean help;

  static Options.Parsed parse(String... args) {
    BootstrapFlags flags = new BootstrapFlags();
    CommandLine commandLine = new CommandLine(flags);
    commandLine.setUnmatchedArgumentsAllowed(true);
    commandLine.setOverwrittenOptionsAllowed(false);
    CommandLine.ParseResult result;
    try {
      result = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      return new Options.Parsed.Invalid(List.of(e.getMessage()));
    }
    if (result.isUsageHelpRequested()) {
      StringWriter usage = new StringWriter();
      commandLine.usage(new PrintWriter(usage));
      return new Options.Parsed.HelpRequested(usage.toString());
    }
    List<String> problems = new ArrayList<>();
    for (String unmatched : result.unmatched()) {
      problems.add(
          unmatched.startsWith("-")
              ? "unknown option " + unmatched + " (see --help)"
              : "unexpected argument '" + unmatched + "': bootstrap takes options only");
    }
    return flags.check(problems);
  }

  private Options.Parsed check(List<String> problems) {
    if (vip != null) {
      problems.add(
          "--vip '"
              + vip
              + "' is not supported yet: put a load balancer in front of the webrouter nodes");
    }
    Mode mode = singleNode ? Mode.SINGLE_NODE : Mode.CLUSTER;

    Optional<String> bootstrapRegistry =
        given(registryBootstrap).flatMap(r -> registry(r, problems));
    Optional<String> mirror =
        given(registryMirror)
            .flatMap(m -> config("-m/--registry-mirror", ConfigKey.REGISTRY_MIRROR, m, problems));
    Optional<String> device = given(dockerDevice).flatMap(d -> device(d, problems));
    Optional<String> name = given(nodeName).flatMap(n -> nodeName(n, problems));
    Optional<String> ip = given(nodeIp).flatMap(i -> nodeIp(i, mode, problems));
    Optional<String> network =
        given(nodeNetwork)
            .flatMap(n -> config("--node-network", ConfigKey.NODE_NETWORK, n, problems));
    Optional<Cidr> pool = given(containerNetwork).flatMap(c -> containerNetwork(c, problems));
    if (storageOnly && ipip) {
      problems.add(
          "--ipip is the cluster's, set on its first node (lainctl network ipip on|off):"
              + " --storage-only sets up a node's Docker only");
    }
    Optional<String> checkedDomain = config("--domain", ConfigKey.DOMAIN, domain, problems);
    Optional<Integer> http = port("--http-port", httpPort, problems);
    Optional<Integer> https = port("--https-port", httpsPort, problems);
    if (http.isPresent() && https.isPresent() && http.get().equals(https.get())) {
      problems.add("--http-port and --https-port are both " + http.get() + ": they must differ");
    }
    if (ip.isPresent() && network.isPresent() && !Ipv4.contains(network.get(), ip.get())) {
      problems.add(
          "--node-ip '" + ip.get() + "' is not inside --node-network '" + network.get() + "'");
    }
    if (force && dockerDevice == null) {
      problems.add("--force only applies to --docker-device, which is not given");
    }
    if (storageOnly && singleNode) {
      problems.add(
          "--storage-only and --single-node cannot be combined: --storage-only sets up a cluster"
              + " node's Docker, --single-node installs a whole cluster on one machine");
    }
    Optional<Path> rootDir = root(root, problems);
    if (!laind.startsWith("/") || laind.contains(" ")) {
      problems.add("--laind: '" + laind + "' must be an absolute path without spaces");
    }
    if (!problems.isEmpty()) {
      return new Options.Parsed.Invalid(problems);
    }
    return new Options.Parsed.Valid(
        new Options(
            mode,
            bootstrapRegistry,
            mirror,
            device,
            name,
            ip,
            network,
            pool,
            ipip,
            checkedDomain.orElseThrow(),
            http.orElseThrow(),
            https.orElseThrow(),
            dryRun,
            noSystemd,
            force,
            storageOnly,
            rootDir.orElseThrow(),
            laind));
  }

  private static Optional<Cidr> containerNetwork(String raw, List<String> problems) {
    String flag = "--container-network '" + raw + "': ";
    Cidr cidr;
    switch (Cidr.read(raw)) {
      case Cidr.Read.Ok ok -> cidr = ok.cidr();
      case Cidr.Read.Bad bad -> {
        problems.add(flag + bad.problem());
        return Optional.empty();
      }
    }
    if (AddressPool.check(cidr, AddressPool.DEFAULT_BLOCK_PREFIX, List.of())
        instanceof AddressPool.Checked.Bad(List<String> bad)) {
      bad.forEach(p -> problems.add(flag + p));
      return Optional.empty();
    }
    return Optional.of(cidr);
  }

  /** Absent flags are null; an empty value given on purpose is a value to reject. */
  private static Optional<String> given(String raw) {
    return Optional.ofNullable(raw);
  }

  private static Optional<String> config(
      String flag, ConfigKey key, String raw, List<String> problems) {
    if (raw.isBlank()) {
      problems.add(flag + ": the value is empty");
      return Optional.empty();
    }
    ConfigValue value = key.parse(raw);
    return switch (value) {
      case ConfigValue.Accepted accepted -> Optional.of(accepted.canonical());
      case ConfigValue.Rejected rejected -> {
        rejected.problems().forEach(p -> problems.add(flag + ": " + p));
        yield Optional.empty();
      }
    };
  }

  private static Optional<String> registry(String raw, List<String> problems) {
    String flag = "-r/--registry-bootstrap: '" + raw + "' ";
    if (raw.contains("://")) {
      problems.add(
          flag
              + "must be a registry host and namespace without a scheme,"
              + " e.g. registry.aliyuncs.com/laincloud");
      return Optional.empty();
    }
    String trimmed = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    String[] parts = trimmed.split("/", -1);
    String host = parts[0];
    int colon = host.lastIndexOf(':');
    String hostName = colon < 0 ? host : host.substring(0, colon);
    if (hostName.isEmpty() || !DnsNames.isValid(hostName)) {
      problems.add(
          flag + "does not start with a valid registry host name, e.g. docker.io/laincloud");
      return Optional.empty();
    }
    if (colon >= 0 && port(host.substring(colon + 1)).isEmpty()) {
      problems.add(flag + "has a bad port '" + host.substring(colon + 1) + "' (1-65535)");
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      if (!REPOSITORY_PART.matcher(parts[i]).matches()) {
        problems.add(
            flag
                + "has a bad namespace part '"
                + parts[i]
                + "' (lower-case letters and digits, separated by '.', '_' or '-')");
        return Optional.empty();
      }
    }
    return Optional.of(trimmed);
  }

  private static Optional<String> device(String raw, List<String> problems) {
    String flag = "--docker-device: '" + raw + "' ";
    if (!raw.startsWith("/dev/")) {
      problems.add(flag + "must be a device path under /dev, e.g. /dev/vdb");
      return Optional.empty();
    }
    if (raw.contains("/../") || raw.endsWith("/..") || raw.contains("/./") || raw.contains("//")) {
      problems.add(flag + "must be a plain device path under /dev (no '..', '.' or '//')");
      return Optional.empty();
    }
    if (!DEVICE.matcher(raw).matches()) {
      problems.add(flag + "is not a device path: expected /dev/NAME, e.g. /dev/vdb");
      return Optional.empty();
    }
    return Optional.of(raw);
  }

  private static Optional<String> nodeName(String raw, List<String> problems) {
    if (!NODE_NAME.matcher(raw).matches()) {
      problems.add(
          "-n/--node-name: '"
              + raw
              + "' must be one lower-case DNS label (letters, digits and inner '-', at most 63),"
              + " e.g. node1");
      return Optional.empty();
    }
    return Optional.of(raw);
  }

  private static Optional<String> nodeIp(String raw, Mode mode, List<String> problems) {
    Optional<String> problem = Ipv4.problem(raw);
    if (problem.isPresent()) {
      problems.add("--node-ip: " + problem.get());
      return Optional.empty();
    }
    long value = Ipv4.toLong(raw);
    if (value == 0 || value == 0xFFFFFFFFL) {
      problems.add("--node-ip: '" + raw + "' is not a host address");
      return Optional.empty();
    }
    if (value >>> 28 == 0xE) {
      problems.add("--node-ip: '" + raw + "' is a multicast address, not a host address");
      return Optional.empty();
    }
    if (mode == Mode.CLUSTER && Ipv4.isLoopback(raw)) {
      problems.add(
          "--node-ip: '"
              + raw
              + "' is a loopback address, which other nodes cannot reach; give this machine's"
              + " network address, or use --single-node");
      return Optional.empty();
    }
    return Optional.of(raw);
  }

  private static Optional<Integer> port(String flag, String raw, List<String> problems) {
    Optional<Integer> port = port(raw);
    if (port.isEmpty()) {
      problems.add(flag + ": '" + raw + "' must be a port number from 1 to 65535");
    }
    return port;
  }

  private static Optional<Integer> port(String raw) {
    if (!raw.matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    int value = Integer.parseInt(raw);
    return value >= 1 && value <= 65535 ? Optional.of(value) : Optional.empty();
  }

  private static Optional<Path> root(String raw, List<String> problems) {
    try {
      Path path = Path.of(raw);
      if (!path.isAbsolute()) {
        problems.add("--root: '" + raw + "' must be an absolute directory");
        return Optional.empty();
      }
      return Optional.of(path.normalize());
    } catch (InvalidPathException e) {
      problems.add("--root: '" + raw + "' is not a path");
      return Optional.empty();
    }
  }
}
