package dev.lain.nodeinstall;

/**
 * Starts and stops a node's agent. The remote ones ({@link RemoteAgentStarter}) run the start
 * script on the node as a systemd unit or a pid-file process; tests may start agents otherwise.
 */
public interface AgentStarter {
  /** How the agent is run ("systemd", "pid-file"), as recorded for {@code node remove}. */
  String kind();

  /** Starts the agent; returns once it was launched (registration is waited for by the caller). */
  void start(RemoteShell node, AgentLaunch launch);

  /** Stops the agent if it runs and keeps it from starting again; fine if it never started. */
  void stop(RemoteShell node, AgentLaunch launch);
}
