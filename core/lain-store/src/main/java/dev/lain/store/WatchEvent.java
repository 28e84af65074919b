package dev.lain.store;

/** One change seen by a watch. */
public sealed interface WatchEvent permits WatchEvent.Put, WatchEvent.Delete {
  String key();

  /** The revision of the write that made this change. */
  long revision();

  /** A key was created or updated; {@code kv} is its new state. */
  record Put(KeyValue kv) implements WatchEvent {
    @Override
    public String key() {
      return kv.key();
    }

    @Override
    public long revision() {
      return kv.modRevision();
    }
  }

  /** A key was deleted (explicitly, or because its lease ended) at {@code revision}. */
  record Delete(String key, long revision) implements WatchEvent {
    public Delete {
      Keys.check(key);
    }
  }
}
