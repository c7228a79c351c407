package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalIndexTest {

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  @Test
  void emptyIndexFindsNothing() {
    IntervalIndex<String> index = IntervalIndex.<String>builder().build();
    assertThat(index.get(ip("192.0.2.1"))).isNull();
    assertThat(index.get(ip("::1"))).isNull();
    assertThat(index.isEmpty()).isTrue();
  }

  @Test
  void moreSpecificNetworkWinsUnderPrefixPrecedence() {
    IntervalIndex<Cidr> index = IntervalIndex.<Cidr>builder(Comparator.comparingInt(Cidr::prefixLength))
        .add(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/8"))
        .add(Cidr.parse("10.1.0.0/16"), Cidr.parse("10.1.0.0/16"))
        .add(Cidr.parse("10.1.2.3/32"), Cidr.parse("10.1.2.3/32"))
        .build();
    assertThat(index.get(ip("10.9.9.9"))).hasToString("10.0.0.0/8");
    assertThat(index.get(ip("10.1.9.9"))).hasToString("10.1.0.0/16");
    assertThat(index.get(ip("10.1.2.3"))).hasToString("10.1.2.3/32");
    assertThat(index.get(ip("10.1.2.4"))).hasToString("10.1.0.0/16");
    assertThat(index.get(ip("11.0.0.0"))).isNull();
    assertThat(index.get(ip("9.255.255.255"))).isNull();
    // 10/8 is cut around the /16, which is cut around the /32: five pieces.
    assertThat(index.sizeV4()).isEqualTo(5);
  }

  @Test
  void firstAddedWinsOnEqualPrecedence() {
    IntervalIndex<String> index = IntervalIndex.<String>builder()
        .add(Cidr.parse("192.0.2.0/24"), "first")
        .add(Cidr.parse("192.0.2.0/24"), "second")
        .build();
    assertThat(index.get(ip("192.0.2.5"))).isEqualTo("first");
  }

  @Test
  void extremesOfBothFamilies() {
    IntervalIndex<String> index = IntervalIndex.<String>builder(Comparator.comparing(String::length))
        .add(Cidr.parse("0.0.0.0/0"), "all4")
        .add(Cidr.parse("255.255.255.255/32"), "top4-longer")
        .add(Cidr.parse("0.0.0.0/32"), "bottom4-long")
        .add(Cidr.parse("::/0"), "all6")
        .add(Cidr.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), "top6-longer")
        .add(Cidr.parse("8000::/1"), "upper6-long")
        .build();
    assertThat(index.get(ip("0.0.0.0"))).isEqualTo("bottom4-long");
    assertThat(index.get(ip("0.0.0.1"))).isEqualTo("all4");
    assertThat(index.get(ip("127.255.255.255"))).isEqualTo("all4");
    assertThat(index.get(ip("128.0.0.0"))).isEqualTo("all4");
    assertThat(index.get(ip("255.255.255.255"))).isEqualTo("top4-longer");
    assertThat(index.get(ip("::"))).isEqualTo("all6");
    assertThat(index.get(ip("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isEqualTo("all6");
    assertThat(index.get(ip("8000::"))).isEqualTo("upper6-long");
    assertThat(index.get(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))).isEqualTo("upper6-long");
    assertThat(index.get(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isEqualTo("top6-longer");
  }

  @Test
  void adjacentPiecesWithEqualValuesMerge() {
    IntervalIndex<String> index = IntervalIndex.<String>builder()
        .add(Cidr.parse("192.0.2.0/25"), "x")
        .add(Cidr.parse("192.0.2.128/25"), "x")
        .add(Cidr.parse("2001:db8::/33"), "y")
        .add(Cidr.parse("2001:db8:8000::/33"), "y")
        .build();
    assertThat(index.sizeV4()).isEqualTo(1);
    assertThat(index.sizeV6()).isEqualTo(1);
    List<String> seen = new ArrayList<>();
    index.forEach((first, last, v) -> seen.add(first + "-" + last + "=" + v));
    assertThat(seen).containsExactly("192.0.2.0-192.0.2.255=x",
        "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff=y");
  }

  @Test
  void rangesThatAreNotNetworks() {
    IntervalIndex<String> index = IntervalIndex.<String>builder()
        .add(ip("192.0.2.10"), ip("192.0.2.20"), "a")
        .add(ip("192.0.2.15"), ip("192.0.2.30"), "b")
        .build();
    assertThat(index.get(ip("192.0.2.9"))).isNull();
    assertThat(index.get(ip("192.0.2.15"))).isEqualTo("a");
    assertThat(index.get(ip("192.0.2.20"))).isEqualTo("a");
    assertThat(index.get(ip("192.0.2.21"))).isEqualTo("b");
    assertThat(index.get(ip("192.0.2.30"))).isEqualTo("b");
    assertThat(index.get(ip("192.0.2.31"))).isNull();
  }
}
