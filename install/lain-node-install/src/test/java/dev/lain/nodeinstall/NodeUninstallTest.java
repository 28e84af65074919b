package dev.lain.nodeinstall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.model.node.NodeInstall;
import dev.lain.model.node.NodeLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code node remove} deletes on a node, and the install records it refuses to act on. */
class NodeUninstallTest {
  private static NodeInstall install(NodeLayout layout, String mode, List<String> files) {
    return new NodeInstall(
        "node2",
        "10.0.0.2",
        22,
        "root",
        layout,
        mode,
        Optional.empty(),
        Map.of(),
        List.of(),
        "etcd://10.0.0.1:2379",
        files);
  }

  /** Deepest first, so that rmdir finds each directory emptied by the ones before it. */
  @Test
  void theStandardLayoutDeletesTheRecordedFilesAndTheAgentsThenTheEmptiedDirectories() {
    NodeUninstall plan =
        NodeUninstall.plan(
            install(
                NodeLayout.standard("/opt/lain"),
                "pid-file",
                List.of("tools/lain-dist/target/lain.jar", "bin/laind", "scripts/lib/java.sh")));

    assertThat(plan.files())
        .contains(
            "/opt/lain/tools/lain-dist/target/lain.jar",
            "/opt/lain/tools/lain-dist/target/lain.jar.lain-tmp",
            "/opt/lain/bin/laind",
            "/opt/lain/scripts/lib/java.sh",
            "/opt/lain/etc/lain-node-agent",
            "/opt/lain/etc/join-token",
            "/run/lain/lain-agent.pid",
            "/var/log/lain/agent.log")
        .allMatch(
            f ->
                f.startsWith("/opt/lain/")
                    || f.startsWith("/run/lain/")
                    || f.startsWith("/var/log/lain/"));
    assertThat(plan.directories())
        .containsExactly(
            "/opt/lain/tools/lain-dist/target",
            "/opt/lain/tools/lain-dist",
            "/opt/lain/scripts/lib",
            "/opt/lain/tools",
            "/opt/lain/bin",
            "/opt/lain/scripts",
            "/opt/lain/etc",
            "/var/log/lain",
            "/run/lain",
            "/opt/lain");
    assertThat(plan.unit()).isEmpty();
    assertThat(plan.script()).doesNotContain("rm -r", "rm -rf", "rm -fr");
  }

  @Test
  void aSystemdAgentHasItsUnitDeletedAndSystemdReloaded() {
    NodeUninstall plan =
        NodeUninstall.plan(install(NodeLayout.standard("/opt/lain"), "systemd", List.of()));
    assertThat(plan.unit()).contains("/etc/systemd/system/lain-agent.service");
    assertThat(plan.script()).contains("systemctl daemon-reload");
    assertThat(plan.files()).doesNotContain("/run/lain/lain-agent.pid");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/usr",
        "/etc",
        "/var",
        "/opt",
        "/home",
        "/root",
        "/usr/local",
        "/var/lib",
        "/etc/systemd/system",
        "/opt/",
        "/opt//lain",
        "/opt/lain/..",
        "/opt/./lain"
      })
  void aDangerousPrefixIsRefused(String prefix) {
    assertThatThrownBy(
            () ->
                NodeUninstall.plan(
                    install(NodeLayout.standard(prefix), "pid-file", List.of("bin/laind"))))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining(
            "will not delete the files of node node2: its prefix '" + prefix + "'")
        .hasMessageContaining("nothing was deleted")
        .extracting(e -> ((RemoteException) e).code())
        .isEqualTo(RemoteException.Code.REFUSED);
  }

  @Test
  void aPrefixHoldingTheDataRootIsRefused() {
    NodeLayout layout =
        new NodeLayout(
            "/srv/lain", "/run/lain", "/var/log/lain", "/srv/lain/data", "/etc/systemd/system");
    assertThatThrownBy(() -> NodeUninstall.plan(install(layout, "pid-file", List.of())))
        .hasMessageContaining("its prefix '/srv/lain' holds '/srv/lain/data'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "bin/../../x", "bin//laind", ""})
  void aRecordedFileOutsideThePrefixIsRefused(String file) {
    assertThatThrownBy(
            () ->
                NodeUninstall.plan(
                    install(NodeLayout.standard("/opt/lain"), "pid-file", List.of(file))))
        .hasMessageContaining("it records the file '" + file + "'")
        .hasMessageContaining("nothing was deleted");
  }

  @Test
  void aRecordWrittenBeforeFilesWereRecordedDeletesNoneOfTheDistribution() {
    NodeInstall old =
        dev.lain.records.deployd.DeploydJson.read(
            "{\"name\":\"node2\",\"ip\":\"10.0.0.2\",\"sshPort\":22,\"sshUser\":\"root\","
                + "\"layout\":{\"prefix\":\"/opt/lain\",\"runDir\":\"/run/lain\","
                + "\"logDir\":\"/var/log/lain\",\"dataRoot\":\"/var/lib/lain\","
                + "\"unitDir\":\"/etc/systemd/system\"},\"agentMode\":\"systemd\","
                + "\"labels\":{},\"agentArgs\":[],\"storeUrl\":\"etcd://10.0.0.1:2379\"}",
            NodeInstall.class);
    assertThat(old.files()).isEmpty();
    assertThat(NodeUninstall.plan(old).files())
        .containsOnly(
            "/opt/lain/etc/lain-node-agent",
            "/opt/lain/etc/lain-node-agent.lain-tmp",
            "/opt/lain/etc/join-token",
            "/opt/lain/etc/join-token.lain-tmp");
  }
}
