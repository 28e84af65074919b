package dev.lain.store;

import java.net.URI;

/**
 * Changing who the store's members are (etcd's member API): a new member joins as a learner, is
 * promoted to a voter once it has caught up, and a member leaves only when the rest keep a quorum.
 */
public interface Membership {
  /**
   * Adds a learner that will listen for its peers at {@code peerUrl}; returns the {@code
   * --initial-cluster} it must start with ({@code name=peer-url,...}, itself included), to run with
   * {@code --initial-cluster-state=existing}.
   */
  String addLearner(String name, URI peerUrl);

  /**
   * Makes the learner {@code name} a voting member.
   *
   * @throws StoreException {@code MEMBERSHIP} while it has not caught up with the leader yet
   */
  void promote(String name);

  /**
   * Removes member {@code name}.
   *
   * @throws StoreException {@code MEMBERSHIP} naming why, when that would lose the quorum ({@link
   *     Quorum#removalProblem})
   */
  void remove(String name);
}
