package dev.lain.nodeinstall;

import java.util.Optional;

/**
 * A step of {@code node add} that another module provides, run on the node over its SSH session
 * (the node's Docker, with its {@code --docker-device}, is one: lain-bootstrap carries it out). A
 * step that fails throws a {@link RemoteException}; {@link #undo} runs when a later step fails.
 */
public interface RemoteStep {
  /** What the step does, for the progress report ("set up Docker on /dev/vdb"). */
  String name();

  void run(RemoteShell node, NodeAddress address);

  /** Reverts what {@link #run} did, as far as it can; by default nothing. */
  default void undo(RemoteShell node, NodeAddress address) {}

  /** Makes the step that sets up a node's Docker, and its disk when a device is given. */
  @FunctionalInterface
  interface DockerSteps {
    RemoteStep forNode(Optional<String> dockerDevice);
  }
}
