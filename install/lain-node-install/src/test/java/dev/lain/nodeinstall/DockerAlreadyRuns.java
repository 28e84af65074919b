package dev.lain.nodeinstall;

/**
 * Node add's Docker step for tests whose nodes use a Docker the test runs itself (or none): the
 * real step runs the node's bootstrap, which these tests' sandboxed nodes do not have.
 */
final class DockerAlreadyRuns implements RemoteStep {
  static final RemoteStep.DockerSteps STEPS = device -> new DockerAlreadyRuns();

  @Override
  public String name() {
    return "set up Docker (the test's own)";
  }

  @Override
  public void run(RemoteShell node, NodeAddress address) {}
}
