package dev.lain.controller;

/**
 * What a {@link Controller} does for one key: look at what is wanted and what is, and make them
 * agree. It is called again for the same key whenever the key is enqueued, so it reads the current
 * state each time instead of trusting what it was told when the key was enqueued.
 *
 * @param <K> what names one piece of work (a node, an instance, the whole configuration)
 */
@FunctionalInterface
public interface Reconciler<K> {
  /**
   * Brings {@code key} up to date. Never runs for the same key on two threads at once.
   *
   * @return {@link Result#done()}, or {@link Result#requeueAfter} to look again later
   * @throws Exception to have the key retried with back-off
   */
  Result sync(K key) throws Exception;
}
