package io.gatehouse.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.net.ClientIpResolver.Header;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether the visitor used HTTPS: the scheme, or what a trusted proxy says, never what anyone else says. */
class VisitorHttpsTest {

  private static final ClientIpResolver BEHIND_PROXY =
      ClientIpResolver.of(Header.X_FORWARDED_FOR, List.of(Cidr.parse("10.0.0.0/8")));

  @Test
  void theConnectionsOwnSchemeCounts() {
    assertThat(ClientIpResolver.peerOnly()
        .visitorUsedHttps(RequestFacts.builder().peer("198.51.100.7").scheme("https").build())).isTrue();
    assertThat(ClientIpResolver.peerOnly()
        .visitorUsedHttps(RequestFacts.builder().peer("198.51.100.7").scheme("http").build())).isFalse();
  }

  @Test
  void aTrustedProxySaysSoInEitherHeader() {
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-Proto", "https").build())).isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-Proto", "HTTPS").build())).isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("Forwarded", "for=198.51.100.9;proto=https").build()))
        .isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("Forwarded", "for=198.51.100.9;proto=\"https\";by=x").build()))
        .isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(RequestFacts.builder().peer("10.0.0.1")
        .header("Forwarded", "for=198.51.100.9;proto=https;by=\"[2001:db8::1]:80,x\"").build()))
        .as("a comma inside quotes does not start an element").isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(RequestFacts.builder().peer("10.0.0.1")
        .header("Forwarded", "for=198.51.100.9;proto=https, ").build())).as("an empty last element").isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(RequestFacts.builder().peer("10.0.0.1")
        .header("Forwarded", "for=198.51.100.9;proto=https;proto=https").build())).as("proto twice").isFalse();
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-Proto", "http").build())).isFalse();
    assertThat(BEHIND_PROXY.visitorUsedHttps(RequestFacts.builder().peer("10.0.0.1").build())).isFalse();
  }

  @Test
  void theNearestProxysWordWins() {
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-Proto", "https, http").build())).isFalse();
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-Proto", "http, https").build())).isTrue();
    assertThat(BEHIND_PROXY.visitorUsedHttps(RequestFacts.builder().peer("10.0.0.1")
        .header("Forwarded", "for=203.0.113.1;proto=https, for=198.51.100.9;proto=http").build())).isFalse();
  }

  @Test
  void anyoneElseIsIgnored() {
    assertThat(BEHIND_PROXY.visitorUsedHttps(
        RequestFacts.builder().peer("198.51.100.7").header("X-Forwarded-Proto", "https").build())).isFalse();
    assertThat(ClientIpResolver.peerOnly().visitorUsedHttps(
        RequestFacts.builder().peer("10.0.0.1").header("X-Forwarded-Proto", "https").build())).isFalse();
  }

  @Test
  void hostileValuesDoNotThrow() {
    for (String v : new String[] {"", ",", ";;;", "proto=", "\"", "proto=\"", ",".repeat(10_000), "=;=,=;"}) {
      assertThat(BEHIND_PROXY.visitorUsedHttps(RequestFacts.builder().peer("10.0.0.1").header("Forwarded", v)
          .header("X-Forwarded-Proto", v).build())).isFalse();
    }
  }
}
