package io.gatehouse.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRuleTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "block ip 203.0.113.0/24 | block ip 203.0.113.0/24",
      "BLOCK IP 203.0.113.9 | block ip 203.0.113.9",
      "allow ip 2001:DB8::/32 \"partner, v6\" | allow ip 2001:db8::/32 \"partner, v6\"",
      "log   ip   ::ffff:198.51.100.0/120 | log ip 198.51.100.0/24",
      "challenge asn AS64496 | challenge asn 64496",
      "block asn 4294967295 | block asn 4294967295",
      "block country de | block country DE",
      "block country XX \"unknown origin\" | block country XX \"unknown origin\"",
      "allow continent eu | allow continent EU",
      "block ip 192.0.2.1 \"say \\\"hi\\\"\" | block ip 192.0.2.1 \"say \\\"hi\\\"\"",
  })
  void parsesAndWritesBackCanonically(String text, String canonical) {
    assertThat(AccessRule.parse("r", text, "f:1").text()).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "'' | '' is not an access rule; write ACTION TARGET VALUE [\"notes\"], for example: block ip 192.0.2.0/24 \"scanner\"",
      "block ip | 'block ip' is not an access rule; write ACTION TARGET VALUE [\"notes\"], for example: block ip 192.0.2.0/24 \"scanner\"",
      "deny ip 192.0.2.1 | 'deny' is not an access rule action: allow, block, challenge or log",
      "block host example.com | 'host' is not an access rule target: ip, asn, country or continent",
      "block ip 10.0.0.1/8 | '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
      "block ip 10.0.0.256 | '10.0.0.256' is not an IP address literal",
      "block asn ASX | 'ASX' is not an AS number (1 to 4294967295, optionally written AS64496)",
      "block asn 0 | '0' is not an AS number (1 to 4294967295, optionally written AS64496)",
      "block asn 4294967296 | '4294967296' is not an AS number (1 to 4294967295, optionally written AS64496)",
      "block country ZZ | 'ZZ' is not an ISO 3166-1 alpha-2 country code (or XX for unknown)",
      "block country Germany | 'Germany' is not an ISO 3166-1 alpha-2 country code (or XX for unknown)",
      "block continent EUR | 'EUR' is not a continent code: AF AN AS EU NA OC SA",
      "block ip 192.0.2.1 scanner | notes must be in double quotes: 'scanner'",
      "block ip 192.0.2.1 \"open | the notes' closing quote is missing",
      "block ip 192.0.2.1 \"a\" b | unexpected text after the notes: 'b'",
  })
  void rejectsWithAMessageThatSaysWhat(String text, String message) {
    assertThatThrownBy(() -> AccessRule.parse("r", text, "f:1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void mostSpecificRuleWinsThenTheStrongerAction() {
    AccessRule.Table rules = AccessRule.Table.compile(List.of(
        AccessRule.parse("range", "block ip 203.0.113.0/24", "f:1"),
        AccessRule.parse("host", "allow ip 203.0.113.7", "f:2"),
        AccessRule.parse("sub", "log ip 203.0.113.128/25", "f:3"),
        AccessRule.parse("dup-log", "log ip 198.51.100.0/24", "f:4"),
        AccessRule.parse("dup-block", "block ip 198.51.100.0/24", "f:5"),
        AccessRule.parse("dup-allow", "allow ip 198.51.100.0/24", "f:6"),
        AccessRule.parse("v6", "challenge ip 2001:db8::/32", "f:7")));
    assertThat(rules.matchAddress(IpAddress.parse("203.0.113.9")).id()).isEqualTo("range");
    assertThat(rules.matchAddress(IpAddress.parse("203.0.113.7")).id()).isEqualTo("host");
    assertThat(rules.matchAddress(IpAddress.parse("203.0.113.200")).id()).isEqualTo("sub");
    assertThat(rules.matchAddress(IpAddress.parse("198.51.100.1")).id()).isEqualTo("dup-allow");
    assertThat(rules.matchAddress(IpAddress.parse("2001:db8::99")).id()).isEqualTo("v6");
    assertThat(rules.matchAddress(IpAddress.parse("::ffff:203.0.113.7")).id()).isEqualTo("host");
    assertThat(rules.matchAddress(IpAddress.parse("192.0.2.1"))).isNull();
    assertThat(rules.matchAddress(null)).isNull();
    assertThat(rules.shadowed()).hasSize(2);
  }
}
