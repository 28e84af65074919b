package dev.lain.spec;

import static dev.lain.spec.Manifests.spec;
import static dev.lain.spec.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.ClusterDomains;
import dev.lain.model.deploy.MemorySize;
import dev.lain.model.web.DeclaredMountpoint;
import dev.lain.model.web.Mountpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidManifestTest {
  private static final String BASE =
      """
      appname: hello
      build:
        base: golang
        script: [go build]
      """;

  private static final ClusterDomains WITH_EXTRA_DOMAIN =
      new ClusterDomains("lain.local", List.of("example.com"));

  private static ProcSpec only(String snippet) {
    AppSpec app = spec(BASE + snippet);
    assertThat(app.procs()).hasSize(1);
    return app.procs().getFirst();
  }

  @Test
  void everyProcKeyFormYieldsItsTypeNameAndPodGroup() {
    AppSpec app =
        spec(
            BASE
                + """
                web:
                  cmd: ./web
                worker:
                  cmd: ./worker
                oneshot:
                  cmd: ./once
                web.admin:
                  mountpoint: [admin.example.com]
                worker.sync:
                  cmd: ./sync
                oneshot.migrate:
                  cmd: ./migrate
                proc.api:
                  type: web
                  mountpoint: [api.example.com]
                proc.queue:
                  type: worker
                proc.backfill:
                  type: oneshot
                proc.gateway:
                  type: portal
                  service_name: gateway
                proc.plain: {}
                portal.cache:
                  service_name: cache
                  port: 6380
                service.redis:
                  cmd: redis-server
                  port: 6379
                """);

    assertThat(app.procs())
        .extracting(p -> p.key() + " -> " + app.podGroupName(p))
        .containsExactly(
            "web -> hello.web.web",
            "worker -> hello.worker.worker",
            "oneshot -> hello.oneshot.oneshot",
            "web.admin -> hello.web.admin",
            "worker.sync -> hello.worker.sync",
            "oneshot.migrate -> hello.oneshot.migrate",
            "proc.api -> hello.web.api",
            "proc.queue -> hello.worker.queue",
            "proc.backfill -> hello.oneshot.backfill",
            "proc.gateway -> hello.portal.gateway",
            "proc.plain -> hello.worker.plain",
            "portal.cache -> hello.portal.cache",
            "service.redis -> hello.worker.redis",
            "service.redis -> hello.portal.portal-redis");
    assertThat(app.proc("cache").orElseThrow().portal())
        .contains(new PortalSettings("cache", "**"));
    assertThat(app.proc("gateway").orElseThrow().portal())
        .contains(new PortalSettings("gateway", "**"));
  }

  @Test
  void webProcGetsLainsDefaults() {
    ProcSpec web = only("web:\n  cmd: ./web\n");

    assertThat(web.type()).isEqualTo(ProcType.WEB);
    assertThat(web.port()).contains(new Port(80, Protocol.TCP));
    assertThat(web.memory()).isEqualTo(new MemorySize("32m", 32L << 20));
    assertThat(web.numInstances()).isEqualTo(1);
    assertThat(web.cpu()).isZero();
    assertThat(web.volumes()).containsExactly(new Volume("/lain/logs", List.of()));
    assertThat(web.filters()).extracting(Filter::text).containsExactly("constraint:group==default");
    assertThat(web.dnsSearch()).containsExactly("hello.lain");
    assertThat(web.setupTimeSeconds()).isZero();
    assertThat(web.killTimeoutSeconds()).isEqualTo(10);
    assertThat(web.entrypoint()).isEqualTo(Command.INHERIT);
    assertThat(web.cmd()).isEqualTo(new Command.Override(List.of("./web")));
    assertThat(web.image()).isEmpty();
    assertThat(web.user()).isEmpty();
    assertThat(web.workdir()).isEmpty();
    assertThat(web.httpsOnly()).isFalse();
    assertThat(web.healthcheck()).isEmpty();
    assertThat(web.portal()).isEmpty();
    assertThat(web.stateful()).isFalse();
  }

  @Test
  void procWithNoBodyIsAProcWithDefaults() {
    ProcSpec worker = only("worker:\n");

    assertThat(worker.name()).isEqualTo("worker");
    assertThat(worker.port()).isEmpty();
    assertThat(worker.memory()).isEqualTo(MemorySize.DEFAULT);
  }

  @Test
  void workerHasNoPortUnlessWritten() {
    assertThat(only("worker:\n  cmd: x\n").port()).isEmpty();
    assertThat(only("worker:\n  port: 8080\n").port()).contains(new Port(8080, Protocol.TCP));
  }

  @Test
  void portAcceptsTheProtocolForms() {
    assertThat(only("worker:\n  port: \"53:udp\"\n").port()).contains(new Port(53, Protocol.UDP));
    assertThat(only("worker:\n  port: \"80:tcp\"\n").port()).contains(new Port(80, Protocol.TCP));
    assertThat(only("worker:\n  port: {53: [\"type:udp\"]}\n").port())
        .contains(new Port(53, Protocol.UDP));
  }

  @Test
  void streamPortsDefaultTheirDestinationAndProtocol() {
    ProcSpec worker =
        only(
            "worker:\n  ports:\n    9501: {}\n    9502:53/udp:\n    \"9503:8080\": {send: ping}\n");

    assertThat(worker.ports())
        .containsExactly(
            new StreamPort(9501, 9501, Protocol.TCP, Map.of()),
            new StreamPort(9502, 53, Protocol.UDP, Map.of()),
            new StreamPort(9503, 8080, Protocol.TCP, Map.of("send", "ping")));
  }

  @Test
  void memoryKeepsTheTextAndTheBytes() {
    assertThat(only("worker:\n  memory: 1G\n").memory()).isEqualTo(new MemorySize("1G", 1L << 30));
    assertThat(only("worker:\n  memory: 6m\n").memory().bytes()).isEqualTo(6L << 20);
  }

  @Test
  void theProcNamedWebGetsDefaultMountpointsForEveryClusterDomain() {
    AppSpec app = spec(BASE + "web:\n  cmd: x\n");
    ProcSpec web = app.procs().getFirst();

    assertThat(app.mountpoints(web, ClusterDomains.DEFAULT))
        .extracting(Mountpoint::text)
        .containsExactly("hello.lain.local", "hello.lain");
    assertThat(app.mountpoints(web, WITH_EXTRA_DOMAIN))
        .extracting(Mountpoint::text)
        .containsExactly("hello.lain.local", "hello.example.com", "hello.lain");
  }

  @Test
  void relativeMountpointIsExpandedUnderEachDefaultMountpoint() {
    AppSpec app = spec(BASE + "web:\n  mountpoint:\n    - /admin/\n    - Blog.Example.COM/news\n");
    ProcSpec web = app.procs().getFirst();

    assertThat(web.mountpoints())
        .containsExactly(
            new DeclaredMountpoint.Relative("/admin"),
            new DeclaredMountpoint.Absolute(new Mountpoint("blog.example.com", "/news")));
    assertThat(app.mountpoints(web, WITH_EXTRA_DOMAIN))
        .extracting(Mountpoint::text)
        .containsExactly(
            "hello.lain.local/admin",
            "hello.example.com/admin",
            "hello.lain/admin",
            "blog.example.com/news",
            "hello.lain.local",
            "hello.example.com",
            "hello.lain");
  }

  @Test
  void webProcNotNamedWebGetsOnlyItsDeclaredMountpoints() {
    AppSpec app = spec(BASE + "web.admin:\n  mountpoint: [admin.example.com, example.com/admin]\n");
    ProcSpec admin = app.procs().getFirst();

    assertThat(app.mountpoints(admin, WITH_EXTRA_DOMAIN))
        .containsExactly(
            new Mountpoint("admin.example.com", ""), new Mountpoint("example.com", "/admin"));
  }

  @Test
  void procsThatAreNotWebProcsHaveNoMountpoints() {
    AppSpec app = spec(BASE + "worker:\n  cmd: x\n");

    assertThat(app.mountpoints(app.procs().getFirst(), ClusterDomains.DEFAULT)).isEmpty();
  }

  @Test
  void resourceInstanceAppdomainIsTheReversedName() {
    AppSpec app =
        spec(
            """
            appname: resource.redis.myapp
            build:
              base: redis
              script: []
            web:
              cmd: redis-server
            """);
    ProcSpec web = app.procs().getFirst();

    assertThat(app.appdomain()).isEqualTo("myapp.redis.resource");
    assertThat(app.podGroupName(web)).isEqualTo("resource.redis.myapp.web.web");
    assertThat(app.mountpoints(web, ClusterDomains.DEFAULT))
        .extracting(Mountpoint::text)
        .containsExactly("myapp.redis.resource.lain.local", "myapp.redis.resource.lain");
    assertThat(web.dnsSearch()).containsExactly("myapp.redis.resource.lain");
  }

  @Test
  void serviceShorthandExpandsToAWorkerAndItsPortal() {
    AppSpec app =
        spec(
            BASE
                + """
                service.redis:
                  cmd: redis-server
                  port: 6379
                  memory: 256m
                  portal:
                    cmd: ./portal
                    memory: 64m
                    allow_clients: "**"
                """);

    ProcSpec redis = app.proc("redis").orElseThrow();
    ProcSpec portal = app.proc("portal-redis").orElseThrow();
    assertThat(redis.type()).isEqualTo(ProcType.WORKER);
    assertThat(redis.memory().text()).isEqualTo("256m");
    assertThat(redis.portal()).isEmpty();
    assertThat(portal.type()).isEqualTo(ProcType.PORTAL);
    assertThat(portal.key()).isEqualTo("service.redis");
    assertThat(portal.portal()).contains(new PortalSettings("redis", "**"));
    assertThat(portal.port())
        .as("defaults to the service's port")
        .contains(new Port(6379, Protocol.TCP));
    assertThat(portal.memory().text()).isEqualTo("64m");
    assertThat(portal.cmd()).isEqualTo(new Command.Override(List.of("./portal")));
    assertThat(app.podGroupName(portal)).isEqualTo("hello.portal.portal-redis");
  }

  @Test
  void servicePortalMayListenOnItsOwnPort() {
    AppSpec app = spec(BASE + "service.redis:\n  port: 6379\n  portal:\n    port: 6380\n");

    assertThat(app.proc("portal-redis").orElseThrow().port())
        .contains(new Port(6380, Protocol.TCP));
  }

  @Test
  void setupTimeAndKillTimeoutAreClampedWithAWarning() {
    ValidationResult.Valid result =
        valid(
            BASE
                + "worker:\n  setup_time: 500\n  kill_timeout: 5\nworker.b:\n  setup_time: -3\n  kill_timeout: 100\n");
    AppSpec app = result.spec();

    assertThat(app.proc("worker").orElseThrow().setupTimeSeconds()).isEqualTo(120);
    assertThat(app.proc("worker").orElseThrow().killTimeoutSeconds()).isEqualTo(10);
    assertThat(app.proc("b").orElseThrow().setupTimeSeconds()).isZero();
    assertThat(app.proc("b").orElseThrow().killTimeoutSeconds()).isEqualTo(60);
    assertThat(result.warnings())
        .extracting(d -> d.path() + " @" + d.line() + ":" + d.column())
        .containsExactly(
            "procs worker.setup_time @6:15",
            "procs worker.kill_timeout @7:17",
            "procs worker.b.setup_time @9:15",
            "procs worker.b.kill_timeout @10:17");
    assertThat(result.warnings().getFirst().message()).contains("500", "0..120", "LAIN uses 120");
  }

  @Test
  void containerHealthcheckBelowDeploydMinimumsIsRaisedWithAWarning() {
    ValidationResult.Valid result =
        valid(
            BASE
                + """
                worker:
                  container_healthcheck:
                    cmd: pgrep worker
                    options: {interval: 2, timeout: 1, retries: 1}
                """);

    assertThat(result.spec().procs().getFirst().containerHealthcheck())
        .contains(new ContainerHealthcheck("pgrep worker", 10, 3, 3));
    assertThat(result.warnings())
        .extracting(Diagnostic::path)
        .containsExactly(
            "procs worker.container_healthcheck.options.interval",
            "procs worker.container_healthcheck.options.timeout",
            "procs worker.container_healthcheck.options.retries");
    assertThat(result.warnings().getFirst().message()).contains("minimum of 10 seconds");
  }

  @Test
  void containerHealthcheckNoneDisablesTheImagesCheck() {
    ContainerHealthcheck check =
        only("worker:\n  container_healthcheck:\n    cmd: none\n")
            .containerHealthcheck()
            .orElseThrow();

    assertThat(check.disabled()).isTrue();
    assertThat(check.intervalSeconds()).isEqualTo(ContainerHealthcheck.MIN_INTERVAL);
  }

  @Test
  void webOnlyFieldsOnAWorkerAreIgnoredWithAWarning() {
    ValidationResult.Valid result =
        valid(BASE + "worker:\n  mountpoint: [a.com]\n  https_only: true\n  healthcheck: /x\n");

    ProcSpec worker = result.spec().procs().getFirst();
    assertThat(worker.mountpoints()).isEmpty();
    assertThat(worker.httpsOnly()).isFalse();
    assertThat(result.warnings())
        .extracting(Diagnostic::path)
        .containsExactly(
            "procs worker.mountpoint", "procs worker.https_only", "procs worker.healthcheck");
    assertThat(result.warnings().getFirst().message()).contains("only web procs");
  }

  @Test
  void portalOnlyFieldsOnAWebProcAreIgnoredWithAWarning() {
    ValidationResult.Valid result = valid(BASE + "web:\n  service_name: x\n");

    assertThat(result.warnings())
        .extracting(Diagnostic::path)
        .containsExactly("procs web.service_name");
  }

  @Test
  void appWithoutProcsIsValidWithAWarning() {
    ValidationResult.Valid result = valid(BASE);

    assertThat(result.spec().procs()).isEmpty();
    assertThat(result.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.message()).contains("no procs");
              assertThat(w.line()).isEqualTo(1);
            });
  }

  @Test
  void groupFilterSuppressesTheDefaultGroupButAffinityDoesNot() {
    assertThat(only("worker:\n  filters: [\"constraint:group!=gpu\"]\n").filters())
        .extracting(Filter::text)
        .containsExactly("constraint:group!=gpu");
    assertThat(only("worker:\n  filters: [\"affinity:proctype!=~router\"]\n").filters())
        .extracting(Filter::text)
        .containsExactly("affinity:proctype!=~router", "constraint:group==default");
  }

  @Test
  void volumePathsAreNormalisedUnderTheAppDirectory() {
    ProcSpec worker = only("worker:\n  volumes: [data, ./cache/, /var//lib/x/., /lain/logs]\n");

    assertThat(worker.volumes())
        .extracting(Volume::path)
        .containsExactly("/lain/app/data", "/lain/app/cache", "/var/lib/x", "/lain/logs");
  }

  @Test
  void persistentDirsIsTheOldNameOfVolumes() {
    assertThat(only("worker:\n  persistent_dirs: [/data]\n").volumes())
        .extracting(Volume::path)
        .containsExactly("/data", "/lain/logs");
  }

  @Test
  void volumeBackupsAreRead() {
    ProcSpec worker =
        only(
            """
            worker:
              volumes:
                - /data:
                    backup_full:
                      schedule: "0 3 * * *"
                      expire: 10d
                    backup_increment:
                      schedule: "*/30 * * * *"
                      expire: 10h
                      pre_run: sync
                      post_run: echo done
            """);

    assertThat(worker.volumes().getFirst().backups())
        .containsExactly(
            new Backup(BackupMode.FULL, "0 3 * * *", "10d", "", ""),
            new Backup(BackupMode.INCREMENT, "*/30 * * * *", "10h", "sync", "echo done"));
  }

  @Test
  void cloudVolumesDefaultToOneDirectoryPerInstance() {
    assertThat(only("worker:\n  cloud_volumes:\n    dirs: [shared]\n").cloudVolumes())
        .contains(new CloudVolumes(CloudVolumes.Type.MULTI, List.of("/lain/app/shared")));
  }

  @Test
  void secretFilesAndLogsAreNormalised() {
    ProcSpec worker = only("worker:\n  secret_files: [conf/./app.ini]\n  logs: [./a/b.log]\n");

    assertThat(worker.secretFiles()).containsExactly("/lain/app/conf/app.ini");
    assertThat(worker.logs()).containsExactly("a/b.log");
  }

  @Test
  void shellFormCommandsAreSplitAndAnEmptyEntrypointIsKept() {
    ProcSpec worker = only("worker:\n  entrypoint: []\n  cmd: \"  python   run.py --fast \"\n");

    assertThat(worker.entrypoint()).isEqualTo(new Command.Override(List.of()));
    assertThat(worker.cmd()).isEqualTo(new Command.Override(List.of("python", "run.py", "--fast")));
  }

  @Test
  void workingDirIsAnotherNameForWorkdir() {
    assertThat(only("worker:\n  working_dir: /srv\n").workdir()).isEqualTo("/srv");
    assertThat(only("worker:\n  workdir: /srv\n").workdir()).isEqualTo("/srv");
  }

  @Test
  void envAndLabelsKeepDocumentOrder() {
    ProcSpec worker =
        only("worker:\n  env: [B=2, A=1, EMPTY=, URL=a=b]\n  labels: [\"z:1\", \"a:2\"]\n");

    assertThat(worker.env())
        .containsExactly(
            Map.entry("B", "2"),
            Map.entry("A", "1"),
            Map.entry("EMPTY", ""),
            Map.entry("URL", "a=b"));
    assertThat(worker.labels()).containsExactly(Map.entry("z", "1"), Map.entry("a", "2"));
  }

  @Test
  void dnsSearchAlwaysEndsWithTheAppsOwnDomain() {
    assertThat(only("worker:\n  dns_search: [Example.com]\n").dnsSearch())
        .containsExactly("example.com", "hello.lain");
  }

  @Test
  void giturlIsNormalisedAsConsoleDoes() {
    assertThat(spec(BASE + "giturl: github.com/laincloud/hello.git\n").giturl())
        .isEqualTo("http://github.com/laincloud/hello");
    assertThat(spec(BASE + "giturl: https://github.com/laincloud/hello\n").giturl())
        .isEqualTo("https://github.com/laincloud/hello");
    assertThat(spec(BASE).giturl()).isEmpty();
  }

  @Test
  void yamlMergeKeysShareSettingsBetweenProcs() {
    AppSpec app =
        spec(
            BASE
                + """
                worker.a: &common
                  memory: 64m
                  env: [MODE=a]
                worker.b:
                  <<: *common
                  env: [MODE=b]
                """);

    assertThat(app.proc("b").orElseThrow().memory().text()).isEqualTo("64m");
    assertThat(app.proc("b").orElseThrow().env()).containsExactly(Map.entry("MODE", "b"));
  }

  @Test
  void yesIsAnOrdinaryStringWhereAStringIsExpected() {
    assertThat(only("worker:\n  user: yes\n  env: [FLAG=yes]\n").user()).isEqualTo("yes");
  }

  @Test
  void oldPrepareListFormHasNoVersion() {
    AppSpec app = spec(Manifests.CONSOLE);

    assertThat(app.build().prepare())
        .contains(new PrepareSpec("", List.of("pip install -r pip-req.txt"), List.of()));
  }

  @Test
  void helloWorldValidates() {
    ValidationResult.Valid result = valid(Manifests.HELLO_WORLD);
    AppSpec app = result.spec();

    assertThat(result.warnings()).isEmpty();
    assertThat(app.appname()).isEqualTo("hello-world");
    assertThat(app.apptype()).isEqualTo(AppType.APP);
    assertThat(app.release().orElseThrow().copy())
        .containsExactly(new CopyEntry("/lain/app/hello-world", "/usr/bin/hello-world"));
    assertThat(app.test()).contains(new TestSpec(List.of("go test")));
    ProcSpec web = app.procs().getFirst();
    assertThat(web.port()).contains(new Port(8080, Protocol.TCP));
    assertThat(web.healthcheck()).isEqualTo("/ping");
    assertThat(app.mountpoints(web, ClusterDomains.DEFAULT))
        .extracting(Mountpoint::text)
        .containsExactly("hello-world.lain.local", "hello-world.lain");
  }

  @Test
  void registryValidates() {
    AppSpec app = spec(Manifests.REGISTRY);

    assertThat(app.giturl()).isEqualTo("http://github.com/laincloud/registry");
    assertThat(app.build().prepare())
        .contains(
            new PrepareSpec(
                "2",
                List.of("go get github.com/docker/distribution/cmd/registry"),
                List.of("vendor")));
    assertThat(app.release().orElseThrow().copy())
        .containsExactly(
            new CopyEntry("/go/bin/registry", "/usr/bin/registry"),
            new CopyEntry("/lain/app/config.yml", "/lain/app/config.yml"));
    ProcSpec web = app.procs().getFirst();
    assertThat(web.stateful()).isTrue();
    assertThat(web.numInstances()).isEqualTo(2);
    assertThat(web.secretFiles()).containsExactly("/lain/app/auth/htpasswd");
    assertThat(web.volumes())
        .extracting(Volume::path)
        .containsExactly("/var/lib/registry", "/lain/logs");
    assertThat(web.volumes().getFirst().backups())
        .containsExactly(new Backup(BackupMode.FULL, "0 3 * * *", "10d", "sync", ""));
  }

  @Test
  void consoleValidates() {
    ValidationResult.Valid result = valid(Manifests.CONSOLE);
    AppSpec app = result.spec();

    assertThat(result.warnings()).isEmpty();
    assertThat(app.build().buildArgs())
        .containsExactly(Map.entry("PIP_INDEX", "https://pypi.example.com/simple"));
    assertThat(app.useServices()).containsExactly(Map.entry("redis-service", List.of("redis")));
    assertThat(app.useResources().get("mysql"))
        .isEqualTo(
            new ResourceUse(
                List.of("mysql-master"),
                Map.of(
                    "memory", new ResourceParam.Text("256m"),
                    "port", new ResourceParam.Number(3306))));
    assertThat(app.notifications()).isEqualTo(new NotifySpec("#lain", ""));
    ProcSpec web = app.proc("web").orElseThrow();
    assertThat(web.httpsOnly()).isTrue();
    assertThat(web.cpu()).isEqualTo(2);
    assertThat(web.setupTimeSeconds()).isEqualTo(40);
    assertThat(web.killTimeoutSeconds()).isEqualTo(30);
    assertThat(web.containerHealthcheck())
        .contains(new ContainerHealthcheck("curl -f localhost:8000/api/v1/", 30, 5, 3));
    assertThat(web.filters())
        .extracting(Filter::text)
        .containsExactly("constraint:group==infra", "affinity:proctype!=~router");
    assertThat(app.mountpoints(web, WITH_EXTRA_DOMAIN))
        .extracting(Mountpoint::text)
        .containsExactly(
            "console.lain.local/api",
            "console.example.com/api",
            "console.lain/api",
            "console.lain.local",
            "console.example.com",
            "console.lain");
    assertThat(app.podGroupName(app.proc("sync").orElseThrow())).isEqualTo("console.worker.sync");
  }

  @Test
  void resourceAppsAreMarkedAsTemplates() {
    assertThat(spec(BASE + "apptype: resource\n").apptype()).isEqualTo(AppType.RESOURCE);
  }

  @Test
  void scalingChangesOneField() {
    ProcSpec web = only("web:\n  cmd: x\n");

    ProcSpec scaled = web.withNumInstances(3).withCpu(4).withMemory(new MemorySize("1g", 1L << 30));
    assertThat(scaled.numInstances()).isEqualTo(3);
    assertThat(scaled.cpu()).isEqualTo(4);
    assertThat(scaled.memory().text()).isEqualTo("1g");
    assertThat(scaled.withImage("registry.lain.local/hello:release-1").image())
        .isEqualTo(Optional.of("registry.lain.local/hello:release-1"));
    assertThat(scaled.cmd()).isEqualTo(web.cmd());
  }
}
