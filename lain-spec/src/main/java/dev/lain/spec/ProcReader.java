package dev.lain.spec;

import dev.lain.model.DnsNames;
import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
  private static final List<String> CONTAINER_HEALTHCHECK_KEYS = List.of("cmd", "options");
  private static final List<String> HEALTHCHECK_OPTION_KEYS =
      List.of("interval", "timeout", "retries");
  private static final List<String> CLOUD_VOLUME_KEYS = List.of("type", "dirs");
  private static final List<String> BACKUP_KINDS = List.of("backup_full", "backup_increment");
  private static final List<String> BACKUP_KEYS =
      List.of("schedule", "expire", "pre_run", "post_run");

  private static final Pattern MEMORY = Pattern.compile("^([1-9][0-9]*)([mMgG])$");
  private static final Pattern PORT_TEXT = Pattern.compile("^([0-9]+)(?::(tcp|udp))?$");
  private static final Pattern PORT_ATTRIBUTE = Pattern.compile("^type:(tcp|udp)$");
  private static final Pattern STREAM_PORT =
      Pattern.compile("^([0-9]+)(?::([0-9]+))?(?:/(tcp|udp))?$");
  private static final Pattern FILTER =
      Pattern.compile("^(affinity|constraint):([A-Za-z0-9_.\\-]+)(==|!=)(\\S+)$");
  private static final Pattern LABEL_KEY = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/\\-]*$");
  private static final Pattern CRON_FIELD = Pattern.compile("^[0-9A-Za-z*/,\\-]+$");
  private static final Pattern EXPIRE = Pattern.compile("^[1-9][0-9]*[dhm]$");
  private static final String RESERVED_LABEL_PREFIX = "cc.bdp.lain.";
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
  private final Map<String, String> nameOwners = new HashMap<>();
  private final List<ProcSpec> procs = new ArrayList<>();

  private ProcReader(String appdomain, Diagnostics d) {
    this.appdomain = appdomain;
    this.d = d;
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
    ProcDraft proc = proc(fields, type, key.name(), key, keyNode, Optional.empty());
    boolean procOk = d.violationCount() == before;
    if (nameOk && procOk) {
      procs.add(proc.toSpec());
    }
    if (key.form() == Form.SERVICE) {
      int beforePortal = d.violationCount();
      Optional<ProcDraft> portal = servicePortal(fields, key, keyNode, proc.port);
      if (nameOk && d.violationCount() == beforePortal) {
        portal.ifPresent(p -> procs.add(p.toSpec()));
      }
    }
  }

  /** Proc names are unique across all key forms ({@code web} and {@code proc.web} clash). */
  private boolean claimName(String name, ProcKey key, FieldPath path, YNode.Scalar keyNode) {
    Optional<String> problem = Names.procNameProblem(name);
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

  private Optional<ProcDraft> servicePortal(
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
  private ProcDraft proc(
      MapReader f,
      ProcType type,
      String name,
      ProcKey key,
      YNode.Scalar keyNode,
      Optional<ServiceContext> service) {
    ProcDraft p = new ProcDraft(type, name, key.written(), appdomain);

    f.value("image")
        .flatMap(n -> Read.text(n, f.path("image"), d, "an image name"))
        .ifPresent(image -> p.image = Optional.of(image));
    f.value("entrypoint").ifPresent(n -> p.entrypoint = command(n, f.path("entrypoint")));
    f.value("cmd").ifPresent(n -> p.cmd = command(n, f.path("cmd")));
    f.value("user")
        .flatMap(n -> Read.text(n, f.path("user"), d, "a user name"))
        .ifPresent(user -> p.user = user);
    workdir(f).ifPresent(w -> p.workdir = w);
    f.value("port")
        .flatMap(n -> port(n, f.path("port")))
        .ifPresent(port -> p.port = Optional.of(port));
    if (p.port.isEmpty()) {
      p.port =
          type == ProcType.WEB
              ? Optional.of(Port.HTTP)
              : service.flatMap(ServiceContext::servicePort);
    }
    f.value("ports").ifPresent(n -> p.ports = streamPorts(n, f.path("ports")));
    f.value("num_instances")
        .flatMap(
            n -> Read.integerIn(n, f.path("num_instances"), d, 0, Integer.MAX_VALUE, "0 or more"))
        .ifPresent(v -> p.numInstances = v);
    f.value("cpu")
        .flatMap(
            n ->
                Read.integerIn(
                    n,
                    f.path("cpu"),
                    d,
                    0,
                    ProcSpec.MAX_CPU,
                    "0.." + ProcSpec.MAX_CPU + " (LAIN's CPU levels)"))
        .ifPresent(v -> p.cpu = v);
    f.value("memory").flatMap(n -> memory(n, f.path("memory"))).ifPresent(m -> p.memory = m);
    f.value("env").ifPresent(n -> p.env = KeyValues.read(n, f.path("env"), d, "variable"));
    volumes(f).ifPresent(v -> p.volumes = v);
    f.value("cloud_volumes")
        .flatMap(n -> cloudVolumes(n, f, f.path("cloud_volumes")))
        .ifPresent(c -> p.cloudVolumes = Optional.of(c));
    f.value("logs").ifPresent(n -> p.logs = logs(n, f.path("logs")));

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
        .flatMap(n -> containerHealthcheck(n, f, f.path("container_healthcheck")))
        .ifPresent(c -> p.containerHealthcheck = Optional.of(c));
    f.value("labels").ifPresent(n -> p.labels = labels(n, f.path("labels")));
    f.value("filters").ifPresent(n -> p.filters = filters(n, f.path("filters")));
    f.value("secret_files").ifPresent(n -> p.secretFiles = secretFiles(n, f.path("secret_files")));
    f.value("secret_files_bypass")
        .flatMap(n -> Read.bool(n, f.path("secret_files_bypass"), d))
        .ifPresent(v -> p.secretFilesBypass = v);
    f.value("stateful")
        .flatMap(n -> Read.bool(n, f.path("stateful"), d))
        .ifPresent(v -> p.stateful = v);
    f.value("setup_time")
        .flatMap(n -> clamped(n, f.path("setup_time"), 0, ProcSpec.MAX_SETUP_TIME, "seconds"))
        .ifPresent(v -> p.setupTime = v);
    f.value("kill_timeout")
        .flatMap(
            n ->
                clamped(
                    n,
                    f.path("kill_timeout"),
                    ProcSpec.MIN_KILL_TIMEOUT,
                    ProcSpec.MAX_KILL_TIMEOUT,
                    "seconds"))
        .ifPresent(v -> p.killTimeout = v);
    f.value("dns_search").ifPresent(n -> p.dnsSearch = dnsSearch(n, f.path("dns_search")));

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

  private Optional<String> workdir(MapReader f) {
    Optional<YNode.Scalar> workdir = f.keyNode("workdir");
    Optional<YNode.Scalar> workingDir = f.keyNode("working_dir");
    if (workdir.isPresent() && workingDir.isPresent()) {
      boolean workdirFirst = workdir.get().at().compareTo(workingDir.get().at()) < 0;
      String second = workdirFirst ? "working_dir" : "workdir";
      String first = workdirFirst ? "workdir" : "working_dir";
      YNode.Scalar at = workdirFirst ? workingDir.get() : workdir.get();
      d.violation(
          f.path(second),
          at,
          first
              + " is already given (line "
              + (workdirFirst ? workdir : workingDir).get().at().line()
              + "); write only one of workdir and working_dir");
      return Optional.empty();
    }
    String key = workdir.isPresent() ? "workdir" : "working_dir";
    return f.value(key).flatMap(n -> Read.text(n, f.path(key), d, "a directory"));
  }

  private Command command(YNode node, FieldPath path) {
    if (node instanceof YNode.Scalar s && !s.isNull()) {
      String line = s.text().strip();
      return new Command.Override(line.isEmpty() ? List.of() : List.of(line.split("\\s+")));
    }
    if (node instanceof YNode.Sequence) {
      return new Command.Override(Read.texts(node, path, d, "arguments", "an argument"));
    }
    d.violation(
        path,
        node,
        "must be a command: a string (split on whitespace) or a list of arguments, got "
            + Describe.node(node));
    return Command.INHERIT;
  }

  private Optional<Port> port(YNode node, FieldPath path) {
    String expected = "a port: 80, \"80:tcp\", \"53:udp\" or {80: [\"type:tcp\"]}";
    switch (node) {
      case YNode.Scalar s when s.kind() == YNode.Kind.INTEGER -> {
        return Read.integerIn(node, path, d, 1, 65535, "1..65535")
            .map(n -> new Port(n, Protocol.TCP));
      }
      case YNode.Scalar s when s.kind() == YNode.Kind.STRING -> {
        Matcher m = PORT_TEXT.matcher(s.text());
        if (!m.matches()) {
          d.violation(path, node, Describe.quote(s.text()) + " must be " + expected);
          return Optional.empty();
        }
        return portNumber(m.group(1), node, path).map(n -> new Port(n, protocol(m.group(2))));
      }
      case YNode.Mapping mapping when mapping.entries().size() == 1 -> {
        YNode.Entry entry = mapping.entries().getFirst();
        if (!(entry.key() instanceof YNode.Scalar key)) {
          d.violation(path, entry.key(), "must be " + expected);
          return Optional.empty();
        }
        Optional<Integer> number =
            PORT_TEXT.matcher(key.text()).matches() && !key.text().contains(":")
                ? portNumber(key.text(), key, path)
                : Optional.empty();
        if (number.isEmpty()) {
          if (!key.text().matches("[0-9]+")) {
            d.violation(path, key, Describe.quote(key.text()) + " must be a port number 1..65535");
          }
          return Optional.empty();
        }
        Protocol protocol = Protocol.TCP;
        FieldPath attributesPath = path.key(key.text());
        if (!(entry.value() instanceof YNode.Scalar v && v.isNull())) {
          List<String> attributes =
              Read.texts(
                  entry.value(),
                  attributesPath,
                  d,
                  "\"type:tcp\" or \"type:udp\"",
                  "\"type:tcp\" or \"type:udp\"");
          for (int i = 0; i < attributes.size(); i++) {
            Matcher m = PORT_ATTRIBUTE.matcher(attributes.get(i));
            if (m.matches()) {
              protocol = protocol(m.group(1));
            } else {
              YNode item = ((YNode.Sequence) entry.value()).items().get(i);
              d.violation(
                  attributesPath.index(i),
                  item,
                  Describe.quote(attributes.get(i)) + " must be \"type:tcp\" or \"type:udp\"");
            }
          }
        }
        return Optional.of(new Port(number.get(), protocol));
      }
      default -> {
        d.violation(path, node, "must be " + expected + ", got " + Describe.node(node));
        return Optional.empty();
      }
    }
  }

  private Optional<Integer> portNumber(String digits, YNode at, FieldPath path) {
    Optional<Long> value = Read.parseInteger(digits);
    if (value.isEmpty() || value.get() < 1 || value.get() > 65535) {
      d.violation(path, at, Describe.quote(digits) + " is not a port: must be 1..65535");
      return Optional.empty();
    }
    return Optional.of(value.get().intValue());
  }

  private static Protocol protocol(String word) {
    return word == null ? Protocol.TCP : Protocol.valueOf(word.toUpperCase(Locale.ROOT));
  }

  private List<StreamPort> streamPorts(YNode node, FieldPath path) {
    List<StreamPort> result = new ArrayList<>();
    Optional<MapReader> read =
        Read.mapping(
            node,
            path,
            node.at(),
            d,
            "a mapping of \"<src>[:<dst>][/tcp|udp]\" to settings, e.g. {9501:80/tcp: {}}");
    if (read.isEmpty()) {
      return result;
    }
    Map<Integer, Integer> sourceLines = new HashMap<>();
    for (YNode.Entry entry : read.get().entries()) {
      String spec = MapReader.keyText(entry);
      FieldPath specPath = path.key(spec);
      Matcher m = STREAM_PORT.matcher(spec);
      if (!m.matches()) {
        d.violation(
            specPath,
            entry.key(),
            Describe.quote(spec) + " must be <src>[:<dst>][/tcp|udp], e.g. 9501:80/tcp");
        continue;
      }
      Optional<Long> source = Read.parseInteger(m.group(1));
      if (source.isEmpty()
          || source.get() < StreamPort.MIN_SOURCE
          || source.get() > StreamPort.MAX_SOURCE) {
        d.violation(
            specPath,
            entry.key(),
            "source port " + m.group(1) + " is outside streamrouter's range 9500..10000");
        continue;
      }
      int src = source.get().intValue();
      Integer earlier = sourceLines.putIfAbsent(src, entry.key().at().line());
      if (earlier != null) {
        d.violation(
            specPath,
            entry.key(),
            "source port "
                + src
                + " is already mapped at line "
                + earlier
                + "; each source port once");
        continue;
      }
      int dst = src;
      if (m.group(2) != null) {
        Optional<Integer> destination = portNumber(m.group(2), entry.key(), specPath);
        if (destination.isEmpty()) {
          continue;
        }
        dst = destination.get();
      }
      Map<String, String> attributes =
          streamPortAttributes(entry.value(), specPath, entry.key().at());
      result.add(new StreamPort(src, dst, protocol(m.group(3)), attributes));
    }
    return result;
  }

  private Map<String, String> streamPortAttributes(YNode node, FieldPath path, Position owner) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Read.mapping(node, path, owner, d, "a mapping of settings (or empty)")
        .ifPresent(
            settings -> {
              for (YNode.Entry entry : settings.entries()) {
                String key = MapReader.keyText(entry);
                Read.text(entry.value(), settings.path(key), d, "a plain value")
                    .ifPresent(v -> attributes.put(key, v));
              }
            });
    return attributes;
  }

  private Optional<Memory> memory(YNode node, FieldPath path) {
    Optional<String> text = Read.text(node, path, d, "a size like 256m or 1g");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = MEMORY.matcher(text.get());
    if (!m.matches()) {
      d.violation(
          path, node, Describe.quote(text.get()) + " must match <n>[mMgG], e.g. 256m or 1g");
      return Optional.empty();
    }
    Optional<Long> amount = Read.parseInteger(m.group(1));
    int shift = m.group(2).equalsIgnoreCase("g") ? 30 : 20;
    if (amount.isEmpty() || amount.get() > (Long.MAX_VALUE >> shift)) {
      d.violation(path, node, Describe.quote(text.get()) + " is too large");
      return Optional.empty();
    }
    long bytes = amount.get() << shift;
    if (bytes < Memory.DOCKER_MINIMUM_BYTES) {
      d.violation(
          path,
          node,
          Describe.quote(text.get()) + " is below docker's minimum of 6m; use 6m or more");
      return Optional.empty();
    }
    return Optional.of(new Memory(text.get(), bytes));
  }

  /**
   * {@code volumes} or its old name {@code persistent_dirs}. When both are written the conflict is
   * reported and both lists are still checked, so every problem shows at once.
   */
  private Optional<List<Volume>> volumes(MapReader f) {
    Optional<YNode.Scalar> volumesKey = f.keyNode("volumes");
    Optional<YNode.Scalar> dirsKey = f.keyNode("persistent_dirs");
    if (volumesKey.isPresent() && dirsKey.isPresent()) {
      boolean volumesFirst = volumesKey.get().at().compareTo(dirsKey.get().at()) < 0;
      YNode.Scalar second = volumesFirst ? dirsKey.get() : volumesKey.get();
      d.violation(
          f.path(second.text()),
          second,
          "volumes and persistent_dirs are the same setting; write only one of them");
      volumeList(f, "volumes");
      volumeList(f, "persistent_dirs");
      return Optional.empty();
    }
    return volumeList(f, dirsKey.isPresent() ? "persistent_dirs" : "volumes");
  }

  private Optional<List<Volume>> volumeList(MapReader f, String key) {
    Optional<YNode> node = f.value(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    FieldPath path = f.path(key);
    List<Volume> volumes = new ArrayList<>();
    Map<String, Integer> pathLines = new HashMap<>();
    Optional<List<YNode>> items =
        Read.list(node.get(), path, d, "paths or {path: {backup_full: ...}} mappings");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < items.get().size(); i++) {
      YNode item = items.get().get(i);
      FieldPath itemPath = path.index(i);
      Optional<Volume> volume = volume(item, itemPath);
      if (volume.isPresent()) {
        Integer earlier = pathLines.putIfAbsent(volume.get().path(), item.at().line());
        if (earlier != null) {
          d.violation(
              itemPath,
              item,
              "volume "
                  + volume.get().path()
                  + " is already declared at line "
                  + earlier
                  + "; declare each volume once");
        } else {
          volumes.add(volume.get());
        }
      }
    }
    if (!pathLines.containsKey(ContainerPaths.LOGS_DIR)) {
      volumes.add(Volume.LOGS);
    }
    return Optional.of(volumes);
  }

  private Optional<Volume> volume(YNode item, FieldPath path) {
    switch (item) {
      case YNode.Scalar s when !s.isNull() -> {
        return volumePath(s.text(), s, path).map(p -> new Volume(p, List.of()));
      }
      case YNode.Mapping mapping when mapping.entries().size() == 1 -> {
        YNode.Entry entry = mapping.entries().getFirst();
        if (!(entry.key() instanceof YNode.Scalar key)) {
          d.violation(
              path,
              entry.key(),
              "the volume path must be a string, got " + Describe.node(entry.key()));
          return Optional.empty();
        }
        Optional<String> volumePath = volumePath(key.text(), key, path);
        List<Backup> backups = backups(entry.value(), path.key(key.text()), key.at());
        return volumePath.map(p -> new Volume(p, backups));
      }
      default -> {
        d.violation(
            path,
            item,
            "must be a path or a mapping of one path to its backup settings, got "
                + Describe.node(item));
        return Optional.empty();
      }
    }
  }

  private Optional<String> volumePath(String raw, YNode at, FieldPath path) {
    return checkedPath(ContainerPaths.absolute(raw, true), raw, at, path)
        .flatMap(
            p -> {
              if (ContainerPaths.NOT_MOUNTABLE.contains(p)) {
                d.violation(
                    path,
                    at,
                    Describe.quote(raw)
                        + " resolves to "
                        + p
                        + ", which cannot be a volume (it would hide the image's files)");
                return Optional.empty();
              }
              return Optional.of(p);
            });
  }

  private List<Backup> backups(YNode node, FieldPath path, Position owner) {
    List<Backup> backups = new ArrayList<>();
    Read.mapping(node, path, owner, d, "a mapping with backup_full and/or backup_increment")
        .ifPresent(
            spec -> {
              spec.rejectUnknownKeys(BACKUP_KINDS);
              for (String kind : BACKUP_KINDS) {
                Position kindAt = spec.keyNode(kind).map(YNode::at).orElse(owner);
                spec.value(kind)
                    .flatMap(
                        n ->
                            Read.mapping(
                                n,
                                spec.path(kind),
                                kindAt,
                                d,
                                "a mapping with schedule and expire"))
                    .flatMap(
                        backup ->
                            backup(
                                backup,
                                kind.equals("backup_full")
                                    ? BackupMode.FULL
                                    : BackupMode.INCREMENT))
                    .ifPresent(backups::add);
              }
            });
    return backups;
  }

  private Optional<Backup> backup(MapReader backup, BackupMode mode) {
    backup.rejectUnknownKeys(BACKUP_KEYS);
    Optional<String> schedule =
        backup
            .required("schedule", "a cron schedule with five fields, e.g. \"0 3 * * *\"")
            .flatMap(
                n ->
                    Read.text(n, backup.path("schedule"), d, "a cron schedule")
                        .filter(
                            s -> {
                              String[] fields = s.strip().split("\\s+");
                              boolean ok =
                                  fields.length == 5
                                      && List.of(fields).stream()
                                          .allMatch(x -> CRON_FIELD.matcher(x).matches());
                              if (!ok) {
                                d.violation(
                                    backup.path("schedule"),
                                    n,
                                    Describe.quote(s)
                                        + " must be a cron schedule with five fields (minute hour"
                                        + " day-of-month month day-of-week), e.g. \"0 3 * * *\"");
                              }
                              return ok;
                            }));
    String expire =
        backup
            .value("expire")
            .flatMap(
                n ->
                    Read.text(n, backup.path("expire"), d, "a duration like 10d")
                        .filter(
                            s -> {
                              boolean ok = EXPIRE.matcher(s).matches();
                              if (!ok) {
                                d.violation(
                                    backup.path("expire"),
                                    n,
                                    Describe.quote(s)
                                        + " must be <n>d, <n>h or <n>m, e.g. 10d, 10h or 3m");
                              }
                              return ok;
                            }))
            .orElse("");
    String preRun =
        backup
            .value("pre_run")
            .flatMap(n -> Read.text(n, backup.path("pre_run"), d, "a command"))
            .orElse("");
    String postRun =
        backup
            .value("post_run")
            .flatMap(n -> Read.text(n, backup.path("post_run"), d, "a command"))
            .orElse("");
    return schedule.map(s -> new Backup(mode, s.strip(), expire, preRun, postRun));
  }

  private Optional<CloudVolumes> cloudVolumes(YNode node, MapReader proc, FieldPath path) {
    Position owner = proc.keyNode("cloud_volumes").map(YNode::at).orElse(node.at());
    return Read.mapping(node, path, owner, d, "a mapping with type and dirs")
        .map(
            cloud -> {
              cloud.rejectUnknownKeys(CLOUD_VOLUME_KEYS);
              CloudVolumes.Type type =
                  cloud
                      .value("type")
                      .flatMap(
                          n ->
                              Read.text(n, cloud.path("type"), d, "single or multi")
                                  .flatMap(
                                      t ->
                                          switch (t) {
                                            case "single" -> Optional.of(CloudVolumes.Type.SINGLE);
                                            case "multi" -> Optional.of(CloudVolumes.Type.MULTI);
                                            default -> {
                                              d.violation(
                                                  cloud.path("type"),
                                                  n,
                                                  Describe.quote(t) + " must be single or multi");
                                              yield Optional.empty();
                                            }
                                          }))
                      .orElse(CloudVolumes.Type.MULTI);
              List<String> dirs = new ArrayList<>();
              cloud
                  .required("dirs", "a list of directories on the shared file system")
                  .ifPresent(
                      n ->
                          eachText(
                              n,
                              cloud.path("dirs"),
                              "directories",
                              "a directory",
                              (raw, at, itemPath) ->
                                  volumePath(raw, at, itemPath).ifPresent(dirs::add)));
              return new CloudVolumes(type, dirs);
            });
  }

  private List<String> logs(YNode node, FieldPath path) {
    List<String> logs = new ArrayList<>();
    eachText(
        node,
        path,
        "file names under /lain/logs",
        "a file name under /lain/logs",
        (raw, at, itemPath) ->
            checkedPath(ContainerPaths.relative(raw, ContainerPaths.LOGS_DIR), raw, at, itemPath)
                .ifPresent(logs::add));
    return logs;
  }

  private List<DeclaredMountpoint> mountpoints(YNode node, FieldPath path, String procName) {
    List<DeclaredMountpoint> result = new ArrayList<>();
    eachText(
        node,
        path,
        "host[/path] or /path strings",
        "a host[/path] or /path string",
        (raw, at, itemPath) -> {
          switch (MountpointRules.parse(raw)) {
            case Checked.Bad<DeclaredMountpoint> bad ->
                d.violation(itemPath, at, Describe.quote(raw) + " " + bad.problem());
            case Checked.Ok<DeclaredMountpoint> ok -> {
              if (ok.value() instanceof DeclaredMountpoint.Relative && !procName.equals("web")) {
                d.violation(
                    itemPath,
                    at,
                    Describe.quote(raw)
                        + " is relative, but only the proc named web has default mountpoints to"
                        + " put it under; write a host, e.g. admin.example.com"
                        + raw);
              } else {
                result.add(ok.value());
              }
            }
          }
        });
    return result;
  }

  private Optional<String> healthcheck(YNode node, FieldPath path) {
    return Read.text(node, path, d, "a URL path like /health")
        .filter(
            value -> {
              Optional<String> problem = MountpointRules.healthcheckProblem(value);
              problem.ifPresent(p -> d.violation(path, node, Describe.quote(value) + " " + p));
              return problem.isEmpty();
            });
  }

  private Optional<ContainerHealthcheck> containerHealthcheck(
      YNode node, MapReader proc, FieldPath path) {
    Position owner = proc.keyNode("container_healthcheck").map(YNode::at).orElse(node.at());
    Optional<MapReader> read = Read.mapping(node, path, owner, d, "a mapping with cmd and options");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    MapReader check = read.get();
    check.rejectUnknownKeys(CONTAINER_HEALTHCHECK_KEYS);
    Optional<String> cmd =
        check
            .required("cmd", "a shell command (exit 0 = healthy), or none to disable")
            .flatMap(n -> Read.text(n, check.path("cmd"), d, "a shell command"))
            .filter(
                c -> {
                  if (c.isBlank()) {
                    d.violation(
                        check.path("cmd"),
                        check.value("cmd").orElseThrow(),
                        "must not be empty: a shell command, or none to disable");
                  }
                  return !c.isBlank();
                });
    int[] values = {
      ContainerHealthcheck.MIN_INTERVAL,
      ContainerHealthcheck.MIN_TIMEOUT,
      ContainerHealthcheck.MIN_RETRIES
    };
    Position optionsOwner = check.keyNode("options").map(YNode::at).orElse(owner);
    check
        .value("options")
        .flatMap(
            n ->
                Read.mapping(
                    n,
                    check.path("options"),
                    optionsOwner,
                    d,
                    "a mapping with interval, timeout and retries"))
        .ifPresent(
            options -> {
              options.rejectUnknownKeys(HEALTHCHECK_OPTION_KEYS);
              String[] units = {" seconds", " seconds", ""};
              for (int i = 0; i < HEALTHCHECK_OPTION_KEYS.size(); i++) {
                String key = HEALTHCHECK_OPTION_KEYS.get(i);
                int minimum = values[i];
                String unit = units[i];
                int index = i;
                options
                    .value(key)
                    .flatMap(n -> raisedToMinimum(n, options.path(key), minimum, unit))
                    .ifPresent(v -> values[index] = v);
              }
            });
    return cmd.map(c -> new ContainerHealthcheck(c, values[0], values[1], values[2]));
  }

  /** deployd raises values below its minimums; say so rather than silently. */
  private Optional<Integer> raisedToMinimum(YNode node, FieldPath path, int minimum, String unit) {
    return Read.integerIn(node, path, d, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer")
        .map(
            v -> {
              if (v < minimum) {
                d.warning(
                    path,
                    node,
                    v
                        + " is below deployd's minimum of "
                        + minimum
                        + unit
                        + "; raised to "
                        + minimum);
                return minimum;
              }
              return v;
            });
  }

  private Optional<Integer> clamped(YNode node, FieldPath path, int min, int max, String unit) {
    return Read.integerIn(node, path, d, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer")
        .map(
            v -> {
              int clamped = Math.max(min, Math.min(max, v));
              if (clamped != v) {
                d.warning(
                    path,
                    node,
                    v + " is outside " + min + ".." + max + " " + unit + "; LAIN uses " + clamped);
              }
              return clamped;
            });
  }

  private Map<String, String> labels(YNode node, FieldPath path) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    eachText(
        node,
        path,
        "key:value strings",
        "a key:value string",
        (raw, at, itemPath) -> {
          int colon = raw.indexOf(':');
          if (colon < 0) {
            d.violation(itemPath, at, Describe.quote(raw) + " must be key:value, e.g. team:infra");
            return;
          }
          String key = raw.substring(0, colon);
          String value = raw.substring(colon + 1);
          if (!LABEL_KEY.matcher(key).matches()) {
            d.violation(
                itemPath,
                at,
                "label key "
                    + Describe.quote(key)
                    + " must be letters, digits and . _ / - (starting with a letter or digit)");
          } else if (key.startsWith(RESERVED_LABEL_PREFIX)) {
            d.violation(
                itemPath,
                at,
                "label key "
                    + Describe.quote(key)
                    + " starts with "
                    + RESERVED_LABEL_PREFIX
                    + ", which LAIN reserves for its own labels");
          } else if (lines.putIfAbsent(key, at.at().line()) != null) {
            d.violation(
                itemPath,
                at,
                "label "
                    + Describe.quote(key)
                    + " is already set at line "
                    + lines.get(key)
                    + "; set each label once");
          } else {
            labels.put(key, value);
          }
        });
    return labels;
  }

  private List<Filter> filters(YNode node, FieldPath path) {
    List<Filter> filters = new ArrayList<>();
    eachText(
        node,
        path,
        "scheduling filters",
        "a scheduling filter",
        (raw, at, itemPath) -> {
          Matcher m = FILTER.matcher(raw);
          if (!m.matches()) {
            d.violation(
                itemPath,
                at,
                Describe.quote(raw)
                    + " must match (affinity|constraint):<key>(==|!=)<value>,"
                    + " e.g. constraint:group==group1");
            return;
          }
          Filter.Kind kind =
              m.group(1).equals("affinity") ? Filter.Kind.AFFINITY : Filter.Kind.CONSTRAINT;
          filters.add(new Filter(kind, m.group(2), m.group(3), m.group(4)));
        });
    return filters;
  }

  private List<String> secretFiles(YNode node, FieldPath path) {
    List<String> files = new ArrayList<>();
    eachText(
        node,
        path,
        "file paths",
        "a file path",
        (raw, at, itemPath) ->
            checkedPath(ContainerPaths.absolute(raw, true), raw, at, itemPath)
                .ifPresent(
                    p -> {
                      if (ContainerPaths.NOT_MOUNTABLE.contains(p)) {
                        d.violation(
                            itemPath,
                            at,
                            Describe.quote(raw)
                                + " resolves to the directory "
                                + p
                                + ", not a file");
                      } else {
                        files.add(p);
                      }
                    }));
    return files;
  }

  private List<String> dnsSearch(YNode node, FieldPath path) {
    List<String> domains = new ArrayList<>();
    eachText(
        node,
        path,
        "domain names",
        "a domain name",
        (raw, at, itemPath) -> {
          String domain = raw.toLowerCase(Locale.ROOT);
          Optional<String> problem = DnsNames.problem(domain);
          if (problem.isPresent()) {
            d.violation(
                itemPath, at, Describe.quote(raw) + " is not a domain name: it " + problem.get());
          } else if (!domains.contains(domain)) {
            domains.add(domain);
          }
        });
    return domains;
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
                    Optional<String> problem = Names.procNameProblem(s);
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

  private interface TextVisitor {
    void visit(String text, YNode at, FieldPath path);
  }

  private void eachText(
      YNode node, FieldPath path, String items, String item, TextVisitor visitor) {
    Read.list(node, path, d, items)
        .ifPresent(
            list -> {
              for (int i = 0; i < list.size(); i++) {
                YNode element = list.get(i);
                FieldPath elementPath = path.index(i);
                Read.text(element, elementPath, d, item)
                    .ifPresent(text -> visitor.visit(text, element, elementPath));
              }
            });
  }

  private Optional<String> checkedPath(
      Checked<String> result, String raw, YNode at, FieldPath path) {
    return switch (result) {
      case Checked.Ok<String> ok -> Optional.of(ok.value());
      case Checked.Bad<String> bad -> {
        d.violation(path, at, Describe.quote(raw) + " " + bad.problem());
        yield Optional.empty();
      }
    };
  }

  private static List<String> with(List<String> list, String extra) {
    List<String> all = new ArrayList<>(list);
    all.add(extra);
    return List.copyOf(all);
  }

  /** A proc being read: starts with LAIN's defaults, fields overwrite them as they are read. */
  private static final class ProcDraft {
    final ProcType type;
    final String name;
    final String key;
    Optional<String> image = Optional.empty();
    Command entrypoint = Command.INHERIT;
    Command cmd = Command.INHERIT;
    String user = "";
    String workdir = "";
    Optional<Port> port = Optional.empty();
    List<StreamPort> ports = List.of();
    int numInstances = ProcSpec.DEFAULT_INSTANCES;
    int cpu = 0;
    Memory memory = Memory.DEFAULT;
    Map<String, String> env = Map.of();
    List<Volume> volumes = List.of(Volume.LOGS);
    Optional<CloudVolumes> cloudVolumes = Optional.empty();
    List<String> logs = List.of();
    List<DeclaredMountpoint> mountpoints = List.of();
    boolean httpsOnly = false;
    String healthcheck = "";
    Optional<ContainerHealthcheck> containerHealthcheck = Optional.empty();
    Map<String, String> labels = Map.of();
    List<Filter> filters = List.of();
    List<String> secretFiles = List.of();
    boolean secretFilesBypass = false;
    boolean stateful = false;
    int setupTime = 0;
    int killTimeout = ProcSpec.MIN_KILL_TIMEOUT;
    List<String> dnsSearch = List.of();
    Optional<PortalSettings> portal = Optional.empty();
    private final String appdomain;

    ProcDraft(ProcType type, String name, String key, String appdomain) {
      this.type = type;
      this.name = name;
      this.key = key;
      this.appdomain = appdomain;
    }

    ProcSpec toSpec() {
      List<Filter> allFilters = new ArrayList<>(filters);
      if (allFilters.stream().noneMatch(Filter::isGroupConstraint)) {
        allFilters.add(Filter.DEFAULT_GROUP);
      }
      List<String> search = new ArrayList<>(dnsSearch);
      String own = DnsNames.normalize(appdomain + ".lain");
      if (!search.contains(own)) {
        search.add(own);
      }
      return new ProcSpec(
          type,
          name,
          key,
          image,
          entrypoint,
          cmd,
          user,
          workdir,
          port,
          ports,
          numInstances,
          cpu,
          memory,
          env,
          volumes,
          cloudVolumes,
          logs,
          mountpoints,
          httpsOnly,
          healthcheck,
          containerHealthcheck,
          labels,
          allFilters,
          secretFiles,
          secretFilesBypass,
          stateful,
          setupTime,
          killTimeout,
          search,
          portal);
    }
  }
}
