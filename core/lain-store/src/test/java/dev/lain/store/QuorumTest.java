package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuorumTest {

  /**
   * Members from a picture: one letter each, upper case healthy, lower case unreachable, l a
   * learner.
   */
  private static List<StoreMember> members(String picture) {
    List<StoreMember> out = new ArrayList<>();
    for (int i = 0; i < picture.length(); i++) {
      char c = picture.charAt(i);
      String name = "m" + (i + 1);
      boolean learner = Character.toLowerCase(c) == 'l';
      boolean healthy = Character.isUpperCase(c);
      out.add(
          healthy
              ? new StoreMember(name, "", i == 0, learner, OptionalLong.of(10), Optional.empty())
              : StoreMember.unreachable(name, "", learner, "down"));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}, remove {1}: {2}")
  @CsvSource({
    // picture, leaving, refused because
    "VVV,   m1, ''",
    "VVV,   m3, ''",
    "VVv,   m3, ''",
    "VVv,   m1, would leave 1 healthy of 2 voting members, fewer than their quorum of 2",
    "VVVVV, m1, ''",
    "VVVvv, m1, would leave 2 healthy of 4 voting members, fewer than their quorum of 3",
    "VVVvv, m4, ''",
    "VV,    m2, ''",
    "Vv,    m1, would leave 0 healthy of 1 voting members, fewer than their quorum of 1",
    "Vv,    m2, ''",
    "V,     m1, m1 is the store's last voting member",
    "VVL,   m3, ''",
    "VvL,   m2, ''",
    "VvL,   m1, would leave 0 healthy of 1 voting members",
    "VVV,   m9, no store member m9 (members: m1, m2, m3)",
  })
  void removalKeepsAQuorumOfTheMembersThatAnswer(String picture, String leaving, String problem) {
    Optional<String> refused = Quorum.removalProblem(members(picture), leaving);
    if (problem.isEmpty()) {
      assertThat(refused).isEmpty();
    } else {
      assertThat(refused).get().asString().contains(problem);
    }
  }

  @ParameterizedTest(name = "{0} voters need {1}")
  @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3", "7,4"})
  void quorumIsAMajority(int voters, int quorum) {
    assertThat(Quorum.of(voters)).isEqualTo(quorum);
  }
}
