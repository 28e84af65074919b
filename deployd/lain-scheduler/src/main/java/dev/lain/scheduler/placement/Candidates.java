package dev.lain.scheduler.placement;

import java.util.function.IntPredicate;

/**
 * Nodes that may take instances with one set of constraints (they accept new instances and match
 * every constraint), searchable for the best one by free memory, then free CPU, then name: among
 * all of them ({@link ScanCandidates}, a shared {@link SpreadIndex}), or by instance count of one
 * pod group first (a pod group's own {@link SpreadIndex}).
 */
sealed interface Candidates permits SpreadIndex, ScanCandidates {
  /** Returned by {@link #best} when no candidate qualifies. */
  int NONE = -1;

  /**
   * The first node in order with at least {@code memory} bytes and {@code cpuMillis} free that
   * {@code excluded} lets through, or {@link #NONE}.
   */
  int best(long memory, long cpuMillis, IntPredicate excluded);

  /** A node's free resources or instance counts changed. */
  void touch(int node);
}
