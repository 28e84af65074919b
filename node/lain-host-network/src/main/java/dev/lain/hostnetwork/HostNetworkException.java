package dev.lain.hostnetwork;

/** A command that shapes the node's network failed; the message names it and its error. */
public final class HostNetworkException extends RuntimeException {
  @java.io.Serial private static final long serialVersionUID = 1L;

  public HostNetworkException(String message) {
    super(message);
  }
}
