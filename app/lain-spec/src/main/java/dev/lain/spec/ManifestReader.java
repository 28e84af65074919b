package dev.lain.spec;

import dev.lain.model.AppNames;
import dev.lain.model.web.Mountpoints;
import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the top level of lain.yaml (everything but the procs, which {@link ProcReader} reads). */
final class ManifestReader {
  static final List<String> TOP_LEVEL_KEYS =
      List.of(
          "appname",
          "giturl",
          "apptype",
          "build",
          "release",
          "test",
          "use_services",
          "use_resources",
          "notify");
  private static final List<String> TOP_LEVEL_SUGGESTIONS =
      concat(TOP_LEVEL_KEYS, List.of("web", "worker", "oneshot", "proc", "portal", "service"));
  private static final List<String> BUILD_KEYS =
      List.of("base", "script", "prepare", "build_arg", "volumes");
  private static final List<String> PREPARE_KEYS = List.of("version", "script", "keep");
  private static final List<String> RELEASE_KEYS = List.of("dest_base", "copy", "script");
  private static final List<String> COPY_KEYS = List.of("src", "dest");
  private static final List<String> TEST_KEYS = List.of("script");
  private static final List<String> NOTIFY_KEYS = List.of("slack", "bearychat");
  private static final String RESOURCE_SERVICES_KEY = "services";

  private static final Pattern PREPARE_VERSION = Pattern.compile("^[a-zA-Z0-9]+$");
  private static final Pattern URL_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://");

  /** Stands in for an invalid app name so reading can go on; never reaches a Valid result. */
  private static final String PLACEHOLDER_APPNAME = "invalid-appname";

  private final Diagnostics d = new Diagnostics();
  private final YNode.Mapping root;
  private final MapReader top;

  private ManifestReader(YNode.Mapping root) {
    this.root = root;
    this.top = new MapReader(root, FieldPath.ROOT, root.at(), d);
  }

  static ValidationResult read(YNode.Mapping root) {
    return new ManifestReader(root).read();
  }

  private ValidationResult read() {
    List<ProcReader.KeyedBody> procEntries = new ArrayList<>();
    for (YNode.Entry entry : top.entries()) {
      String key = MapReader.keyText(entry);
      if (TOP_LEVEL_KEYS.contains(key)) {
        continue;
      }
      Optional<ProcReader.ProcKey> procKey = ProcReader.ProcKey.parse(key);
      if (procKey.isPresent()) {
        procEntries.add(
            new ProcReader.KeyedBody(procKey.get(), (YNode.Scalar) entry.key(), entry.value()));
      } else {
        d.violation(
            FieldPath.ROOT.key(key),
            entry.key(),
            Suggestions.unknownTopLevelKey(key, TOP_LEVEL_SUGGESTIONS));
      }
    }

    String appname = appname();
    String giturl =
        top.value("giturl")
            .flatMap(n -> text(n, "giturl", "a git URL"))
            .map(ManifestReader::normaliseGiturl)
            .orElse("");
    AppType apptype = apptype();
    Optional<BuildSpec> build = build();
    Optional<ReleaseSpec> release = release();
    checkReleaseScriptWithoutBuildVolumes();
    Optional<TestSpec> test = test();
    Map<String, List<String>> useServices = useServices();
    Map<String, ResourceUse> useResources = useResources();
    NotifySpec notifications = notifications();
    checkServiceAndResourceNamesDistinct();

    List<ProcSpec> procs = ProcReader.readAll(procEntries, Mountpoints.appdomain(appname), d);
    if (procEntries.isEmpty()) {
      d.warning(
          FieldPath.ROOT,
          root.at(),
          "the app has no procs, so deploying it runs nothing; " + Suggestions.PROC_KEY_FORMS);
    }

    if (d.hasViolations() || build.isEmpty()) {
      return new ValidationResult.Invalid(d.violations());
    }
    AppSpec spec =
        new AppSpec(
            appname,
            giturl,
            apptype,
            build.get(),
            release,
            test,
            useServices,
            useResources,
            notifications,
            procs);
    return new ValidationResult.Valid(spec, d.warnings());
  }

  private String appname() {
    Optional<YNode> node = top.value("appname");
    if (node.isEmpty()) {
      d.violation(
          FieldPath.ROOT.key("appname"),
          top.keyNode("appname").map(YNode::at).orElse(root.at()),
          "is required: the app's cluster-unique name, e.g. appname: hello-world");
      return PLACEHOLDER_APPNAME;
    }
    Optional<String> name = text(node.get(), "appname", "a name like hello-world");
    if (name.isEmpty()) {
      return PLACEHOLDER_APPNAME;
    }
    Optional<String> problem = AppNames.appnameProblem(name.get());
    if (problem.isPresent()) {
      d.violation(
          FieldPath.ROOT.key("appname"),
          node.get(),
          Describe.quote(name.get()) + " " + problem.get());
      return PLACEHOLDER_APPNAME;
    }
    return name.get();
  }

  /** As console stores it, so that later deploys compare equal. */
  static String normaliseGiturl(String raw) {
    String url = raw.strip();
    if (url.isEmpty()) {
      return "";
    }
    if (url.endsWith(".git")) {
      url = url.substring(0, url.length() - ".git".length());
    }
    return URL_SCHEME.matcher(url).find() ? url : "http://" + url;
  }

  private AppType apptype() {
    return top.value("apptype")
        .flatMap(
            node ->
                text(node, "apptype", "app or resource")
                    .flatMap(
                        value ->
                            switch (value) {
                              case "app" -> Optional.of(AppType.APP);
                              case "resource" -> Optional.of(AppType.RESOURCE);
                              default -> {
                                d.violation(
                                    FieldPath.ROOT.key("apptype"),
                                    node,
                                    Describe.quote(value) + " must be app or resource");
                                yield Optional.empty();
                              }
                            }))
        .orElse(AppType.APP);
  }

  private Optional<BuildSpec> build() {
    FieldPath path = FieldPath.ROOT.key("build");
    Optional<YNode> node = top.value("build");
    if (node.isEmpty()) {
      d.violation(
          path,
          top.keyNode("build").map(YNode::at).orElse(root.at()),
          "is required: a mapping with base (the base image) and script (shell commands)");
      return Optional.empty();
    }
    Optional<MapReader> read =
        Read.mapping(node.get(), path, ownerOf("build"), d, "a mapping with base and script");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    MapReader build = read.get();
    build.rejectUnknownKeys(BUILD_KEYS);
    String base =
        build
            .required("base", "the base image, e.g. laincloud/centos-lain:20170426")
            .flatMap(n -> Read.text(n, build.path("base"), d, "an image name"))
            .orElse("");
    List<String> script =
        build
            .required("script", "a list of shell commands run in /lain/app")
            .map(n -> commands(n, build.path("script")))
            .orElse(List.of());
    Optional<PrepareSpec> prepare = build.value("prepare").flatMap(n -> prepare(n, build));
    Map<String, String> buildArgs =
        build
            .value("build_arg")
            .map(n -> keyValues(n, build.path("build_arg"), "build argument"))
            .orElse(Map.of());
    List<String> volumes =
        build.value("volumes").map(n -> buildVolumes(n, build.path("volumes"))).orElse(List.of());
    return Optional.of(new BuildSpec(base, script, prepare, buildArgs, volumes));
  }

  private Optional<PrepareSpec> prepare(YNode node, MapReader build) {
    FieldPath path = build.path("prepare");
    if (node instanceof YNode.Sequence) {
      return Optional.of(new PrepareSpec("", commands(node, path), List.of()));
    }
    if (!(node instanceof YNode.Mapping mapping)) {
      d.violation(
          path,
          node,
          "must be a list of commands or a mapping with version, script and keep, got "
              + Describe.node(node));
      return Optional.empty();
    }
    Position owner = build.keyNode("prepare").map(YNode::at).orElse(node.at());
    MapReader prepare = new MapReader(mapping, path, owner, d);
    prepare.rejectUnknownKeys(PREPARE_KEYS);
    String version = prepare.value("version").map(n -> prepareVersion(n, prepare)).orElse("");
    List<String> script =
        prepare
            .required("script", "a list of shell commands that prepare /lain/app")
            .map(n -> commands(n, prepare.path("script")))
            .orElse(List.of());
    List<String> keep =
        prepare.value("keep").map(n -> keep(n, prepare.path("keep"))).orElse(List.of());
    return Optional.of(new PrepareSpec(version, script, keep));
  }

  private String prepareVersion(YNode node, MapReader prepare) {
    FieldPath path = prepare.path("version");
    boolean stringOrInt =
        node instanceof YNode.Scalar s
            && (s.kind() == YNode.Kind.STRING || s.kind() == YNode.Kind.INTEGER);
    if (!stringOrInt) {
      d.violation(
          path,
          node,
          "must be a string or an integer of letters and digits, got " + Describe.node(node));
      return "";
    }
    String version = ((YNode.Scalar) node).text();
    if (!PREPARE_VERSION.matcher(version).matches()) {
      d.violation(
          path,
          node,
          Describe.quote(version)
              + " must match ^[a-zA-Z0-9]+$ (letters and digits), e.g. 3 or v2");
      return "";
    }
    return version;
  }

  private List<String> keep(YNode node, FieldPath path) {
    List<String> keep = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "names under /lain/app",
        "a name under /lain/app",
        (item, at, itemPath) ->
            Read.checked(
                    ContainerPaths.relative(item, ContainerPaths.APP_DIR), item, at, itemPath, d)
                .ifPresent(keep::add));
    return keep;
  }

  private List<String> buildVolumes(YNode node, FieldPath path) {
    List<String> volumes = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "absolute paths",
        "an absolute path",
        (item, at, itemPath) ->
            Read.checked(ContainerPaths.absolute(item, false), item, at, itemPath, d)
                .ifPresent(volumes::add));
    return volumes;
  }

  private Optional<ReleaseSpec> release() {
    Optional<YNode> node = top.value("release");
    if (node.isEmpty() && !top.has("release")) {
      return Optional.empty();
    }
    FieldPath path = FieldPath.ROOT.key("release");
    YNode value = node.orElse(nullAt(ownerOf("release")));
    Optional<MapReader> read =
        Read.mapping(value, path, ownerOf("release"), d, "a mapping with dest_base and copy");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    MapReader release = read.get();
    release.rejectUnknownKeys(RELEASE_KEYS);
    String destBase =
        release
            .required("dest_base", "the release image's base image")
            .flatMap(n -> Read.text(n, release.path("dest_base"), d, "an image name"))
            .orElse("");
    List<CopyEntry> copy =
        release
            .required("copy", "a list of paths (or src/dest mappings) copied from the build image")
            .map(n -> copyEntries(n, release.path("copy")))
            .orElse(List.of());
    List<String> script =
        release.value("script").map(n -> commands(n, release.path("script"))).orElse(List.of());
    return Optional.of(new ReleaseSpec(destBase, copy, script));
  }

  private List<CopyEntry> copyEntries(YNode node, FieldPath path) {
    List<CopyEntry> entries = new ArrayList<>();
    Optional<List<YNode>> items = Read.list(node, path, d, "paths or {src, dest} mappings");
    if (items.isEmpty()) {
      return entries;
    }
    for (int i = 0; i < items.get().size(); i++) {
      YNode item = items.get().get(i);
      FieldPath itemPath = path.index(i);
      switch (item) {
        case YNode.Mapping mapping -> {
          MapReader copy = new MapReader(mapping, itemPath, item.at(), d);
          copy.rejectUnknownKeys(COPY_KEYS);
          Optional<String> src =
              copy.required("src", "the path in the build image")
                  .flatMap(n -> copyPath(n, copy.path("src")));
          Optional<String> dest =
              copy.value("dest").isPresent()
                  ? copy.value("dest").flatMap(n -> copyPath(n, copy.path("dest")))
                  : src;
          if (src.isPresent() && dest.isPresent()) {
            entries.add(new CopyEntry(src.get(), dest.get()));
          }
        }
        case YNode.Scalar scalar when !scalar.isNull() ->
            copyPath(item, itemPath).ifPresent(p -> entries.add(new CopyEntry(p, p)));
        default ->
            d.violation(
                itemPath,
                item,
                "must be a path or a mapping with src and dest, got " + Describe.node(item));
      }
    }
    return entries;
  }

  private Optional<String> copyPath(YNode node, FieldPath path) {
    return Read.text(node, path, d, "a path")
        .flatMap(raw -> Read.checked(ContainerPaths.absolute(raw, true), raw, node, path, d));
  }

  private void checkReleaseScriptWithoutBuildVolumes() {
    Optional<YNode> buildVolumes =
        top.value("build")
            .filter(n -> n instanceof YNode.Mapping)
            .flatMap(n -> firstValue((YNode.Mapping) n, "volumes"));
    Optional<YNode> releaseScript =
        top.value("release")
            .filter(n -> n instanceof YNode.Mapping)
            .flatMap(n -> firstValue((YNode.Mapping) n, "script"));
    if (buildVolumes.isPresent() && releaseScript.isPresent()) {
      d.violation(
          FieldPath.ROOT.key("release").key("script"),
          releaseScript.get(),
          "cannot be combined with build.volumes (line "
              + buildVolumes.get().at().line()
              + "): a build with cache volumes is committed from a container and has no"
              + " release script stage; remove one of them");
    }
  }

  private Optional<TestSpec> test() {
    if (!top.has("test")) {
      return Optional.empty();
    }
    FieldPath path = FieldPath.ROOT.key("test");
    YNode value = top.value("test").orElse(nullAt(ownerOf("test")));
    return Read.mapping(value, path, ownerOf("test"), d, "a mapping with script")
        .map(
            test -> {
              test.rejectUnknownKeys(TEST_KEYS);
              return new TestSpec(
                  test.required("script", "a list of shell commands run by lain test")
                      .map(n -> commands(n, test.path("script")))
                      .orElse(List.of()));
            });
  }

  private Map<String, List<String>> useServices() {
    Map<String, List<String>> result = new LinkedHashMap<>();
    FieldPath path = FieldPath.ROOT.key("use_services");
    top.value("use_services")
        .flatMap(
            n ->
                Read.mapping(
                    n,
                    path,
                    ownerOf("use_services"),
                    d,
                    "a mapping of service app to service names"))
        .ifPresent(
            services -> {
              for (YNode.Entry entry : services.entries()) {
                String app = MapReader.keyText(entry);
                checkAppReference(app, entry.key(), services.path(app), "service app");
                result.put(
                    app,
                    names(entry.value(), services.path(app), "service names", "a service name"));
              }
            });
    return result;
  }

  private Map<String, ResourceUse> useResources() {
    Map<String, ResourceUse> result = new LinkedHashMap<>();
    FieldPath path = FieldPath.ROOT.key("use_resources");
    top.value("use_resources")
        .flatMap(
            n ->
                Read.mapping(
                    n,
                    path,
                    ownerOf("use_resources"),
                    d,
                    "a mapping of resource app to {services, parameters}"))
        .ifPresent(
            resources -> {
              for (YNode.Entry entry : resources.entries()) {
                String app = MapReader.keyText(entry);
                FieldPath appPath = resources.path(app);
                checkAppReference(app, entry.key(), appPath, "resource app");
                Read.mapping(
                        entry.value(),
                        appPath,
                        entry.key().at(),
                        d,
                        "a mapping with services and template parameters")
                    .ifPresent(use -> result.put(app, resourceUse(use)));
              }
            });
    return result;
  }

  private ResourceUse resourceUse(MapReader use) {
    List<String> services = List.of();
    Map<String, ResourceParam> params = new LinkedHashMap<>();
    for (YNode.Entry entry : use.entries()) {
      String key = MapReader.keyText(entry);
      FieldPath path = use.path(key);
      if (key.equals(RESOURCE_SERVICES_KEY)) {
        services =
            entry.value() instanceof YNode.Scalar s && s.isNull()
                ? List.of()
                : names(entry.value(), path, "service names", "a service name");
        continue;
      }
      if (entry.value() instanceof YNode.Scalar s && s.kind() == YNode.Kind.INTEGER) {
        Optional<Long> number = Read.integer(s, path, d);
        number.ifPresent(v -> params.put(key, new ResourceParam.Number(v)));
      } else if (entry.value() instanceof YNode.Scalar s && s.kind() == YNode.Kind.STRING) {
        params.put(key, new ResourceParam.Text(s.text()));
      } else {
        d.violation(
            path,
            entry.value(),
            "must be a string or an integer (a template parameter), got "
                + Describe.node(entry.value()));
      }
    }
    return new ResourceUse(services, params);
  }

  private void checkAppReference(String app, YNode at, FieldPath path, String what) {
    AppNames.appnameProblem(app)
        .ifPresent(p -> d.violation(path, at, what + " name " + Describe.quote(app) + " " + p));
  }

  private List<String> names(YNode node, FieldPath path, String items, String item) {
    List<String> names = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        items,
        item,
        (name, at, itemPath) -> {
          Optional<String> problem = AppNames.procNameProblem(name);
          if (problem.isPresent()) {
            d.violation(itemPath, at, Describe.quote(name) + " " + problem.get());
          } else {
            names.add(name);
          }
        });
    return names;
  }

  /**
   * Clients resolve service and resource names alike by plain name, so one app cannot use the same
   * name twice (LAIN's {@code lain validate} checks this).
   */
  private void checkServiceAndResourceNamesDistinct() {
    Map<String, String> firstUse = new HashMap<>();
    forEachUsedName(
        "use_services", false, (name, path, at) -> rememberOrReport(firstUse, name, path, at));
    forEachUsedName(
        "use_resources", true, (name, path, at) -> rememberOrReport(firstUse, name, path, at));
  }

  private void rememberOrReport(
      Map<String, String> firstUse, String name, FieldPath path, YNode at) {
    String earlier = firstUse.putIfAbsent(name, path.text() + " (line " + at.at().line() + ")");
    if (earlier != null) {
      d.violation(
          path,
          at,
          Describe.quote(name)
              + " is already used at "
              + earlier
              + "; the service and resource names an app uses must be distinct");
    }
  }

  private interface NameVisitor {
    void visit(String name, FieldPath path, YNode at);
  }

  private void forEachUsedName(String key, boolean resources, NameVisitor visitor) {
    Optional<YNode> section = top.value(key);
    if (!(section.orElse(null) instanceof YNode.Mapping mapping)) {
      return;
    }
    Map<String, Boolean> seenApps = new HashMap<>();
    for (YNode.Entry entry : mapping.entries()) {
      if (!(entry.key() instanceof YNode.Scalar appKey)
          || seenApps.putIfAbsent(appKey.text(), true) != null) {
        continue;
      }
      FieldPath appPath = FieldPath.ROOT.key(key).key(appKey.text());
      YNode list = entry.value();
      if (resources) {
        if (!(list instanceof YNode.Mapping use)) {
          continue;
        }
        Optional<YNode> services = firstValue(use, RESOURCE_SERVICES_KEY);
        if (services.isEmpty()) {
          continue;
        }
        list = services.get();
        appPath = appPath.key(RESOURCE_SERVICES_KEY);
      }
      if (list instanceof YNode.Sequence sequence) {
        for (int i = 0; i < sequence.items().size(); i++) {
          if (sequence.items().get(i) instanceof YNode.Scalar s && !s.isNull()) {
            visitor.visit(s.text(), appPath.index(i), s);
          }
        }
      }
    }
  }

  private NotifySpec notifications() {
    FieldPath path = FieldPath.ROOT.key("notify");
    return top.value("notify")
        .flatMap(
            n -> Read.mapping(n, path, ownerOf("notify"), d, "a mapping with slack or bearychat"))
        .map(
            notify -> {
              notify.rejectUnknownKeys(NOTIFY_KEYS);
              String slack =
                  notify
                      .value("slack")
                      .flatMap(n -> Read.text(n, notify.path("slack"), d, "a channel name"))
                      .orElse("");
              String bearychat =
                  notify
                      .value("bearychat")
                      .flatMap(n -> Read.text(n, notify.path("bearychat"), d, "a channel name"))
                      .orElse("");
              return new NotifySpec(slack, bearychat);
            })
        .orElse(NotifySpec.NONE);
  }

  // ---- shared pieces ----

  /** Shell commands: any scalar is taken as written ({@code - true} is a valid command). */
  private List<String> commands(YNode node, FieldPath path) {
    return Read.texts(node, path, d, "shell commands", "a shell command");
  }

  /** {@code KEY=VALUE} items, keys unique: {@code build_arg} here, {@code env} in procs. */
  private Map<String, String> keyValues(YNode node, FieldPath path, String what) {
    return KeyValues.read(node, path, d, what);
  }

  private Optional<String> text(YNode node, String key, String expected) {
    return Read.text(node, FieldPath.ROOT.key(key), d, expected);
  }

  private Position ownerOf(String key) {
    return top.keyNode(key).map(YNode::at).orElse(root.at());
  }

  private static YNode nullAt(Position at) {
    return new YNode.Scalar("", YNode.Kind.NULL, true, at);
  }

  /** The first value of {@code key} in a raw mapping, unless null. */
  static Optional<YNode> firstValue(YNode.Mapping mapping, String key) {
    for (YNode.Entry entry : mapping.entries()) {
      if (entry.key() instanceof YNode.Scalar s && s.text().equals(key)) {
        return entry.value() instanceof YNode.Scalar v && v.isNull()
            ? Optional.empty()
            : Optional.of(entry.value());
      }
    }
    return Optional.empty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
