package dev.lain.store;

/** A running watch. Closing it stops deliveries; a call in progress completes. */
public interface Watch extends AutoCloseable {

  /** The revision of the last event delivered, or {@code fromRevision - 1} before the first. */
  long lastDeliveredRevision();

  @Override
  void close();
}
