package dev.lain.store;

import java.util.List;

/** Keys under a prefix as of one store revision, sorted by key. */
public record Listing(long revision, List<KeyValue> entries) {
  public Listing {
    entries = List.copyOf(entries);
  }
}
