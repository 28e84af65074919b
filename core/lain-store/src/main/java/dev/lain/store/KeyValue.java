package dev.lain.store;

import java.util.Objects;

/**
 * A key's current value with its revisions.
 *
 * @param createRevision the revision that created the key (since its last deletion)
 * @param modRevision the revision of the last write to the key
 * @param version how many times the key was written since it was created (1 after creation)
 * @param leaseId the lease the key is attached to, or {@link Lease#NONE}
 */
public record KeyValue(
    String key, String value, long createRevision, long modRevision, long version, long leaseId) {
  public KeyValue {
    Keys.check(key);
    Objects.requireNonNull(value, "value");
    if (createRevision <= 0 || modRevision < createRevision || version <= 0) {
      throw new IllegalArgumentException(
          "inconsistent revisions for "
              + key
              + ": create="
              + createRevision
              + " mod="
              + modRevision
              + " version="
              + version);
    }
  }
}
