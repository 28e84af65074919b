package dev.lain.store;

/**
 * The outcome of {@link Store#commit}.
 *
 * @param succeeded whether every condition held (and so every operation was applied)
 * @param revision the revision of the write, or the store's revision when nothing was written
 */
public record TxnResult(boolean succeeded, long revision) {}
