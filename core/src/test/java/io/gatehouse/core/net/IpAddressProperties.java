package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IpAddressProperties {

  @Property
  void ipv4TextRoundTrips(@ForAll int bits) {
    IpAddress a = IpAddress.ofV4(bits);
    assertThat(IpAddress.parse(a.toString())).isEqualTo(a);
    assertThat(a.toBytes()).isEqualTo(InetAddresses.forString(a.toString()).getAddress());
  }

  @Property
  void ipv6TextRoundTripsAndMatchesTheJdk(@ForAll("sparseLongs") long hi, @ForAll("sparseLongs") long lo)
      throws Exception {
    IpAddress a = IpAddress.ofV6(hi, lo);
    assertThat(IpAddress.parse(a.toString())).isEqualTo(a);
    // The JDK parses literals without DNS; its bytes must agree with ours.
    InetAddress jdk = InetAddress.getByName(a.isV4() ? a.toString() : "[" + a + "]");
    assertThat(IpAddress.ofBytes(jdk.getAddress())).isEqualTo(a);
    if (a.isV6()) {
      assertThat(a.toString()).isEqualTo(InetAddresses.toAddrString(jdk));
    }
  }

  @Property
  void everyUncompressedFormParsesToTheSameAddress(@ForAll("sparseLongs") long hi, @ForAll("sparseLongs") long lo) {
    IpAddress a = IpAddress.ofV6(hi, lo);
    StringBuilder full = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      long word = i < 4 ? hi : lo;
      int group = (int) (word >>> (48 - 16 * (i % 4))) & 0xffff;
      full.append(i == 0 ? "" : ":").append(String.format("%04X", group));
    }
    assertThat(IpAddress.parse(full.toString())).isEqualTo(a);
  }

  @Property
  void parsingNeverThrowsOnArbitraryText(@ForAll("addressLikeText") String text) {
    IpAddress.tryParse(text);
    IpAddress.tryParseLoose(text);
  }

  @Provide
  Arbitrary<Long> sparseLongs() {
    // Zero groups are where canonical forms get interesting, so make them common.
    return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 0xffffL, 0x0000_ffff_0000_0000L, 1L),
        Arbitraries.longs().map(l -> l & 0xffff_0000_0000_ffffL), Arbitraries.longs().map(l -> l & 0x0000_ffff_0000_0000L));
  }

  @Provide
  Arbitrary<String> addressLikeText() {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF:.[]%/ \t-_xX١").ofMaxLength(60);
  }
}
