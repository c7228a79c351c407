package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "10.0.0.0/8 | 10.0.0.0/8",
      "0.0.0.0/0 | 0.0.0.0/0",
      "192.0.2.1 | 192.0.2.1/32",
      "192.0.2.1/32 | 192.0.2.1/32",
      "2001:DB8::/32 | 2001:db8::/32",
      "::/0 | ::/0",
      "2001:db8::1 | 2001:db8::1/128",
      "::ffff:10.0.0.0/104 | 10.0.0.0/8",
      "::ffff:0:0/96 | 0.0.0.0/0",
      "::ffff:192.0.2.1/128 | 192.0.2.1/32",
  })
  void parsesNetworks(String text, String canonical) {
    assertThat(Cidr.parse(text).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "10.0.0.1/8 | '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
      "192.0.2.77/24 | '192.0.2.77/24' has host bits set; the network is 192.0.2.0/24",
      "2001:db8::1/32 | '2001:db8::1/32' has host bits set; the network is 2001:db8::/32",
      "::ffff:10.0.0.1/104 | '::ffff:10.0.0.1/104' has host bits set; the network is ::ffff:10.0.0.0/104",
      "10.0.0.0/33 | '10.0.0.0/33' is not a network: the prefix length must be 0..32",
      "2001:db8::/129 | '2001:db8::/129' is not a network: the prefix length must be 0..128",
      "10.0.0.0/ | '10.0.0.0/' is not a network: the prefix length must be 0..32",
      "10.0.0.0/x | '10.0.0.0/x' is not a network: the prefix length must be 0..32",
      "10.0.0.0/-1 | '10.0.0.0/-1' is not a network: the prefix length must be 0..32",
      "::ffff:0:0/95 | '::ffff:0:0/95' is not a network: an IPv4-mapped prefix must be /96 or longer",
      "010.0.0.0/8 | '010.0.0.0/8' is not a network: '010.0.0.0' is not an IP address literal: octets with leading zeros are ambiguous (octal or decimal)",
      "example.com/8 | 'example.com/8' is not a network: 'example.com' is not an IP address literal",
  })
  void rejectionsNameTheProblemAndTheIntendedNetwork(String text, String message) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void containsAndBounds() {
    Cidr net = Cidr.parse("192.0.2.0/24");
    assertThat(net.contains(IpAddress.parse("192.0.2.255"))).isTrue();
    assertThat(net.contains(IpAddress.parse("192.0.3.0"))).isFalse();
    assertThat(net.contains(IpAddress.parse("::ffff:192.0.2.9"))).isTrue();
    assertThat(net.last()).isEqualTo(IpAddress.parse("192.0.2.255"));
    assertThat(Cidr.parse("0.0.0.0/0").last()).isEqualTo(IpAddress.parse("255.255.255.255"));
    Cidr v6 = Cidr.parse("2001:db8::/48");
    assertThat(v6.last().toString()).isEqualTo("2001:db8:0:ffff:ffff:ffff:ffff:ffff");
    assertThat(v6.contains(IpAddress.parse("192.0.2.1"))).isFalse();
    // ::/80 ends inside the mapped block, but its last address stays IPv6.
    assertThat(Cidr.parse("::/80").last().isV6()).isTrue();
  }

  @Test
  void coveringMasksInsteadOfRejecting() {
    assertThat(Cidr.covering(IpAddress.parse("2001:db8:1:2:3:4:5:6"), 64).toString()).isEqualTo("2001:db8:1:2::/64");
  }
}
