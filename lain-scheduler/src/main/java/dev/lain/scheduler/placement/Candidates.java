package dev.lain.scheduler.placement;

import java.util.function.IntPredicate;

/**
 * The nodes that may take instances with one set of constraints (they accept new instances and
 * match every constraint), searchable for the best one by the spread key among those with no
 * instance of the pod group at hand.
 */
sealed interface Candidates permits SpreadIndex, ScanCandidates {
  /** Returned by {@link #best} when no candidate qualifies. */
  int NONE = -1;

  /**
   * The first node in spread order (most free memory, then most free CPU, then name) with at least
   * {@code memory} bytes and {@code cpuMillis} free that {@code excluded} lets through, or {@link
   * #NONE}.
   */
  int best(long memory, long cpuMillis, IntPredicate excluded);

  /** A node's resources are about to change: take it out of any order kept on them. */
  void detach(int node);

  /** A node's resources changed: put it back. */
  void attach(int node);
}
