package dev.lain.store;

import java.util.List;

/** The history side of a log-structured backend, read by the {@link WatchHub}. */
interface EventLog {

  /** The newest committed revision. */
  long headRevision();

  /** History before this revision is gone ({@code 0}: nothing compacted). */
  long compactRevision();

  /**
   * Events under {@code prefix} with {@code from <= revision <= to}, in (revision, order) order.
   */
  List<WatchEvent> read(String prefix, long from, long to);
}
