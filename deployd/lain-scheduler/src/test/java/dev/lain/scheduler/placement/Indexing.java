package dev.lain.scheduler.placement;

/** Ways a table can be indexed; each must choose exactly alike. */
enum Indexing {
  /** Every constraint set scanned, no pod group indexes. */
  SCAN(new Tuning(0, Integer.MAX_VALUE, 0)),
  /** Shared indexes only: holders skipped in the walk, then checked one by one. */
  SHARED(new Tuning(64, Integer.MAX_VALUE, 0)),
  /** Every pod group with an instance gets its own index. */
  GROUP(new Tuning(64, 1, 64)),
  /** One shared index and one pod group index at a time: the rest scanned or evicted. */
  CRAMPED(new Tuning(1, 2, 1)),
  /** As {@link Placement#over(java.util.Collection)}. */
  DEFAULT(Tuning.DEFAULT);

  private final Tuning tuning;

  Indexing(Tuning tuning) {
    this.tuning = tuning;
  }

  Tuning tuning() {
    return tuning;
  }
}
