package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BootstrapMainTest {

  @Test
  void withoutExecuteTheChecksAndThePlanArePrintedAndNothingIsExecuted() {
    // Runs.run gives no executor: executing would throw.
    Runs run = Runs.run(o -> Fixtures.freshDebian(), "-m", "https://mirror.example.com");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Plan: cluster").contains(" 1. packages");
    assertThat(run.err()).isEmpty();
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
