package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Through Jetty: the client address comes from the forwarding header only when the peer is trusted. */
class ProxyEndToEndTest {

  @Test
  void anAccessRuleOnTheResolvedClientBlocksTheVisitorBehindATrustedProxy() throws Exception {
    Gatehouse g = FilterEndToEndTest.engine("""
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1, ::1
        gatehouse.access-rule.bad=block ip 203.0.113.0/24
        """);
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> blocked = jetty.get("/", "X-Forwarded-For", "198.51.100.1, 203.0.113.9");
      assertThat(blocked.statusCode()).isEqualTo(403);
      assertThat(blocked.body()).contains("Your IP: 203.0.113.9").doesNotContain("Your IP: 127.0.0.1");
      SecurityEvent e = g.events().query(EventLog.Query.all(1)).get(0);
      assertThat(e.clientIp()).isEqualTo("203.0.113.9");
      assertThat(e.peerIp()).isEqualTo("127.0.0.1");
      assertThat(e.clientIpDerivation()).isEqualTo("header");

      // A forged hop to the left of the real client changes nothing.
      assertThat(jetty.get("/", "X-Forwarded-For", "192.0.2.1, 203.0.113.9").statusCode()).isEqualTo(403);
      // Claiming a clean address on the left does not help either; the right-most untrusted hop is judged.
      assertThat(jetty.get("/", "X-Forwarded-For", "203.0.113.9, 192.0.2.1").statusCode()).isEqualTo(200);
      assertThat(jetty.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theSameHeaderFromAnUntrustedPeerChangesNothing() throws Exception {
    Gatehouse g = FilterEndToEndTest.engine("""
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=10.0.0.0/8
        gatehouse.access-rule.bad=block ip 203.0.113.0/24
        gatehouse.access-rule.me=log ip 127.0.0.1
        """);
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = jetty.get("/", "X-Forwarded-For", "203.0.113.9");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("app saw /");
      SecurityEvent e = g.events().query(EventLog.Query.all(1)).get(0);
      assertThat(e.action().id()).isEqualTo("log");
      assertThat(e.clientIp()).isEqualTo("127.0.0.1");
      assertThat(e.clientIpDerivation()).isEqualTo("untrusted_peer");
    }
  }
}
