package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0.0.0.0 | 0.0.0.0",
      "192.0.2.1 | 192.0.2.1",
      "255.255.255.255 | 255.255.255.255",
      "::| ::",
      "::1 | ::1",
      "2001:DB8::1 | 2001:db8::1",
      "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
      "2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
      "2001:db8::0:1:0:0:1 | 2001:db8::1:0:0:1",
      "fe80::1:2:3:4 | fe80::1:2:3:4",
      "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:8",
      "1:0:0:0:0:0:0:0 | 1::",
      "0:0:0:0:0:0:0:1 | ::1",
      "::ffff:192.0.2.1 | 192.0.2.1",
      "::FFFF:c000:0201 | 192.0.2.1",
      "0:0:0:0:0:ffff:10.1.2.3 | 10.1.2.3",
      "::192.0.2.1 | ::c000:201",
      "64:ff9b::192.0.2.33 | 64:ff9b::c000:221",
      "2001:db8:0:1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
  })
  void parsesAndPrintsCanonically(String literal, String canonical) {
    IpAddress a = IpAddress.parse(literal);
    assertThat(a.toString()).isEqualTo(canonical);
    assertThat(IpAddress.parse(canonical)).isEqualTo(a);
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(strings = {
      "", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "01.2.3.4", "1.2.3.04", "00.0.0.0",
      "1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "0x7f.0.0.1", "2130706433", "127.1",
      "1.2.3.4/32", "1.2.3.4:80", "localhost", "example.com",
      "١٢٣.1.1.1", "１.2.3.4", "1.2.3.٤",
      ":", ":::", "1:::2", "::1::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1",
      "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "g::1", "1:", ":1", "1:2:3:4:5:6:7:",
      "::ffff:1.2.3", "::ffff:256.1.1.1", "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0", "[::1]",
      "1:2:3:4:5:6:7:1.2.3.4", "::ffff:01.2.3.4"
  })
  void rejectsWhatIsNotAStrictLiteral(String literal) {
    assertThat(IpAddress.tryParse(literal)).isNull();
    assertThatThrownBy(() -> IpAddress.parse(literal)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectionMessagesEchoTheInputAndSayWhy() {
    assertThatThrownBy(() -> IpAddress.parse("010.0.0.1"))
        .hasMessage("'010.0.0.1' is not an IP address literal: octets with leading zeros are ambiguous (octal or decimal)");
    assertThatThrownBy(() -> IpAddress.parse("example.com"))
        .hasMessage("'example.com' is not an IP address literal");
    assertThatThrownBy(() -> IpAddress.parse("fe80::1%eth0"))
        .hasMessage("'fe80::1%eth0' is not an IP address literal: a zone id does not belong here");
    assertThatThrownBy(() -> IpAddress.parse("1.2.3.٤"))
        .hasMessage("'1.2.3.٤' is not an IP address literal: it contains a character outside printable ASCII");
  }

  @Test
  void mappedAddressesAreTheIpv4AddressTheyCarry() {
    IpAddress mapped = IpAddress.parse("::ffff:203.0.113.9");
    assertThat(mapped.isV4()).isTrue();
    assertThat(mapped).isEqualTo(IpAddress.parse("203.0.113.9"));
    assertThat(IpAddress.ofBytes(InetAddresses.forString("::ffff:203.0.113.9").getAddress())).isEqualTo(mapped);
  }

  @ParameterizedTest(name = "loose \"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      "192.0.2.1 | 192.0.2.1",
      "' 192.0.2.1\t' | 192.0.2.1",
      "192.0.2.1:8080 | 192.0.2.1",
      "[2001:db8::1] | 2001:db8::1",
      "[2001:db8::1]:443 | 2001:db8::1",
      "2001:db8::1 | 2001:db8::1",
      "fe80::1%eth0 | fe80::1",
      "[fe80::1%25en0]:80 | fe80::1",
      "[::ffff:192.0.2.1]:80 | 192.0.2.1",
      "0:0:0:0:0:0:0:1 | ::1",
  })
  void looseParsingAcceptsPortsBracketsAndZones(String text, String expected) {
    assertThat(IpAddress.tryParseLoose(text)).isEqualTo(IpAddress.parse(expected));
  }

  @ParameterizedTest(name = "loose rejects \"{0}\"")
  @ValueSource(strings = {
      "", "unknown", "_hidden", "[192.0.2.1]", "[2001:db8::1", "2001:db8::1]", "[2001:db8::1]:", "[2001:db8::1]:99999",
      "192.0.2.1:", "192.0.2.1:http", "192.0.2.1:65536", "fe80::1%", "fe80::1%eth 0", "192.0.2.1%eth0",
      "[2001:db8::1]x", "192.0.2.1:80:80"
  })
  void looseParsingStillRejectsGarbage(String text) {
    assertThat(IpAddress.tryParseLoose(text)).isNull();
  }

  @Test
  void bytesRoundTrip() {
    for (String s : new String[] {"192.0.2.1", "2001:db8::ff00:42:8329", "::", "255.255.255.255"}) {
      IpAddress a = IpAddress.parse(s);
      assertThat(IpAddress.ofBytes(a.toBytes())).isEqualTo(a);
      assertThat(a.toBytes()).isEqualTo(InetAddresses.forString(s).getAddress());
    }
  }

  @Test
  void ipv4OrdersBeforeIpv6AndNumericallyWithinAFamily() {
    assertThat(IpAddress.parse("255.255.255.255")).isLessThan(IpAddress.parse("::"));
    assertThat(IpAddress.parse("9.0.0.0")).isLessThan(IpAddress.parse("10.0.0.0"));
    assertThat(IpAddress.parse("128.0.0.0")).isGreaterThan(IpAddress.parse("127.255.255.255"));
    assertThat(IpAddress.parse("8000::")).isGreaterThan(IpAddress.parse("7fff::"));
  }

  @Test
  void maskClearsHostBits() {
    assertThat(IpAddress.parse("192.0.2.77").mask(24)).isEqualTo(IpAddress.parse("192.0.2.0"));
    assertThat(IpAddress.parse("192.0.2.77").mask(0)).isEqualTo(IpAddress.parse("0.0.0.0"));
    assertThat(IpAddress.parse("2001:db8:1:2:3:4:5:6").mask(64)).isEqualTo(IpAddress.parse("2001:db8:1:2::"));
    assertThat(IpAddress.parse("2001:db8:1:2:3:4:5:6").mask(80)).isEqualTo(IpAddress.parse("2001:db8:1:2:3::"));
    assertThat(IpAddress.parse("2001:db8:1:2:ff03:4:5:6").mask(72)).isEqualTo(IpAddress.parse("2001:db8:1:2:ff00::"));
  }
}
