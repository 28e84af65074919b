package dev.lain.model.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0/16   | 172.20.0.0/16
          10.0.0.0/8      | 10.0.0.0/8
          0.0.0.0/0       | 0.0.0.0/0
          192.168.1.7/32  | 192.168.1.7/32
          """)
  void readsCanonicalNetworks(String raw, String shown) {
    assertThat(Cidr.read(raw)).isInstanceOf(Cidr.Read.Ok.class);
    assertThat(Cidr.parse(raw)).hasToString(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0      | must be a network in CIDR form
          172.20.0.1/16   | has host bits set: did you mean 172.20.0.0/16?
          172.20.0.0/33   | prefix length '33' must be a number from 0 to 32
          172.20.0.0/x    | prefix length 'x'
          172.20.0/16     | must be an IPv4 address
          300.20.0.0/16   | has an octet above 255
          """)
  void refusesEverythingElseSayingWhy(String raw, String problem) {
    assertThat(Cidr.read(raw))
        .isInstanceOfSatisfying(
            Cidr.Read.Bad.class, bad -> assertThat(bad.problem()).contains(problem));
    assertThatThrownBy(() -> Cidr.parse(raw)).hasMessageContaining(problem);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0/16 | 172.20.3.0/24  | true  | true
          172.20.3.0/24 | 172.20.0.0/16  | false | true
          172.20.0.0/24 | 172.20.1.0/24  | false | false
          172.20.0.0/23 | 172.20.1.0/24  | true  | true
          10.0.0.0/8    | 172.20.0.0/16  | false | false
          0.0.0.0/0     | 255.255.255.255/32 | true | true
          """)
  void containsAndOverlaps(String a, String b, boolean contains, boolean overlaps) {
    Cidr x = Cidr.parse(a);
    Cidr y = Cidr.parse(b);
    assertThat(x.contains(y)).isEqualTo(contains);
    assertThat(x.overlaps(y)).isEqualTo(overlaps);
    assertThat(y.overlaps(x)).isEqualTo(overlaps);
  }

  @ParameterizedTest
  @CsvSource({"172.20.3.0/24", "0.0.0.0/0", "10.1.2.3/32"})
  void aKeySegmentReadsBackAsTheSameNetwork(String raw) {
    Cidr cidr = Cidr.parse(raw);
    assertThat(cidr.keySegment()).doesNotContain("/");
    assertThat(Cidr.fromKeySegment(cidr.keySegment())).isEqualTo(new Cidr.Read.Ok(cidr));
  }

  @ParameterizedTest
  @CsvSource({"172.20.3.0/24, 1, 172.20.3.1", "172.20.3.0/24, 255, 172.20.3.255"})
  void addressesCountFromTheNetworksOwn(String raw, long n, String address) {
    assertThat(Cidr.parse(raw).address(n)).isEqualTo(address);
  }
}
