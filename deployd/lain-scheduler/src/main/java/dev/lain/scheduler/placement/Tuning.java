package dev.lain.scheduler.placement;

/**
 * How much a table indexes. None of it changes a choice, only how fast it is found; tests vary it
 * to hold every path to the same answers.
 *
 * @param maxSharedIndexes constraint sets indexed; sets seen after that are scanned
 * @param groupIndexFrom holders of a pod group (nodes with at least one of its instances) from
 *     which the pod group gets its own index, ordered by its instance count first; below it the
 *     shared index skips holders and the holders are checked one by one
 * @param maxGroupIndexes pod group indexes kept; the least recently used goes first
 */
record Tuning(int maxSharedIndexes, int groupIndexFrom, int maxGroupIndexes) {
  static final Tuning DEFAULT = new Tuning(64, 32, 64);

  Tuning {
    if (maxSharedIndexes < 0 || groupIndexFrom < 0 || maxGroupIndexes < 0) {
      throw new IllegalArgumentException("negative tuning: " + this);
    }
  }
}
