package dev.lain.model.deploy;

/**
 * Memory and CPU: what an instance reserves, or what a node offers.
 *
 * @param memoryBytes the memory limit (instances) or schedulable memory (nodes)
 * @param cpuMillis thousandths of a CPU core
 */
public record Resources(long memoryBytes, long cpuMillis) {
  public static final Resources ZERO = new Resources(0, 0);

  public Resources {
    if (memoryBytes < 0 || cpuMillis < 0) {
      throw new IllegalArgumentException(
          "negative resources: memory=" + memoryBytes + " cpu=" + cpuMillis);
    }
  }

  public Resources plus(Resources other) {
    return new Resources(memoryBytes + other.memoryBytes, cpuMillis + other.cpuMillis);
  }

  /** Subtracts, never going below zero. */
  public Resources minus(Resources other) {
    return new Resources(
        Math.max(0, memoryBytes - other.memoryBytes), Math.max(0, cpuMillis - other.cpuMillis));
  }

  /** True if this much fits into {@code available}. */
  public boolean fitsIn(Resources available) {
    return memoryBytes <= available.memoryBytes && cpuMillis <= available.cpuMillis;
  }

  /**
   * The CPU reserved for a LAIN cpu level (lain.yaml {@code cpu}, 0..8): level 0 means LAIN's
   * default level 2, and each level is an eighth of a core, so level 8 is one full core.
   */
  public static long cpuMillisForLevel(int level) {
    if (level < 0 || level > 8) {
      throw new IllegalArgumentException("cpu level must be 0..8: " + level);
    }
    return (level == 0 ? 2 : level) * 125L;
  }
}
