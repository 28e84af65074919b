package dev.lain.model.deploy;

/** What an operator allows on a node. */
public enum NodeMode {
  ACTIVE,
  /** No new instances; those running stay (LAIN's {@code lainctl node maintain}). */
  MAINTENANCE,
  /** No new instances, and those running move to other nodes. */
  DRAINING
}
