package dev.lain.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A member of the store as the store sees it now, for {@code lainctl cluster health}.
 *
 * @param name the member's name ({@code embedded} or {@code memory} for a single-process store)
 * @param endpoint where clients reach it
 * @param leader whether it is the raft leader (a single-process store always is)
 * @param learner whether it is a learner, not voting yet
 * @param index the newest log index it has (etcd's raft index; the revision otherwise)
 * @param problem why it could not be asked, when it could not
 */
public record StoreMember(
    String name,
    String endpoint,
    boolean leader,
    boolean learner,
    OptionalLong index,
    Optional<String> problem) {
  public StoreMember {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(problem, "problem");
  }

  public static StoreMember unreachable(String name, String endpoint, boolean learner, String why) {
    return new StoreMember(name, endpoint, false, learner, OptionalLong.empty(), Optional.of(why));
  }
}
