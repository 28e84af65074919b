package dev.lain.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lain.dockerdisk.DaemonJson;
import dev.lain.dockerdisk.DaemonSettings;
import dev.lain.dockerdisk.StorageException;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.console.ConsoleKeys;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.network.ContainerNetworks;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The install as a list of steps: a pure function of the options and the machine. Each step says
 * what it changes, and a step whose result is already there says so and is skipped, so a second run
 * changes nothing and never wipes what runs or what is stored.
 *
 * <pre>
 * packages -> docker-storage -> docker-config -> docker -> debian-services -> supervision
 *   -> store (etcd | embedded) -> registry -> base-image -> cluster-config -> container-network
 *   -> certificates -> daemons -> admin-token
 * </pre>
 *
 * <p>With {@code --storage-only} the plan stops after {@code docker}.
 */
public record Plan(Options options, NodeIdentity node, Supervision supervision, List<Step> steps) {
  static final List<String> BASE_PACKAGES =
      List.of("docker.io", "nginx", "busybox-static", "git", "curl", "ca-certificates");

  /** The webrouter's certificate for the cluster domains, as LAIN named it. */
  static final String WEB_CERTIFICATE = "web";

  /** What a node of a cluster needs for its Docker ({@code --storage-only}). */
  static final List<String> NODE_DOCKER_PACKAGES = List.of("docker.io", "curl", "ca-certificates");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  public Plan {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(supervision, "supervision");
    steps = List.copyOf(steps);
  }

  /**
   * The plan for these options on this machine.
   *
   * @throws IllegalArgumentException if the node's identity cannot be chosen (preflight reports it
   *     as a failed check first)
   */
  public static Plan of(Options options, Facts facts) {
    NodeIdentity node =
        switch (NodeIdentity.resolve(options, facts)) {
          case NodeIdentity.Resolution.Resolved r -> r.identity();
          case NodeIdentity.Resolution.Unresolved u ->
              throw new IllegalArgumentException(String.join("; ", u.problems()));
        };
    return new Builder(options, facts, node).build();
  }

  /** The packages bootstrap wants on the machine for these options. */
  public static List<String> packages(Options options) {
    List<String> wanted =
        new ArrayList<>(options.storageOnly() ? NODE_DOCKER_PACKAGES : BASE_PACKAGES);
    if (options.storageOnly()) {
      // A node of an existing cluster: none of the cluster's own services.
    } else if (options.registryBootstrap().isEmpty()) {
      wanted.add(2, "docker-registry");
    }
    if (options.mode() == Mode.CLUSTER && !options.storageOnly()) {
      wanted.add("etcd-server");
      wanted.add("etcd-client");
    }
    if (options.dockerDevice().isPresent()) {
      wanted.add("lvm2");
      wanted.add("xfsprogs");
    }
    return List.copyOf(wanted);
  }

  public String storeUrl() {
    return options.storeUrl(node.ip());
  }

  /**
   * Where the cluster's registry is reached, as image names carry it: on a single node its
   * loopback; in a cluster the first node's IP, which every node's daemon.json trusts (the node
   * network is an insecure registry range there).
   */
  public String registryAddress() {
    return registryAddress(options, node);
  }

  static String registryAddress(Options options, NodeIdentity node) {
    return (options.mode() == Mode.SINGLE_NODE ? "127.0.0.1" : node.ip())
        + ":"
        + Layout.REGISTRY_PORT;
  }

  /** The steps still to do. */
  public List<Step> toDo() {
    return steps.stream().filter(Step::toDo).toList();
  }

  private static final class Builder {
    private final Options options;
    private final Facts facts;
    private final Facts.Installed installed;
    private final NodeIdentity node;
    private final Supervision supervision;
    private final String store;
    private final List<Step> steps = new ArrayList<>();
    private List<String> installing = List.of();

    Builder(Options options, Facts facts, NodeIdentity node) {
      this.options = options;
      this.facts = facts;
      this.installed = facts.installed();
      this.node = node;
      this.supervision =
          options.noSystemd() || !facts.systemd() ? Supervision.PID_FILES : Supervision.SYSTEMD;
      this.store = options.storeUrl(node.ip());
    }

    Plan build() {
      packagesStep();
      boolean storageChanges = dockerStorage();
      boolean configChanges = dockerConfig();
      docker(storageChanges || configChanges);
      if (options.storageOnly()) {
        // A node of an existing cluster: the cluster's services and store are not this run's.
        return new Plan(options, node, supervision, steps);
      }
      debianServices();
      List<Service> services = services();
      List<String> changedUnits = supervise(services);
      storeStep(services, changedUnits);
      registry(services, changedUnits);
      baseImage();
      clusterConfig();
      containerNetwork();
      certificates();
      daemons(services, changedUnits);
      adminToken();
      return new Plan(options, node, supervision, steps);
    }

    private void add(String id, String description, Action action, Changes changes, Step.Status s) {
      steps.add(new Step(id, description, action, changes, s));
    }

    private void packagesStep() {
      List<String> missing =
          Plan.packages(options).stream().filter(p -> !installed.packages().contains(p)).toList();
      installing = missing;
      add(
          "packages",
          options.storageOnly()
              ? "install the Debian packages a node's Docker needs (apt-get, no recommends)"
              : "install the Debian packages bootstrap needs (apt-get, no recommends)",
          new Action.InstallPackages(missing),
          Changes.NONE.withPackages(missing),
          missing.isEmpty()
              ? Step.done("all installed: " + String.join(" ", Plan.packages(options)))
              : Step.TO_DO);
    }

    private boolean dockerStorage() {
      if (options.dockerDevice().isEmpty()) {
        return false;
      }
      String device = options.dockerDevice().get();
      // Preflight refuses a device the probe did not find; a plan is still shown for it.
      Facts.Device found =
          facts.device().filter(d -> d.path().equals(device)).orElse(Facts.Device.missing(device));
      boolean lvm = found.deviceMapper();
      Step.Status status =
          installed.dockerStoragePrepared(found)
              ? Step.done(Layout.DOCKER_DATA + " is mounted from " + found.preparedSource())
              : Step.TO_DO;
      add(
          "docker-storage",
          "give "
              + device
              + " to Docker: "
              + (lvm
                  ? "LVM volume " + Layout.DOCKER_VG + "/" + Layout.DOCKER_LV + ", xfs"
                  : "xfs on the whole device (no device-mapper in this kernel)")
              + ", mounted on "
              + Layout.DOCKER_DATA
              + " for overlay2"
              + (options.force()
                  ? " (existing signatures wiped: --force)"
                  : "; a pristine "
                      + Layout.DOCKER_DATA
                      + " (no containers, no images) is moved aside to "
                      + Layout.DOCKER_DATA
                      + Layout.MOVED_ASIDE
                      + "<time>, never deleted"),
          new Action.PrepareDockerStorage(
              device,
              Layout.DOCKER_VG,
              Layout.DOCKER_LV,
              "xfs",
              Layout.DOCKER_DATA,
              lvm,
              options.force()),
          Changes.NONE
              .withDevices(
                  List.of(
                      device
                          + (lvm
                              ? ": LVM physical volume, volume group "
                                  + Layout.DOCKER_VG
                                  + ", logical volume "
                                  + Layout.DOCKER_LV
                                  + " (all of it), xfs"
                              : ": xfs")))
              .withFiles(List.of(Layout.FSTAB, Layout.DOCKER_DATA)),
          status);
      return status instanceof Step.Status.ToDo;
    }

    private boolean dockerConfig() {
      boolean wanted =
          options.mode() == Mode.CLUSTER
              || options.registryMirror().isPresent()
              || options.dockerDevice().isPresent();
      if (!wanted) {
        return false;
      }
      Optional<String> existing = installed.file(Layout.DAEMON_JSON);
      ObjectNode current = existing.flatMap(Plan::parseObject).orElseGet(JSON::createObjectNode);
      ObjectNode merged = current.deepCopy();
      ArrayNode insecure = JSON.createArrayNode().add("registry." + options.domain());
      options.registryMirror().flatMap(Plan::httpHost).ifPresent(insecure::add);
      insecureNetwork(options, node).ifPresent(insecure::add);
      merged.set("insecure-registries", insecure);
      merged.set("labels", JSON.createArrayNode().add("group=default"));
      options
          .registryMirror()
          .ifPresent(m -> merged.set("registry-mirrors", JSON.createArrayNode().add(m)));
      if (options.dockerDevice().isPresent()) {
        merged.put("storage-driver", "overlay2");
      }
      String content = render(merged);
      boolean same = existing.isPresent() && merged.equals(current);
      if (options.dockerDevice().isPresent()) {
        // On the prepared disk lain-docker-disk's merge decides (overlay2, data-root, no dm.*
        // options),
        // so that the executor writes exactly what this plan shows and a re-run finds it in place.
        content = deviceDaemonJson(options, node, existing.orElse(""));
        same = existing.isPresent() && existing.get().equals(content);
      }
      List<String> keys = new ArrayList<>();
      parseObject(content).orElseThrow().fieldNames().forEachRemaining(keys::add);
      add(
          "docker-config",
          "write "
              + Layout.DAEMON_JSON
              + " ("
              + String.join(", ", keys)
              + (existing.isPresent() ? "; other keys kept" : "")
              + ")",
          new Action.WriteFile(Layout.DAEMON_JSON, content),
          Changes.NONE.withFiles(List.of(Layout.DAEMON_JSON)),
          same ? Step.done(Layout.DAEMON_JSON + " already says so") : Step.TO_DO);
      return !same;
    }

    private void docker(boolean configChanged) {
      String service = supervision == Supervision.SYSTEMD ? "docker" : "lain-dockerd";
      if (installed.dockerRunning() && !configChanged) {
        add(
            "docker",
            "start dockerd",
            new Action.StartDocker(false, supervision),
            Changes.NONE,
            Step.done("dockerd runs"));
        return;
      }
      boolean restart = installed.dockerRunning();
      add(
          "docker",
          restart
              ? "restart dockerd to apply its new configuration (containers stop and start again)"
              : "start dockerd"
                  + (supervision == Supervision.SYSTEMD
                      ? " (systemd unit docker, enabled)"
                      : " (pid file " + Layout.pidFile(service) + ")"),
          new Action.StartDocker(restart, supervision),
          Changes.NONE
              .withServices(List.of(service))
              .withFiles(
                  supervision == Supervision.SYSTEMD
                      ? List.of()
                      : List.of(Layout.pidFile(service), Layout.logFile(service))),
          Step.TO_DO);
    }

    private void debianServices() {
      // Debian starts a service when its package is installed, so one installed by this run is
      // stopped too: nginx would hold the webrouter's port 80, etcd the cluster's 2379.
      Map<String, String> packageOf = new LinkedHashMap<>();
      packageOf.put("nginx", "nginx");
      packageOf.put("docker-registry", "docker-registry");
      if (options.mode() == Mode.CLUSTER) {
        packageOf.put("etcd", "etcd-server");
      }
      List<String> stop =
          packageOf.entrySet().stream()
              .filter(e -> installed.runs(e.getKey()) || installing.contains(e.getValue()))
              .map(Map.Entry::getKey)
              .toList();
      add(
          "debian-services",
          "stop Debian's own "
              + (options.mode() == Mode.CLUSTER
                  ? "nginx, docker-registry and etcd services (the webrouter, the cluster registry"
                      + " and lain-etcd use their ports)"
                  : "nginx and docker-registry services (the webrouter and the cluster registry"
                      + " use their ports)"),
          new Action.StopServices(stop),
          Changes.NONE.withServices(stop),
          stop.isEmpty() ? Step.done("none runs") : Step.TO_DO);
    }

    private List<Service> services() {
      List<Service> services = new ArrayList<>();
      if (options.mode() == Mode.CLUSTER) {
        services.add(EtcdMember.forNode(node.name(), node.ip()).service());
      }
      services.add(
          new Service(
              "lain-registry",
              options
                  .registryBootstrap()
                  .map(
                      r ->
                          List.of(
                              "/usr/bin/docker",
                              "run",
                              "--rm",
                              "--name",
                              "lain-registry",
                              "-p",
                              Layout.REGISTRY_PORT + ":" + Layout.REGISTRY_PORT,
                              "-v",
                              Layout.REGISTRY_DATA + ":" + Layout.REGISTRY_DATA,
                              "-v",
                              Layout.REGISTRY_CONFIG + ":" + Layout.REGISTRY_CONFIG + ":ro",
                              r + "/registry:2",
                              "serve",
                              Layout.REGISTRY_CONFIG))
                  .orElse(List.of("/usr/bin/docker-registry", "serve", Layout.REGISTRY_CONFIG)),
              Optional.of("http://127.0.0.1:" + Layout.REGISTRY_PORT + "/v2/")));
      String registry = registryAddress(options, node);
      String console = "0.0.0.0:" + Layout.CONSOLE_PORT;
      Optional<String> consoleHealth =
          Optional.of("http://127.0.0.1:" + Layout.CONSOLE_PORT + "/api/v1/");
      if (options.mode() == Mode.SINGLE_NODE) {
        services.add(
            new Service(
                "lain-node",
                List.of(
                    options.laind(),
                    "all",
                    "--store",
                    store,
                    "--node-ip",
                    node.ip(),
                    "--console",
                    console,
                    "--registry",
                    registry),
                consoleHealth));
      } else {
        services.add(
            new Service(
                "lain-master",
                List.of(
                    options.laind(),
                    "master",
                    "--store",
                    store,
                    "--console",
                    console,
                    "--registry",
                    registry),
                consoleHealth));
        services.add(
            new Service(
                "lain-agent",
                List.of(
                    options.laind(),
                    "agent",
                    "--store",
                    store,
                    "--node-ip",
                    node.ip(),
                    "--node-name",
                    node.name())));
      }
      services.add(
          new Service(
              "lain-router",
              List.of(
                  options.laind(),
                  "router",
                  "--store",
                  store,
                  "--internal-http",
                  "0.0.0.0:" + options.httpPort(),
                  "--internal-https",
                  "0.0.0.0:" + options.httpsPort())));
      return services;
    }

    /** Returns the services whose unit changes (a running one is restarted later). */
    private List<String> supervise(List<Service> services) {
      List<String> names = services.stream().map(Service::name).toList();
      if (supervision == Supervision.PID_FILES) {
        List<String> files = new ArrayList<>();
        for (String name : names) {
          files.add(Layout.pidFile(name));
          files.add(Layout.logFile(name));
        }
        add(
            "supervision",
            "supervise "
                + String.join(", ", names)
                + " with pid files in "
                + Layout.RUN
                + " and logs in "
                + Layout.LOGS
                + (options.noSystemd() ? " (--no-systemd)" : " (no systemd here)"),
            new Action.Supervise(supervision, services),
            Changes.NONE.withFiles(files),
            names.stream().allMatch(installed::runs)
                ? Step.done("every service runs behind its pid file")
                : Step.TO_DO);
        return List.of();
      }
      List<String> changed =
          services.stream()
              .filter(s -> !installed.file(Layout.unit(s.name())).equals(Optional.of(s.unit())))
              .map(Service::name)
              .toList();
      add(
          "supervision",
          "write the systemd units " + String.join(", ", names) + " (enabled, restart always)",
          new Action.Supervise(supervision, services),
          Changes.NONE.withFiles(changed.stream().map(Layout::unit).toList()),
          changed.isEmpty() ? Step.done("every unit is in place") : Step.TO_DO);
      return changed;
    }

    private void storeStep(List<Service> services, List<String> changedUnits) {
      Action.WriteFile storeFile =
          new Action.WriteFile(
              Layout.STORE_FILE,
              "# This node's cluster store, written by ./bootstrap: lainctl and laind use it when"
                  + " given no --store.\n"
                  + store
                  + "\n");
      boolean storeFileSame =
          installed.file(storeFile.path()).equals(Optional.of(storeFile.content()));
      if (options.mode() == Mode.SINGLE_NODE) {
        add(
            "store",
            "use the embedded store "
                + Layout.EMBEDDED_STORE
                + " (laind creates it), named in "
                + Layout.STORE_FILE,
            new Action.UseEmbeddedStore(Layout.EMBEDDED_STORE, storeFile),
            Changes.NONE.withFiles(List.of(Layout.EMBEDDED_STORE, Layout.STORE_FILE)),
            installed.store().isPresent() && storeFileSame
                ? Step.done(Layout.EMBEDDED_STORE + " exists: kept")
                : Step.TO_DO);
        return;
      }
      start(
          "store",
          "start etcd (one member, "
              + node.name()
              + ", client "
              + store
              + ", data "
              + Layout.ETCD_DATA
              + "), named in "
              + Layout.STORE_FILE,
          service(services, "lain-etcd"),
          changedUnits,
          storeFileSame ? List.of() : List.of(storeFile),
          List.of(Layout.ETCD_DATA, Layout.STORE_FILE));
    }

    private void registry(List<Service> services, List<String> changedUnits) {
      String config =
          "version: 0.1\n"
              + "log:\n"
              + "  fields:\n"
              + "    service: lain-registry\n"
              + "storage:\n"
              + "  filesystem:\n"
              + "    rootdirectory: "
              + Layout.REGISTRY_DATA
              + "\n"
              + "  delete:\n"
              + "    enabled: true\n"
              + "http:\n"
              + "  addr: :"
              + Layout.REGISTRY_PORT
              + "\n";
      boolean configSame = installed.file(Layout.REGISTRY_CONFIG).equals(Optional.of(config));
      List<String> restart = new ArrayList<>(changedUnits);
      if (!configSame) {
        restart.add("lain-registry");
      }
      start(
          "registry",
          "start the cluster registry on :"
              + Layout.REGISTRY_PORT
              + options
                  .registryBootstrap()
                  .map(r -> " from the image " + r + "/registry:2")
                  .orElse(" (Debian's docker-registry)")
              + ", data in "
              + Layout.REGISTRY_DATA,
          service(services, "lain-registry"),
          restart,
          configSame ? List.of() : List.of(new Action.WriteFile(Layout.REGISTRY_CONFIG, config)),
          configSame
              ? List.of(Layout.REGISTRY_DATA)
              : List.of(Layout.REGISTRY_CONFIG, Layout.REGISTRY_DATA));
    }

    private void start(
        String id,
        String description,
        Service service,
        List<String> changedUnits,
        List<Action.WriteFile> files,
        List<String> paths) {
      boolean runs = installed.runs(service.name());
      boolean restart = runs && changedUnits.contains(service.name());
      add(
          id,
          restart ? description + "; restart it: its configuration changed" : description,
          new Action.StartServices(
              List.of(service), restart ? List.of(service.name()) : List.of(), files),
          Changes.NONE.withServices(List.of(service.name())).withFiles(paths),
          runs && !restart && files.isEmpty() ? Step.done(service.name() + " runs") : Step.TO_DO);
    }

    private void baseImage() {
      add(
          "base-image",
          "build the base image lain/busybox:latest from Debian's busybox-static",
          new Action.BuildBaseImage("lain/busybox:latest"),
          Changes.NONE,
          installed.baseImage() ? Step.done("lain/busybox:latest is present") : Step.TO_DO);
    }

    private void clusterConfig() {
      Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
      values.put(ConfigKey.DOMAIN, options.domain());
      node.network().ifPresent(n -> values.put(ConfigKey.NODE_NETWORK, n));
      options.registryMirror().ifPresent(m -> values.put(ConfigKey.REGISTRY_MIRROR, m));
      Action.WriteClusterConfig wanted =
          new Action.WriteClusterConfig(store, values, options.registryBootstrap());
      Action.WriteClusterConfig writes =
          wanted.notIn(installed.store().orElseGet(Facts.StoreContents::empty));
      List<String> shown = new ArrayList<>();
      values.forEach((key, value) -> shown.add(key.keyName() + "=" + value));
      options.registryBootstrap().ifPresent(r -> shown.add("registry_bootstrap=" + r));
      add(
          "cluster-config",
          "write the cluster configuration: " + String.join(", ", shown),
          writes,
          Changes.NONE.withStoreKeys(writes.storeKeys()),
          writes.isEmpty() ? Step.done("the store holds these values") : Step.TO_DO);
    }

    private void containerNetwork() {
      NetworkSettings wanted = NetworkChoice.wanted(options, installed.store());
      Action.DefineContainerNetwork action =
          new Action.DefineContainerNetwork(
              store, wanted, NetworkChoice.reserved(facts, node.network()), node.name(), node.ip());
      Optional<NodeBlock> held =
          installed.store().stream()
              .flatMap(s -> s.blocks().stream())
              .filter(b -> b.node().equals(node.name()))
              .findFirst();
      add(
          "container-network",
          "the container network "
              + wanted.pool().network()
              + " (a /"
              + wanted.pool().blockPrefix()
              + " per node"
              + (wanted.ipip()
                  ? ", tunnelled between nodes: VXLAN on UDP "
                      + NetworkChoice.TUNNEL_PORT
                      + " (--ipip)"
                  : ", routed between nodes")
              + ") and "
              + node.name()
              + "'s block of it; the agent keeps its bridge, routes and firewall",
          action,
          Changes.NONE.withStoreKeys(
              List.of(ContainerNetworks.SETTINGS_KEY, ContainerNetworks.BLOCKS_PREFIX + "...")),
          installed.store().filter(action::inPlace).isPresent()
              ? Step.done(
                  "the store holds it; "
                      + node.name()
                      + " holds "
                      + held.map(b -> b.network().toString()).orElse("?"))
              : Step.TO_DO);
    }

    private void certificates() {
      if (options.mode() == Mode.SINGLE_NODE) {
        return;
      }
      Action.CreateCertificates action =
          new Action.CreateCertificates(
              store,
              WEB_CERTIFICATE,
              List.of("*." + options.domain(), "*.lain"),
              Layout.CA_CERT,
              Layout.CA_KEY);
      boolean present =
          installed.store().filter(s -> action.inPlace(s, installed::exists)).isPresent();
      add(
          "certificates",
          "create a self-signed CA and the certificate '"
              + action.name()
              + "' for "
              + String.join(" and ", action.hosts())
              + " (the webrouter's TLS, as LAIN did)",
          action,
          Changes.NONE
              .withFiles(List.of(Layout.CA_CERT, Layout.CA_KEY))
              .withStoreKeys(
                  List.of(CertificateStore.storeKey(action.name()), ConfigKey.SSL.storeKey())),
          present ? Step.done("the certificate '" + action.name() + "' is stored") : Step.TO_DO);
    }

    private void daemons(List<Service> services, List<String> changedUnits) {
      List<Service> daemons =
          services.stream()
              .filter(s -> !s.name().equals("lain-etcd") && !s.name().equals("lain-registry"))
              .toList();
      List<String> names = daemons.stream().map(Service::name).toList();
      List<String> restart =
          names.stream().filter(n -> installed.runs(n) && changedUnits.contains(n)).toList();
      boolean allRun = names.stream().allMatch(installed::runs);
      String nodeKey = DeploydKeys.node(node.name(), node.ip(), Layout.AGENT_SSH_PORT);
      add(
          "daemons",
          "start laind: "
              + String.join(", ", names)
              + " (console on :"
              + Layout.CONSOLE_PORT
              + ", webrouter on :"
              + options.httpPort()
              + "/:"
              + options.httpsPort()
              + ")"
              + (restart.isEmpty()
                  ? ""
                  : "; restart " + String.join(", ", restart) + ": unit changed"),
          new Action.StartServices(daemons, restart, List.of()),
          Changes.NONE.withServices(names).withStoreKeys(List.of(nodeKey)),
          allRun && restart.isEmpty() ? Step.done("all run") : Step.TO_DO);
    }

    private void adminToken() {
      Action.CreateAdminToken action = new Action.CreateAdminToken(store, Layout.ADMIN_CLI_CONFIG);
      boolean present =
          installed.store().filter(s -> action.inPlace(s, installed::exists)).isPresent();
      add(
          "admin-token",
          "create the cluster admin '"
              + Layout.ADMIN_USER
              + "' and log the lain CLI in (phase local)",
          action,
          Changes.NONE
              .withStoreKeys(List.of(ConsoleKeys.user(Layout.ADMIN_USER)))
              .withFiles(List.of(Layout.ADMIN_CLI_CONFIG)),
          present ? Step.done("the admin user exists") : Step.TO_DO);
    }

    private static Service service(List<Service> services, String name) {
      return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
  }

  /**
   * In a cluster, images are pulled from the registry on the first node's IP over plain HTTP: the
   * node network is an insecure registry range for dockerd.
   */
  private static Optional<String> insecureNetwork(Options options, NodeIdentity node) {
    return options.mode() == Mode.CLUSTER ? node.network() : Optional.empty();
  }

  private static String deviceDaemonJson(Options options, NodeIdentity node, String existing) {
    DaemonSettings settings =
        DaemonSettings.forCluster(
            options.domain(),
            Path.of(Layout.DOCKER_DATA),
            options.registryMirror().map(List::of).orElse(List.of()),
            insecureNetwork(options, node).map(List::of).orElse(List.of()),
            List.of());
    try {
      return DaemonJson.merge(existing, settings);
    } catch (StorageException e) {
      // A broken daemon.json is replaced: dockerd would not start with it anyway.
      return DaemonJson.merge("", settings);
    }
  }

  private static Optional<ObjectNode> parseObject(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (JsonProcessingException e) {
      // A broken daemon.json is replaced: dockerd would not start with it anyway.
      return Optional.empty();
    }
  }

  private static String render(ObjectNode node) {
    try {
      return JSON.writeValueAsString(JSON.treeToValue(node, Object.class)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render daemon.json", e);
    }
  }

  /** The host of an http:// mirror, which dockerd must be told is insecure. */
  private static Optional<String> httpHost(String url) {
    URI uri = URI.create(url);
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      return Optional.empty();
    }
    return Optional.of(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
  }
}
