package dev.lain.model.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPoolTest {
  private static final List<AddressPool.Reserved> MACHINE =
      List.of(
          new AddressPool.Reserved("the node network", Cidr.parse("192.168.77.0/24")),
          new AddressPool.Reserved("Docker's bridge", Cidr.parse("172.17.0.0/16")));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0/16   | 24 | 256
          10.8.0.0/20     | 24 | 16
          10.8.0.0/24     | 24 | 1
          10.8.0.0/24     | 26 | 4
          """)
  void aGoodPoolIsCutIntoBlocks(String network, int block, long blocks) {
    AddressPool.Checked checked = AddressPool.check(Cidr.parse(network), block, MACHINE);
    assertThat(checked).isInstanceOf(AddressPool.Checked.Ok.class);
    AddressPool pool = ((AddressPool.Checked.Ok) checked).pool();
    assertThat(pool.blocks()).isEqualTo(blocks);
    assertThat(pool.block(0).toString()).isEqualTo(network.replaceAll("/\\d+$", "/" + block));
    assertThat(pool.isBlock(pool.block(blocks - 1))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0/25   | 24 | is too small: it must hold at least one /24 block
          192.168.0.0/16  | 24 | overlaps the node network 192.168.77.0/24
          172.16.0.0/12   | 24 | overlaps Docker's bridge 172.17.0.0/16
          127.0.0.0/16    | 24 | overlaps the loopback network 127.0.0.0/8
          169.254.0.0/16  | 24 | overlaps the link-local network
          224.1.0.0/16    | 24 | overlaps the multicast range
          172.20.0.0/16   | 30 | the block size /30 must be from /16 to /28
          172.20.0.0/16   | 8  | the block size /8 must be from /16 to /28
          """)
  void aBadPoolIsRefusedSayingWhy(String network, int block, String problem) {
    assertThat(AddressPool.check(Cidr.parse(network), block, MACHINE))
        .isInstanceOfSatisfying(
            AddressPool.Checked.Bad.class,
            bad -> assertThat(String.join("\n", bad.problems())).contains(problem));
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThat(AddressPool.check(Cidr.parse("192.168.77.0/25"), 24, MACHINE))
        .isInstanceOfSatisfying(
            AddressPool.Checked.Bad.class, bad -> assertThat(bad.problems()).hasSize(2));
  }

  @Test
  void blocksAreGivenLowestFirstAndNeverTwice() {
    AddressPool pool = new AddressPool(Cidr.parse("10.8.0.0/22"), 24);
    List<Cidr> taken = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Cidr next = pool.firstFree(taken).orElseThrow();
      assertThat(next).isEqualTo(pool.block(i));
      taken.add(next);
    }
    assertThat(pool.firstFree(taken)).isEmpty();
    taken.remove(pool.block(1));
    assertThat(pool.firstFree(taken)).contains(pool.block(1));
  }

  @Test
  void theFreeBlockFoundIsTheLowestThatOverlapsNothingTaken() {
    // Taken ranges of any size and place (blocks of an older layout, hand-written records):
    // compare with trying every block in order.
    Random random = new Random(12);
    AddressPool pool = new AddressPool(Cidr.parse("10.8.0.0/20"), 24);
    for (int round = 0; round < 2000; round++) {
      List<Cidr> taken = new ArrayList<>();
      int count = random.nextInt(12);
      for (int i = 0; i < count; i++) {
        int prefix = 21 + random.nextInt(8);
        long address = pool.network().base() - 4096 + random.nextInt(4096 * 3);
        taken.add(new Cidr(address & Ipv4.mask(prefix), prefix));
      }
      Optional<Cidr> expected = Optional.empty();
      for (long n = 0; n < pool.blocks(); n++) {
        Cidr block = pool.block(n);
        if (taken.stream().noneMatch(block::overlaps)) {
          expected = Optional.of(block);
          break;
        }
      }
      assertThat(pool.firstFree(taken)).as("taken %s", taken).isEqualTo(expected);
    }
  }
}
