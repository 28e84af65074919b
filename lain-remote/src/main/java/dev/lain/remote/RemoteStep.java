package dev.lain.remote;

/**
 * A step of {@code node add} that another module provides, run on the node over its SSH session
 * (the Docker storage on {@code --docker-device} is one: lain-storage provides it). A step that
 * fails throws a {@link RemoteException}; {@link #undo} runs when a later step fails.
 */
public interface RemoteStep {
  /** What the step does, for the progress report ("prepare docker storage on /dev/vdb"). */
  String name();

  void run(RemoteShell node, NodeAddress address);

  /** Reverts what {@link #run} did, as far as it can; by default nothing. */
  default void undo(RemoteShell node, NodeAddress address) {}

  /** Makes the step for a {@code --docker-device}. */
  @FunctionalInterface
  interface DockerDeviceSteps {
    RemoteStep forDevice(String device);

    /** Until lain-storage is wired in: a clear refusal instead of a silent skip. */
    DockerDeviceSteps NOT_WIRED =
        device ->
            new RemoteStep() {
              @Override
              public String name() {
                return "prepare docker storage on " + device;
              }

              @Override
              public void run(RemoteShell node, NodeAddress address) {
                throw new RemoteException(
                    RemoteException.Code.STEP_FAILED,
                    "--docker-device is not wired yet (lain-storage will provide the storage step);"
                        + " add node "
                        + address
                        + " without it");
              }
            };
  }
}
