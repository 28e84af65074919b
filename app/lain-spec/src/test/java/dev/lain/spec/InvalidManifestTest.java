package dev.lain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.AppNames;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule per row: each manifest breaks exactly one lain.yaml rule, and validation reports exactly
 * that violation, with its path, the words that explain it, and the line:column of the offending
 * node.
 */
class InvalidManifestTest {

  /** Four lines that make a valid app; proc snippets start on line 5. */
  private static final String BASE =
      """
      appname: hello
      build:
        base: golang
        script: [go build]
      """;

  private static final String BUILD =
      """
      build:
        base: golang
        script: [go build]
      """;

  record Case(String yaml, String path, int line, int column, List<String> words) {}

  private static Arguments rule(
      String behaviour, String yaml, String path, int line, int column, String... words) {
    return Arguments.of(behaviour, new Case(yaml, path, line, column, List.of(words)));
  }

  private static Arguments proc(
      String behaviour, String snippet, String path, int line, int column, String... words) {
    return rule(behaviour, BASE + snippet, path, line, column, words);
  }

  static Stream<Arguments> manifests() {
    return Stream.of(
        // ---- top level ----
        rule("appnameIsRequired", BUILD, "appname", 1, 1, "is required"),
        rule("buildIsRequired", "appname: hello\n", "build", 1, 1, "is required", "base", "script"),
        rule(
            "buildNeedsABaseImage",
            "appname: hello\nbuild:\n  script: [go build]\n",
            "build.base",
            2,
            1,
            "is required",
            "base image"),
        rule(
            "buildNeedsAScript",
            "appname: hello\nbuild:\n  base: golang\n",
            "build.script",
            2,
            1,
            "is required",
            "shell commands"),
        rule(
            "buildScriptMustBeAList",
            "appname: hello\nbuild:\n  base: golang\n  script: go build\n",
            "build.script",
            4,
            11,
            "must be a list of shell commands",
            "the string \"go build\""),
        rule(
            "appnameMustMatchThePattern",
            "appname: hello_world\n" + BUILD,
            "appname",
            1,
            10,
            "\"hello_world\"",
            "must match",
            AppNames.NAME_REGEX),
        rule(
            "appnameMustNotBeReserved",
            "appname: service\n" + BUILD,
            "appname",
            1,
            10,
            "\"service\"",
            "reserved"),
        rule(
            "appnameHasAtMost63Characters",
            "appname: " + "a".repeat(64) + "\n" + BUILD,
            "appname",
            1,
            10,
            "longer than 63"),
        rule(
            "apptypeIsAppOrResource",
            "appname: hello\napptype: application\n" + BUILD,
            "apptype",
            2,
            10,
            "\"application\"",
            "app or resource"),
        rule(
            "misspelledTopLevelKeyGetsASuggestion",
            BASE + "apname: x\n",
            "apname",
            5,
            1,
            "unknown key \"apname\"",
            "did you mean \"appname\"?"),
        rule(
            "procLikeTypoGetsTheProcKeyForms",
            BASE + "webs:\n  cmd: x\n",
            "webs",
            5,
            1,
            "did you mean \"web\"?",
            "proc keys are",
            "portal.<name>"),
        rule(
            "bareProcWordNeedsAName",
            BASE + "portal:\n  service_name: x\n",
            "portal",
            5,
            1,
            "a portal proc needs a name, e.g. portal.<name>"),
        rule(
            "procsTypoSuggestsTheNamedForm",
            BASE + "procs:\n  cmd: x\n",
            "procs",
            5,
            1,
            "did you mean \"proc.<name>\"?"),
        rule(
            "underscoreProcKeySuggestsTheDottedForm",
            BASE + "web_admin:\n  cmd: x\n",
            "web_admin",
            5,
            1,
            "did you mean \"web.admin\"?"),
        rule(
            "unknownProcFormGetsTheProcKeyForms",
            BASE + "job.x:\n  cmd: x\n",
            "job.x",
            5,
            1,
            "unknown key \"job.x\"",
            "proc keys are"),
        rule(
            "duplicateTopLevelKeyIsAViolation",
            BASE + "appname: other\n",
            "appname",
            5,
            1,
            "duplicate key \"appname\"",
            "first at line 1"),
        rule(
            "nonStringKeyIsAViolation",
            BASE + "? [a]\n: b\n",
            "",
            5,
            3,
            "keys must be plain strings",
            "a list"),
        rule(
            "prepareVersionIsLettersAndDigits",
            """
            appname: hello
            build:
              base: golang
              prepare:
                version: "1.0"
                script: [make deps]
              script: [go build]
            """,
            "build.prepare.version",
            5,
            14,
            "\"1.0\"",
            "^[a-zA-Z0-9]+$"),
        rule(
            "prepareMappingNeedsAScript",
            """
            appname: hello
            build:
              base: golang
              prepare:
                version: 3
              script: [go build]
            """,
            "build.prepare.script",
            4,
            3,
            "is required"),
        rule(
            "prepareIsAListOrAMapping",
            """
            appname: hello
            build:
              base: golang
              prepare: make deps
              script: [go build]
            """,
            "build.prepare",
            4,
            12,
            "must be a list of commands or a mapping with version, script and keep"),
        rule(
            "buildVolumesAreAbsolute",
            """
            appname: hello
            build:
              base: golang
              script: [go build]
              volumes: [cache]
            """,
            "build.volumes[0]",
            5,
            13,
            "\"cache\"",
            "absolute path"),
        rule(
            "releaseScriptCannotBeCombinedWithBuildVolumes",
            """
            appname: hello
            build:
              base: golang
              script: [go build]
              volumes: [/cache]
            release:
              dest_base: busybox
              copy: [app]
              script: [strip app]
            """,
            "release.script",
            9,
            11,
            "build.volumes",
            "line 5"),
        rule(
            "releaseNeedsADestBase",
            BASE + "release:\n  copy: [app]\n",
            "release.dest_base",
            5,
            1,
            "is required"),
        rule(
            "releaseNeedsACopyList",
            BASE + "release:\n  dest_base: busybox\n",
            "release.copy",
            5,
            1,
            "is required"),
        rule(
            "copySourceMustNotClimbOut",
            BASE
                + "release:\n  dest_base: busybox\n  copy:\n    - src: ../secret\n      dest: /x\n",
            "release.copy[0].src",
            8,
            12,
            "\"../secret\"",
            "'..'"),
        rule(
            "copyEntryTypoGetsASuggestion",
            BASE + "release:\n  dest_base: busybox\n  copy:\n    - src: app\n      dst: /x\n",
            "release.copy[0].dst",
            9,
            7,
            "did you mean \"dest\"?"),
        rule("testNeedsAScript", BASE + "test: {}\n", "test.script", 5, 1, "is required"),
        rule(
            "serviceAndResourceNamesAreDistinct",
            BASE
                + "use_services:\n  redis-service: [redis]\n"
                + "use_resources:\n  redis:\n    services: [redis]\n",
            "use_resources.redis.services[0]",
            9,
            16,
            "\"redis\"",
            "already used at use_services.redis-service[0]",
            "distinct"),
        rule(
            "resourceParametersAreStringsOrIntegers",
            BASE + "use_resources:\n  redis:\n    debug: true\n",
            "use_resources.redis.debug",
            7,
            12,
            "must be a string or an integer"),
        rule(
            "notifyTypoGetsASuggestion",
            BASE + "notify:\n  slak: '#ops'\n",
            "notify.slak",
            6,
            3,
            "did you mean \"slack\"?"),

        // ---- procs ----
        proc(
            "webProcNotNamedWebNeedsAMountpoint",
            "web.admin:\n  cmd: ./admin\n",
            "procs web.admin",
            5,
            1,
            "mountpoint required for a web proc not named web"),
        proc(
            "memoryMustMatchTheSizePattern",
            "web:\n  memory: 32x\n",
            "procs web.memory",
            6,
            11,
            "\"32x\" must match <n>[mMgG], e.g. 256m or 1g"),
        proc(
            "memoryBelowDockersMinimumIsRefused",
            "worker:\n  memory: 4m\n",
            "procs worker.memory",
            6,
            11,
            "\"4m\"",
            "below docker's minimum of 6m"),
        proc("cpuLevelIsAtMostEight", "worker:\n  cpu: 9\n", "procs worker.cpu", 6, 8, "9", "0..8"),
        proc(
            "numInstancesIsNotNegative",
            "worker:\n  num_instances: -1\n",
            "procs worker.num_instances",
            6,
            18,
            "-1",
            "0 or more"),
        proc(
            "quotedNumberIsNotAnInteger",
            "worker:\n  num_instances: \"2\"\n",
            "procs worker.num_instances",
            6,
            18,
            "must be an integer",
            "without quotes"),
        proc(
            "portIsWithinTheTcpRange",
            "web:\n  port: 70000\n",
            "procs web.port",
            6,
            9,
            "70000",
            "1..65535"),
        proc(
            "portProtocolIsTcpOrUdp",
            "worker:\n  port: \"80:sctp\"\n",
            "procs worker.port",
            6,
            9,
            "\"80:sctp\"",
            "\"80:tcp\""),
        proc(
            "portMappingAttributesAreTypeTcpOrUdp",
            "worker:\n  port:\n    53: [\"type:tcp\", \"type:sctp\"]\n",
            "procs worker.port.53[1]",
            7,
            22,
            "\"type:sctp\"",
            "\"type:tcp\" or \"type:udp\""),
        proc(
            "streamPortSourceIsInStreamroutersRange",
            "worker:\n  ports:\n    8000:80: {}\n",
            "procs worker.ports.8000:80",
            7,
            5,
            "8000",
            "9500..10000"),
        proc(
            "streamPortSourceIsUnique",
            "worker:\n  ports:\n    9501:80: {}\n    9501/udp: {}\n",
            "procs worker.ports.9501/udp",
            8,
            5,
            "9501",
            "already mapped at line 7"),
        proc(
            "streamPortDestinationIsAPort",
            "worker:\n  ports:\n    9501:70000: {}\n",
            "procs worker.ports.9501:70000",
            7,
            5,
            "\"70000\"",
            "1..65535"),
        proc(
            "streamPortSpecFollowsTheForm",
            "worker:\n  ports:\n    9501-80: {}\n",
            "procs worker.ports.9501-80",
            7,
            5,
            "<src>[:<dst>][/tcp|udp]"),
        proc(
            "envKeysAreUnique",
            "worker:\n  env:\n    - A=1\n    - A=2\n",
            "procs worker.env[1]",
            8,
            7,
            "\"A\"",
            "already set at line 7"),
        proc(
            "envNamesAreValidVariableNames",
            "worker:\n  env: [\"1A=x\"]\n",
            "procs worker.env[0]",
            6,
            9,
            "\"1A\"",
            "not a valid variable name"),
        proc(
            "envItemsAreKeyEqualsValue",
            "worker:\n  env: [DEBUG]\n",
            "procs worker.env[0]",
            6,
            9,
            "\"DEBUG\"",
            "KEY=VALUE"),
        proc(
            "envIsAListNotAMapping",
            "worker:\n  env:\n    A: 1\n",
            "procs worker.env",
            7,
            5,
            "must be a list of KEY=VALUE strings",
            "a mapping"),
        proc(
            "volumeMustNotClimbOut",
            "worker:\n  volumes: [../data]\n",
            "procs worker.volumes[0]",
            6,
            13,
            "\"../data\"",
            "'..'"),
        proc(
            "volumeMustNotBeTheAppDirectory",
            "worker:\n  volumes: [.]\n",
            "procs worker.volumes[0]",
            6,
            13,
            "resolves to /lain/app",
            "cannot be a volume"),
        proc(
            "volumeMustNotBeTheRoot",
            "worker:\n  volumes: [/lain/../]\n",
            "procs worker.volumes[0]",
            6,
            13,
            "'..'"),
        proc(
            "volumesAndPersistentDirsConflict",
            "worker:\n  volumes: [data]\n  persistent_dirs: [cache]\n",
            "procs worker.persistent_dirs",
            7,
            3,
            "only one of them"),
        proc(
            "backupScheduleHasFiveCronFields",
            "worker:\n  volumes:\n    - /data:\n        backup_full:\n          schedule: \"0 3 * *\"\n",
            "procs worker.volumes[0]./data.backup_full.schedule",
            9,
            21,
            "\"0 3 * *\"",
            "five fields"),
        proc(
            "backupExpireIsDaysHoursOrMinutes",
            "worker:\n  volumes:\n    - /data:\n        backup_increment:\n"
                + "          schedule: \"0 3 * * *\"\n          expire: 10x\n",
            "procs worker.volumes[0]./data.backup_increment.expire",
            10,
            19,
            "\"10x\"",
            "10d"),
        proc(
            "backupKindTypoGetsASuggestion",
            "worker:\n  volumes:\n    - /data:\n        backup_ful:\n          schedule: \"0 3 * * *\"\n",
            "procs worker.volumes[0]./data.backup_ful",
            8,
            9,
            "did you mean \"backup_full\"?"),
        proc(
            "cloudVolumeTypeIsSingleOrMulti",
            "worker:\n  cloud_volumes:\n    type: shared\n    dirs: [/data]\n",
            "procs worker.cloud_volumes.type",
            7,
            11,
            "\"shared\"",
            "single or multi"),
        proc(
            "cloudVolumesNeedDirs",
            "worker:\n  cloud_volumes:\n    type: single\n",
            "procs worker.cloud_volumes.dirs",
            6,
            3,
            "is required"),
        proc(
            "logsAreRelativeToTheLogsDirectory",
            "worker:\n  logs: [/var/log/app.log]\n",
            "procs worker.logs[0]",
            6,
            10,
            "relative to /lain/logs"),
        proc(
            "logsMustNotClimbOut",
            "worker:\n  logs: [../x.log]\n",
            "procs worker.logs[0]",
            6,
            10,
            "'..'"),
        proc(
            "mountpointHostRejectsASemicolon",
            "web:\n  mountpoint: [\"a.com;b\"]\n",
            "procs web.mountpoint[0]",
            6,
            16,
            "\"a.com;b\"",
            "';'"),
        proc(
            "mountpointHostRejectsAWildcard",
            "web:\n  mountpoint: [\"*.example.com\"]\n",
            "procs web.mountpoint[0]",
            6,
            16,
            "'*'"),
        proc(
            "mountpointPathRejectsASpace",
            "web:\n  mountpoint: [\"a.com/x y\"]\n",
            "procs web.mountpoint[0]",
            6,
            16,
            "a space"),
        proc(
            "mountpointPathRejectsDotDotSegments",
            "web:\n  mountpoint: [\"a.com/x/../y\"]\n",
            "procs web.mountpoint[0]",
            6,
            16,
            "'..' segment"),
        proc(
            "mountpointHasNoScheme",
            "web:\n  mountpoint: [\"http://a.com\"]\n",
            "procs web.mountpoint[0]",
            6,
            16,
            "scheme"),
        proc(
            "relativeMountpointNeedsTheProcNamedWeb",
            "web.admin:\n  mountpoint: [/admin]\n",
            "procs web.admin.mountpoint[0]",
            6,
            16,
            "\"/admin\" is relative",
            "only the proc named web"),
        proc(
            "httpsOnlyIsABooleanAndYesIsAString",
            "web:\n  https_only: yes\n",
            "procs web.https_only",
            6,
            15,
            "must be true or false",
            "YAML 1.2"),
        proc(
            "healthcheckIsAPathStartingWithSlash",
            "web:\n  healthcheck: health\n",
            "procs web.healthcheck",
            6,
            16,
            "\"health\"",
            "starting with '/'"),
        proc(
            "healthcheckQueryRejectsUnsafeCharacters",
            "web:\n  healthcheck: \"/h?x=<1>\"\n",
            "procs web.healthcheck",
            6,
            16,
            "'<'"),
        proc(
            "containerHealthcheckNeedsACommand",
            "worker:\n  container_healthcheck:\n    options: {interval: 20}\n",
            "procs worker.container_healthcheck.cmd",
            6,
            3,
            "is required"),
        proc(
            "healthcheckOptionTypoGetsASuggestion",
            "worker:\n  container_healthcheck:\n    cmd: curl localhost\n    options: {intervall: 20}\n",
            "procs worker.container_healthcheck.options.intervall",
            8,
            15,
            "did you mean \"interval\"?"),
        proc(
            "labelsMustNotUseLainsPrefix",
            "worker:\n  labels: [\"cc.bdp.lain.deployd.pg_name:x\"]\n",
            "procs worker.labels[0]",
            6,
            12,
            "cc.bdp.lain.",
            "reserves"),
        proc(
            "labelKeysAreUnique",
            "worker:\n  labels: [\"team:a\", \"team:b\"]\n",
            "procs worker.labels[1]",
            6,
            22,
            "\"team\"",
            "already set"),
        proc(
            "labelsAreKeyColonValue",
            "worker:\n  labels: [team]\n",
            "procs worker.labels[0]",
            6,
            12,
            "key:value"),
        proc(
            "filtersFollowTheSwarmSyntax",
            "worker:\n  filters: [\"constraint:group=a\"]\n",
            "procs worker.filters[0]",
            6,
            13,
            "\"constraint:group=a\"",
            "(affinity|constraint):<key>(==|!=)<value>"),
        proc(
            "secretFilesMustNotClimbOut",
            "worker:\n  secret_files: [../x]\n",
            "procs worker.secret_files[0]",
            6,
            18,
            "'..'"),
        proc(
            "workdirAndWorkingDirConflict",
            "worker:\n  workdir: /a\n  working_dir: /b\n",
            "procs worker.working_dir",
            7,
            3,
            "only one of workdir and working_dir"),
        proc(
            "typeOutsideProcKeyMustMatchTheKey",
            "worker.sync:\n  type: web\n",
            "procs worker.sync.type",
            6,
            9,
            "\"web\" contradicts the key \"worker.sync\""),
        proc(
            "procTypeIsOneOfTheFour",
            "proc.cron:\n  type: cron\n",
            "procs proc.cron.type",
            6,
            9,
            "\"cron\"",
            "web, worker, oneshot, portal"),
        proc(
            "portalNeedsAServiceName",
            "portal.redis:\n  port: 6379\n",
            "procs portal.redis.service_name",
            5,
            1,
            "is required for a portal proc"),
        proc(
            "portalServiceNameFollowsTheNamePattern",
            "portal.redis:\n  service_name: Redis_Cache\n",
            "procs portal.redis.service_name",
            6,
            17,
            "\"Redis_Cache\"",
            "must match"),
        proc(
            "procNamesAreUniqueAcrossKeyForms",
            "web:\n  cmd: a\nproc.web:\n  type: web\n",
            "procs proc.web",
            7,
            1,
            "\"web\"",
            "already used by web (line 5)"),
        proc(
            "workerAndWebProcsCannotShareAName",
            "worker.x:\n  cmd: a\nweb.x:\n  mountpoint: [x.com]\n",
            "procs web.x",
            7,
            1,
            "already used by worker.x"),
        proc(
            "serviceShorthandPortalCannotRenameTheService",
            "service.redis:\n  portal:\n    service_name: cache\n",
            "procs service.redis.portal.service_name",
            7,
            5,
            "always has service_name \"redis\""),
        proc(
            "nestedPortalOnlyInServiceShorthand",
            "worker.redis:\n  portal: {}\n",
            "procs worker.redis.portal",
            6,
            3,
            "service.<name>"),
        proc(
            "procNameFollowsTheAppnamePattern",
            "worker.Bad_Name:\n  cmd: a\n",
            "procs worker.Bad_Name",
            5,
            1,
            "\"Bad_Name\"",
            "must match"),
        proc(
            "misspelledNumInstancesGetsASuggestion",
            "worker:\n  num_instance: 2\n",
            "procs worker.num_instance",
            6,
            3,
            "did you mean \"num_instances\"?"),
        proc(
            "misspelledMemoryGetsASuggestion",
            "worker:\n  memroy: 64m\n",
            "procs worker.memroy",
            6,
            3,
            "did you mean \"memory\"?"),
        proc(
            "dnsSearchEntriesAreDomainNames",
            "worker:\n  dns_search: [\"bad_domain\"]\n",
            "procs worker.dns_search[0]",
            6,
            16,
            "'_'"),
        proc(
            "entrypointIsAStringOrAList",
            "worker:\n  entrypoint: {a: b}\n",
            "procs worker.entrypoint",
            6,
            15,
            "must be a command",
            "a mapping"),
        proc(
            "statefulIsABoolean",
            "worker:\n  stateful: 1\n",
            "procs worker.stateful",
            6,
            13,
            "must be true or false",
            "the integer 1"),
        proc(
            "procBodyIsAMapping",
            "worker: run me\n",
            "procs worker",
            5,
            9,
            "must be a mapping of proc fields"),
        proc(
            "duplicateKeyInsideAProcIsAViolation",
            "worker:\n  cmd: a\n  cmd: b\n",
            "procs worker.cmd",
            7,
            3,
            "duplicate key \"cmd\""),
        proc(
            "killTimeoutIsAnInteger",
            "worker:\n  kill_timeout: 10s\n",
            "procs worker.kill_timeout",
            6,
            17,
            "must be an integer",
            "\"10s\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void reportsExactlyTheBrokenRule(String behaviour, Case expected) {
    ValidationResult result = LainYaml.validate(expected.yaml());

    assertThat(result).as(behaviour).isInstanceOf(ValidationResult.Invalid.class);
    List<Diagnostic> violations = ((ValidationResult.Invalid) result).violations();
    assertThat(violations).as("violations of %s", behaviour).hasSize(1);
    Diagnostic violation = violations.getFirst();
    assertThat(violation.path()).as("path").isEqualTo(expected.path());
    assertThat(violation.message()).as("message").contains(expected.words());
    assertThat(violation.line() + ":" + violation.column())
        .as("position of %s", violation.format("lain.yaml"))
        .isEqualTo(expected.line() + ":" + expected.column());
  }
}
