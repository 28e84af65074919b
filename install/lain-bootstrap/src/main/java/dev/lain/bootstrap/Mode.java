package dev.lain.bootstrap;

/** How the cluster keeps its state. */
public enum Mode {
  /**
   * One machine, the embedded store ({@code embedded:/var/lib/lain/store.db}); {@code
   * --single-node}.
   */
  SINGLE_NODE("single-node"),
  /**
   * The first node of a cluster that grows with {@code lainctl node add}: etcd holds the state. The
   * default, as in LAIN's production install.
   */
  CLUSTER("cluster");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
