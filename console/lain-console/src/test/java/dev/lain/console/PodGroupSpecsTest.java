package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.ClusterDomains;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.WebSettings;
import dev.lain.spec.AppSpec;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodGroupSpecsTest {
  private static AppSpec app(String yaml) {
    ValidationResult result = LainYaml.validate(yaml);
    assertThat(result)
        .as(result.diagnostics().toString())
        .isInstanceOf(ValidationResult.Valid.class);
    return ((ValidationResult.Valid) result).spec();
  }

  @Test
  void everyWebWorkerAndOneshotProcBecomesAPodGroupWithLainsEnvironment() {
    AppSpec app =
        app(
            """
            appname: hello
            build:
              base: busybox
              script: [echo]
            web:
              cmd: httpd -f -p 8080
              port: 8080
              memory: 64m
              num_instances: 3
              healthcheck: /health
              https_only: true
              mountpoint:
                - hello.example.com/app
                - /admin
              env:
                - GREETING=hi
            worker.sync:
              image: registry.lain.local/sync:1
              cmd: [sh, -c, "sleep 1000"]
              stateful: true
              volumes: [/data]
              filters: ["constraint:group==batch"]
            oneshot.migrate:
              cmd: ./migrate
              container_healthcheck:
                cmd: "true"
            service.redis:
              cmd: redis-server
              port: 6379
            """);

    List<PodGroupSpec> groups =
        PodGroupSpecs.of(
            app,
            "registry.lain.local/hello:release-1-abc",
            "1-abc",
            new ClusterDomains("lain.local", List.of("example.com")));

    assertThat(groups)
        .extracting(PodGroupSpec::name)
        .containsExactly(
            "hello.web.web", "hello.worker.sync", "hello.oneshot.migrate", "hello.worker.redis");
    PodGroupSpec web = groups.get(0);
    assertThat(web.version()).isEqualTo(1);
    assertThat(web.numInstances()).isEqualTo(3);
    assertThat(web.container().image()).isEqualTo("registry.lain.local/hello:release-1-abc");
    assertThat(web.container().command()).containsExactly("httpd", "-f", "-p", "8080");
    assertThat(web.container().port()).isEqualTo(8080);
    assertThat(web.container().memoryBytes()).isEqualTo(64L << 20);
    assertThat(web.container().env())
        .containsExactly(
            "GREETING=hi",
            "LAIN_APPNAME=hello",
            "LAIN_PROCNAME=web",
            "LAIN_DOMAIN=example.com",
            "LAIN_APP_RELEASE_VERSION=1-abc");
    assertThat(web.health())
        .isEqualTo(
            new HealthCheck.Http("/health", Duration.ofSeconds(3), Duration.ofSeconds(2), 3));
    assertThat(web.constraints()).containsExactly(NodeConstraint.DEFAULT_GROUP);
    assertThat(web.restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
    assertThat(web.web())
        .contains(WebSettings.ofText(List.of("hello.example.com/app", "/admin"), true, true));

    PodGroupSpec sync = groups.get(1);
    assertThat(sync.web()).isEmpty();
    assertThat(sync.container().image()).isEqualTo("registry.lain.local/sync:1");
    assertThat(sync.stateful()).isTrue();
    assertThat(sync.pinnedToNode()).isTrue();
    assertThat(sync.container().volumes()).containsExactly("/data", "/lain/logs");
    assertThat(sync.constraints()).containsExactly(new NodeConstraint("group", true, "batch"));
    assertThat(sync.container().entrypoint()).isEqualTo(Optional.empty());

    PodGroupSpec migrate = groups.get(2);
    assertThat(migrate.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
    assertThat(migrate.health()).isInstanceOf(HealthCheck.Command.class);
    assertThat(migrate.pinnedToNode()).isFalse();
  }
}
