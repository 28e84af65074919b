package dev.lain.store;

import java.util.List;
import java.util.Optional;

/** The quorum rules of a store's members, as pure functions of what {@link Store#members} said. */
public final class Quorum {
  private Quorum() {}

  /** How many voting members must agree among {@code voters}: a majority. */
  public static int of(int voters) {
    return voters / 2 + 1;
  }

  /**
   * Why member {@code name} may not leave now, if it may not: it is unknown, it is the last voting
   * member, or the voting members left that answer would be fewer than their quorum. A learner may
   * always leave.
   */
  public static Optional<String> removalProblem(List<StoreMember> members, String name) {
    Optional<StoreMember> leaving = members.stream().filter(m -> m.name().equals(name)).findFirst();
    if (leaving.isEmpty()) {
      return Optional.of(
          "no store member "
              + name
              + " (members: "
              + String.join(", ", members.stream().map(StoreMember::name).toList())
              + ")");
    }
    if (leaving.get().learner()) {
      return Optional.empty();
    }
    List<StoreMember> votersLeft =
        members.stream().filter(m -> !m.learner() && !m.name().equals(name)).toList();
    if (votersLeft.isEmpty()) {
      return Optional.of(name + " is the store's last voting member");
    }
    long healthyLeft = votersLeft.stream().filter(m -> m.problem().isEmpty()).count();
    int quorum = of(votersLeft.size());
    if (healthyLeft < quorum) {
      return Optional.of(
          "removing "
              + name
              + " would leave "
              + healthyLeft
              + " healthy of "
              + votersLeft.size()
              + " voting members, fewer than their quorum of "
              + quorum
              + "; bring the unreachable ones back (or remove them) first");
    }
    return Optional.empty();
  }
}
