package dev.lain.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.TargetState;
import dev.lain.runtime.ContainerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceContainersTest {
  @Test
  void anAssignmentBecomesAContainerWithLainsNameLabelsEnvironmentLimitsPortAndVolumes() {
    ContainerSpec c =
        new ContainerSpec(
            "registry/hello:v2",
            Optional.of(List.of("/entry")),
            List.of("serve"),
            List.of("LAIN_APPNAME=hello"),
            "app",
            "/lain/app",
            8080,
            List.of("/data", "/lain/logs"),
            Map.of("team", "a"),
            128L << 20,
            4);
    PodGroupSpec spec =
        new PodGroupSpec(
            "hello.web.web",
            "hello",
            2,
            c,
            3,
            RestartPolicy.ALWAYS,
            List.of(),
            false,
            new HealthCheck.Command("true", Duration.ofSeconds(10), Duration.ofSeconds(3), 3),
            Duration.ZERO,
            Duration.ofSeconds(20));
    Assignment a =
        new Assignment(
            new InstanceId("hello.web.web", 3, 2, 1),
            "node7",
            spec,
            TargetState.RUN,
            5,
            Instant.EPOCH);

    ContainerRequest r =
        InstanceContainers.request(
            a, Optional.empty(), "127.0.1.7", 20007, Path.of("/var/lib/lain"));

    assertThat(r.name()).isEqualTo("hello.web.web.v2-i3-d1");
    assertThat(r.image()).isEqualTo("registry/hello:v2");
    assertThat(r.entrypoint()).contains(List.of("/entry"));
    assertThat(r.command()).containsExactly("serve");
    assertThat(r.env())
        .containsExactly(
            "LAIN_APPNAME=hello",
            "DEPLOYD_POD_INSTANCE_NO=3",
            "DEPLOYD_POD_NAME=hello.web.web",
            "DEPLOYD_POD_NAMESPACE=hello");
    assertThat(r.labels())
        .containsEntry("cc.bdp.lain.deployd.pg_name", "hello.web.web")
        .containsEntry("cc.bdp.lain.deployd.pg_namespace", "hello")
        .containsEntry("cc.bdp.lain.deployd.instance_no", "3")
        .containsEntry("cc.bdp.lain.deployd.version", "2")
        .containsEntry("cc.bdp.lain.deployd.drift_count", "1")
        .containsEntry("cc.bdp.lain.deployd.node", "node7")
        .containsEntry("cc.bdp.lain.deployd.restart_generation", "5")
        .containsEntry("cc.bdp.lain.deployd.kill_timeout", "20")
        .containsEntry("team", "a");
    assertThat(r.memoryBytes()).isEqualTo(128L << 20);
    assertThat(r.cpuQuotaMicros()).isEqualTo(50_000);
    assertThat(r.cpuPeriodMicros()).isEqualTo(100_000);
    assertThat(r.port()).contains(new ContainerRequest.PortBinding("127.0.1.7", 20007, 8080));
    assertThat(r.binds())
        .containsExactly(
            new ContainerRequest.Bind(
                "/var/lib/lain/volumes/hello/hello.web.web/3/data", "/data", false),
            new ContainerRequest.Bind(
                "/var/lib/lain/volumes/hello/hello.web.web/3/lain/logs", "/lain/logs", false));
    assertThat(r.healthCheck()).contains(new ContainerRequest.CommandHealthCheck("true", 10, 3, 3));
    assertThat(r.init()).isTrue();
    assertThat(r.network()).isEmpty();
    assertThat(ContainerLabels.idOf(r.labels())).contains(a.id());

    ContainerRequest onTheNetwork =
        InstanceContainers.request(
            a, Optional.of("lain"), "127.0.1.7", 20007, Path.of("/var/lib/lain"));
    assertThat(onTheNetwork.network()).contains("lain");
    assertThat(onTheNetwork.port()).as("reached at its own address: no host port").isEmpty();
  }
}
