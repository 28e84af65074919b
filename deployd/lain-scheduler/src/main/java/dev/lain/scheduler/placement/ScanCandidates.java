package dev.lain.scheduler.placement;

import java.util.function.IntPredicate;

/**
 * Candidates found by scanning every member: used for constraint sets seen after the table holds
 * its maximum number of indexes, so that many distinct constraint sets cost time per placement
 * instead of index upkeep on every allocation.
 */
final class ScanCandidates implements Candidates {
  private final int[] members;
  private final long[] freeMemory;
  private final long[] freeCpu;

  /**
   * @param members node numbers in name order
   * @param freeMemory free memory per node number, kept current by the table
   * @param freeCpu free CPU per node number, kept current by the table
   */
  ScanCandidates(int[] members, long[] freeMemory, long[] freeCpu) {
    this.members = members;
    this.freeMemory = freeMemory;
    this.freeCpu = freeCpu;
  }

  @Override
  public int best(long memory, long cpuMillis, IntPredicate excluded) {
    int best = NONE;
    for (int node : members) {
      if (freeMemory[node] < memory || freeCpu[node] < cpuMillis || excluded.test(node)) {
        continue;
      }
      // Members are in name order, so on equal resources the earlier node stays.
      if (best == NONE
          || freeMemory[node] > freeMemory[best]
          || (freeMemory[node] == freeMemory[best] && freeCpu[node] > freeCpu[best])) {
        best = node;
      }
    }
    return best;
  }

  @Override
  public void touch(int node) {}
}
