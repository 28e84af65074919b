package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BootstrapMainTest {

  @Test
  void theScriptedSingleNodeInstallEndsWithTheWordSingleNode() {
    Runs run =
        Runs.run(
            o -> Fixtures.freshDebian(),
            "--single-node",
            "--node-ip",
            "127.0.0.1",
            "--domain",
            "lain.local",
            "--http-port",
            "8080");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().toList()).last().isEqualTo(BootstrapMain.SINGLE_NODE);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aProductionInstallIsNotWiredYetAndPrintsItsPlan() {
    Runs run = Runs.run(o -> Fixtures.freshDebian(), "-m", "https://mirror.example.com");

    assertThat(run.exitCode()).isEqualTo(BootstrapMain.NOT_WIRED);
    assertThat(run.out())
        .contains("Plan: cluster")
        .doesNotContain(BootstrapMain.SINGLE_NODE + "\n");
    assertThat(run.err()).contains("not wired yet: nothing was changed");
  }

  @Test
  void aSingleNodeWithProductionFlagsIsNotTheScriptedOne() {
    Runs run =
        Runs.run(o -> Fixtures.freshDebian(), "--single-node", "-m", "https://mirror.example.com");

    assertThat(run.exitCode()).isEqualTo(BootstrapMain.NOT_WIRED);
  }

  @Test
  void dryRunExitsZeroWhenEveryCheckPasses() {
    Runs run = Runs.run(o -> Fixtures.freshDebian(), "--dry-run");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(" 1. packages");
  }

  @Test
  void dryRunWithoutANodeIdentityPrintsNoPlan() {
    Runs run = Runs.run(o -> Fixtures.freshDebian().withHostname("Bad_Host"), "--dry-run");

    assertThat(run.exitCode()).isEqualTo(BootstrapMain.PREFLIGHT_FAILED);
    assertThat(run.out()).contains("No plan: the node's identity is unknown");
  }
}
