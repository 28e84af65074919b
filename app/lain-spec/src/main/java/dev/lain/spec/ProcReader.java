package dev.lain.spec;

import dev.lain.model.AppNames;
import dev.lain.model.deploy.Limits;
import dev.lain.model.web.DeclaredMountpoint;
import dev.lain.model.web.Mountpoints;
import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the proc keys of lain.yaml into {@link ProcSpec}s, applying LAIN's defaults. */
final class ProcReader {
  static final List<String> FIELDS =
      List.of(
          "type",
          "image",
          "entrypoint",
          "cmd",
          "user",
          "workdir",
          "working_dir",
          "port",
          "ports",
          "num_instances",
          "cpu",
          "memory",
          "env",
          "volumes",
          "persistent_dirs",
          "cloud_volumes",
          "logs",
          "mountpoint",
          "https_only",
          "healthcheck",
          "container_healthcheck",
          "labels",
          "filters",
          "secret_files",
          "secret_files_bypass",
          "stateful",
          "setup_time",
          "kill_timeout",
          "dns_search",
          "service_name",
          "allow_clients");
  private static final List<String> SERVICE_FIELDS = with(FIELDS, "portal");
  private static final Set<String> WEB_ONLY_FIELDS =
      Set.of("mountpoint", "https_only", "healthcheck");
  private static final Set<String> PORTAL_ONLY_FIELDS = Set.of("service_name", "allow_clients");
  private static final String PORTAL_PREFIX = "portal-";

  /** How a proc is written; decides its type and name. */
  enum Form {
    /** {@code web}, {@code worker}, {@code oneshot}: the name is the type. */
    BARE,
    /** {@code web.<name>}, {@code worker.<name>}, {@code oneshot.<name>}. */
    TYPED,
    /** {@code proc.<name>}: type from {@code type:}, default worker. */
    PROC,
    /** {@code portal.<name>}. */
    PORTAL,
    /** {@code service.<name>}: a worker plus its portal. */
    SERVICE
  }

  /** A top-level key that names a proc. */
  record ProcKey(String written, Form form, ProcType type, String name) {
    private static final Pattern DOTTED =
        Pattern.compile("^(web|worker|oneshot|proc|portal|service)\\.(.*)$", Pattern.DOTALL);

    static Optional<ProcKey> parse(String key) {
      Optional<ProcType> bare = ProcType.fromWord(key);
      if (bare.isPresent() && bare.get() != ProcType.PORTAL) {
        return Optional.of(new ProcKey(key, Form.BARE, bare.get(), key));
      }
      Matcher m = DOTTED.matcher(key);
      if (!m.matches()) {
        return Optional.empty();
      }
      String name = m.group(2);
      return Optional.of(
          switch (m.group(1)) {
            case "proc" -> new ProcKey(key, Form.PROC, ProcType.WORKER, name);
            case "portal" -> new ProcKey(key, Form.PORTAL, ProcType.PORTAL, name);
            case "service" -> new ProcKey(key, Form.SERVICE, ProcType.WORKER, name);
            default ->
                new ProcKey(key, Form.TYPED, ProcType.fromWord(m.group(1)).orElseThrow(), name);
          });
    }
  }

  /** A proc key with its body, as found at the top level. */
  record KeyedBody(ProcKey key, YNode.Scalar keyNode, YNode body) {}

  private final String appdomain;
  private final Diagnostics d;
  private final PortFields ports;
  private final VolumeFields paths;
  private final ContainerFields container;
  private final Map<String, String> nameOwners = new HashMap<>();
  private final List<ProcSpec> procs = new ArrayList<>();

  private ProcReader(String appdomain, Diagnostics d) {
    this.appdomain = appdomain;
    this.d = d;
    this.ports = new PortFields(d);
    this.paths = new VolumeFields(d);
    this.container = new ContainerFields(d);
  }

  static List<ProcSpec> readAll(List<KeyedBody> entries, String appdomain, Diagnostics d) {
    ProcReader reader = new ProcReader(appdomain, d);
    for (KeyedBody entry : entries) {
      reader.read(entry);
    }
    return List.copyOf(reader.procs);
  }

  private void read(KeyedBody entry) {
    ProcKey key = entry.key();
    FieldPath path = FieldPath.proc(key.written());
    YNode.Scalar keyNode = entry.keyNode();
    boolean nameOk =
        claimName(key.name(), key, path, keyNode)
            && (key.form() != Form.SERVICE
                || claimName(PORTAL_PREFIX + key.name(), key, path, keyNode));
    Optional<MapReader> body =
        Read.mapping(entry.body(), path, keyNode.at(), d, "a mapping of proc fields");
    if (body.isEmpty()) {
      return;
    }
    MapReader fields = body.get();
    fields.rejectUnknownKeys(SERVICE_FIELDS);
    if (key.form() != Form.SERVICE) {
      fields
          .keyNode("portal")
          .ifPresent(
              at ->
                  d.violation(
                      fields.path("portal"),
                      at,
                      "a nested portal belongs to service.<name> procs only; write a separate"
                          + " portal.<name> proc, or use service."
                          + key.name()));
    }
    ProcType type = type(fields, key);
    int before = d.violationCount();
    ProcSpec.Builder proc = proc(fields, type, key.name(), key, keyNode, Optional.empty());
    boolean procOk = d.violationCount() == before;
    if (nameOk && procOk) {
      procs.add(proc.build());
    }
    if (key.form() == Form.SERVICE) {
      int beforePortal = d.violationCount();
      Optional<ProcSpec.Builder> portal = servicePortal(fields, key, keyNode, proc.port);
      if (nameOk && d.violationCount() == beforePortal) {
        portal.ifPresent(p -> procs.add(p.build()));
      }
    }
  }

  /** Proc names are unique across all key forms ({@code web} and {@code proc.web} clash). */
  private boolean claimName(String name, ProcKey key, FieldPath path, YNode.Scalar keyNode) {
    Optional<String> problem = AppNames.procNameProblem(name);
    if (problem.isPresent()) {
      d.violation(path, keyNode, "proc name " + Describe.quote(name) + " " + problem.get());
      return false;
    }
    String owner = key.written() + " (line " + keyNode.at().line() + ")";
    String earlier = nameOwners.putIfAbsent(name, owner);
    if (earlier != null) {
      d.violation(
          path,
          keyNode,
          "proc name "
              + Describe.quote(name)
              + " is already used by "
              + earlier
              + "; proc names must be unique across all proc keys");
      return false;
    }
    return true;
  }

  private ProcType type(MapReader fields, ProcKey key) {
    Optional<YNode> node = fields.value("type");
    if (node.isEmpty()) {
      return key.type();
    }
    FieldPath path = fields.path("type");
    Optional<ProcType> given =
        Read.text(node.get(), path, d, "web, worker, oneshot or portal")
            .flatMap(
                word -> {
                  Optional<ProcType> type = ProcType.fromWord(word);
                  if (type.isEmpty()) {
                    d.violation(
                        path,
                        node.get(),
                        Describe.quote(word) + " must be one of web, worker, oneshot, portal");
                  }
                  return type;
                });
    if (given.isEmpty()) {
      return key.type();
    }
    if (key.form() != Form.PROC && given.get() != key.type()) {
      d.violation(
          path,
          node.get(),
          Describe.quote(given.get().word())
              + " contradicts the key "
              + Describe.quote(key.written())
              + ", which makes a "
              + key.type().word()
              + " proc; only proc.<name> takes its type from type:");
      return key.type();
    }
    return given.get();
  }

  private Optional<ProcSpec.Builder> servicePortal(
      MapReader service, ProcKey key, YNode.Scalar keyNode, Optional<Port> servicePort) {
    FieldPath path = service.path("portal");
    Position owner = service.keyNode("portal").map(YNode::at).orElse(keyNode.at());
    YNode body = service.value("portal").orElse(new YNode.Scalar("", YNode.Kind.NULL, true, owner));
    Optional<MapReader> read = Read.mapping(body, path, owner, d, "a mapping of portal fields");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    MapReader portal = read.get();
    portal.rejectUnknownKeys(FIELDS);
    portal
        .keyNode("service_name")
        .ifPresent(
            at ->
                d.violation(
                    portal.path("service_name"),
                    at,
                    "the portal of "
                        + key.written()
                        + " always has service_name "
                        + Describe.quote(key.name())
                        + "; remove it"));
    Optional<YNode> typeNode = portal.value("type");
    if (typeNode.isPresent()
        && !(typeNode.get() instanceof YNode.Scalar s && s.text().equals("portal"))) {
      d.violation(
          portal.path("type"),
          typeNode.get(),
          "must be portal (or be left out), got " + Describe.node(typeNode.get()));
    }
    return Optional.of(
        proc(
            portal,
            ProcType.PORTAL,
            PORTAL_PREFIX + key.name(),
            key,
            keyNode,
            Optional.of(new ServiceContext(key.name(), servicePort))));
  }

  /** What a service shorthand's portal inherits from its service. */
  private record ServiceContext(String serviceName, Optional<Port> servicePort) {}

  /**
   * Reads the fields of one proc into a draft. Callers build the record only when reading added no
   * violation: after a violation the draft may hold placeholders the record would rightly refuse.
   */
  private ProcSpec.Builder proc(
      MapReader f,
      ProcType type,
      String name,
      ProcKey key,
      YNode.Scalar keyNode,
      Optional<ServiceContext> service) {
    ProcSpec.Builder p = new ProcSpec.Builder(type, name, key.written(), appdomain);

    f.value("image")
        .flatMap(n -> Read.text(n, f.path("image"), d, "an image name"))
        .ifPresent(image -> p.image = Optional.of(image));
    f.value("entrypoint").ifPresent(n -> p.entrypoint = container.command(n, f.path("entrypoint")));
    f.value("cmd").ifPresent(n -> p.cmd = container.command(n, f.path("cmd")));
    f.value("user")
        .flatMap(n -> Read.text(n, f.path("user"), d, "a user name"))
        .ifPresent(user -> p.user = user);
    container.workdir(f).ifPresent(w -> p.workdir = w);
    f.value("port")
        .flatMap(n -> ports.port(n, f.path("port")))
        .ifPresent(port -> p.port = Optional.of(port));
    if (p.port.isEmpty()) {
      p.port =
          type == ProcType.WEB
              ? Optional.of(Port.HTTP)
              : service.flatMap(ServiceContext::servicePort);
    }
    f.value("ports").ifPresent(n -> p.ports = ports.streamPorts(n, f.path("ports")));
    f.value("num_instances")
        .flatMap(n -> Read.integerWhere(n, f.path("num_instances"), d, Limits::instancesProblem))
        .ifPresent(v -> p.numInstances = v);
    f.value("cpu")
        .flatMap(n -> Read.integerWhere(n, f.path("cpu"), d, Limits::cpuProblem))
        .ifPresent(v -> p.cpu = v);
    f.value("memory")
        .flatMap(n -> container.memory(n, f.path("memory")))
        .ifPresent(m -> p.memory = m);
    f.value("env").ifPresent(n -> p.env = KeyValues.read(n, f.path("env"), d, "variable"));
    paths.volumes(f).ifPresent(v -> p.volumes = v);
    f.value("cloud_volumes")
        .flatMap(n -> paths.cloudVolumes(n, f, f.path("cloud_volumes")))
        .ifPresent(c -> p.cloudVolumes = Optional.of(c));
    f.value("logs").ifPresent(n -> p.logs = paths.logs(n, f.path("logs")));

    if (type == ProcType.WEB) {
      f.value("mountpoint")
          .ifPresent(n -> p.mountpoints = mountpoints(n, f.path("mountpoint"), name));
      f.value("https_only")
          .flatMap(n -> Read.bool(n, f.path("https_only"), d))
          .ifPresent(v -> p.httpsOnly = v);
      f.value("healthcheck")
          .flatMap(n -> healthcheck(n, f.path("healthcheck")))
          .ifPresent(v -> p.healthcheck = v);
      boolean declaresMountpoints =
          f.value("mountpoint")
              .filter(n -> !(n instanceof YNode.Sequence list && list.items().isEmpty()))
              .isPresent();
      if (!name.equals("web") && !declaresMountpoints) {
        d.violation(
            FieldPath.proc(key.written()),
            keyNode,
            "mountpoint required for a web proc not named web");
      }
    } else {
      warnIgnored(f, WEB_ONLY_FIELDS, "only web procs use it");
    }

    f.value("container_healthcheck")
        .flatMap(n -> container.containerHealthcheck(n, f, f.path("container_healthcheck")))
        .ifPresent(c -> p.containerHealthcheck = Optional.of(c));
    f.value("labels").ifPresent(n -> p.labels = container.labels(n, f.path("labels")));
    f.value("filters").ifPresent(n -> p.filters = container.filters(n, f.path("filters")));
    f.value("secret_files")
        .ifPresent(n -> p.secretFiles = paths.secretFiles(n, f.path("secret_files")));
    f.value("secret_files_bypass")
        .flatMap(n -> Read.bool(n, f.path("secret_files_bypass"), d))
        .ifPresent(v -> p.secretFilesBypass = v);
    f.value("stateful")
        .flatMap(n -> Read.bool(n, f.path("stateful"), d))
        .ifPresent(v -> p.stateful = v);
    f.value("setup_time")
        .flatMap(
            n -> container.clamped(n, f.path("setup_time"), 0, ProcSpec.MAX_SETUP_TIME, "seconds"))
        .ifPresent(v -> p.setupTime = v);
    f.value("kill_timeout")
        .flatMap(
            n ->
                container.clamped(
                    n,
                    f.path("kill_timeout"),
                    ProcSpec.MIN_KILL_TIMEOUT,
                    ProcSpec.MAX_KILL_TIMEOUT,
                    "seconds"))
        .ifPresent(v -> p.killTimeout = v);
    f.value("dns_search")
        .ifPresent(n -> p.dnsSearch = container.dnsSearch(n, f.path("dns_search")));

    if (type == ProcType.PORTAL) {
      p.portal = Optional.of(portalSettings(f, key, keyNode, service));
    } else {
      warnIgnored(f, PORTAL_ONLY_FIELDS, "only portal procs use it");
    }

    return p;
  }

  private void warnIgnored(MapReader f, Set<String> fields, String why) {
    for (String field : fields) {
      f.keyNode(field)
          .ifPresent(at -> d.warning(f.path(field), at, "ignored: " + why + " (as LAIN did)"));
    }
  }

  private List<DeclaredMountpoint> mountpoints(YNode node, FieldPath path, String procName) {
    List<DeclaredMountpoint> result = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "host[/path] or /path strings",
        "a host[/path] or /path string",
        (raw, at, itemPath) -> {
          Optional<String> problem = Mountpoints.problem(raw);
          if (problem.isPresent()) {
            d.violation(itemPath, at, Describe.quote(raw) + " " + problem.get());
            return;
          }
          DeclaredMountpoint declared = Mountpoints.parse(raw);
          if (declared instanceof DeclaredMountpoint.Relative && !procName.equals("web")) {
            d.violation(
                itemPath,
                at,
                Describe.quote(raw)
                    + " is relative, but only the proc named web has default mountpoints to"
                    + " put it under; write a host, e.g. admin.example.com"
                    + raw);
          } else {
            result.add(declared);
          }
        });
    return result;
  }

  private Optional<String> healthcheck(YNode node, FieldPath path) {
    return Read.text(node, path, d, "a URL path like /health")
        .filter(
            value -> {
              Optional<String> problem = Mountpoints.healthcheckProblem(value);
              problem.ifPresent(p -> d.violation(path, node, Describe.quote(value) + " " + p));
              return problem.isEmpty();
            });
  }

  private PortalSettings portalSettings(
      MapReader f, ProcKey key, YNode.Scalar keyNode, Optional<ServiceContext> service) {
    String serviceName;
    if (service.isPresent()) {
      serviceName = service.get().serviceName();
    } else {
      Optional<YNode> node = f.value("service_name");
      serviceName =
          node.flatMap(n -> Read.text(n, f.path("service_name"), d, "a service name"))
              .filter(
                  s -> {
                    Optional<String> problem = AppNames.procNameProblem(s);
                    problem.ifPresent(
                        p ->
                            d.violation(
                                f.path("service_name"), node.get(), Describe.quote(s) + " " + p));
                    return problem.isEmpty();
                  })
              .orElse("");
      if (node.isEmpty()) {
        d.violation(
            f.path("service_name"),
            f.keyNode("service_name").map(YNode::at).orElse(keyNode.at()),
            "is required for a portal proc: the name client apps list in use_services");
      }
    }
    String allowClients =
        f.value("allow_clients")
            .flatMap(n -> Read.text(n, f.path("allow_clients"), d, "a client pattern"))
            .orElse(PortalSettings.ALL_CLIENTS);
    if (!allowClients.equals(PortalSettings.ALL_CLIENTS)) {
      d.warning(
          f.path("allow_clients"),
          f.value("allow_clients").orElseThrow(),
          Describe.quote(allowClients)
              + " has no effect: LAIN only implemented \"**\" (every client app)");
    }
    return new PortalSettings(serviceName.isEmpty() ? "-" : serviceName, allowClients);
  }

  private static List<String> with(List<String> list, String extra) {
    List<String> all = new ArrayList<>(list);
    all.add(extra);
    return List.copyOf(all);
  }
}
