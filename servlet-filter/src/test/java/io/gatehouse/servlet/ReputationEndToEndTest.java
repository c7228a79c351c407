package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.SecurityEvent;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through Jetty: an address in a feed gets the 1012 page and the event names the feed and the score; an
 * allow rule added for it lets it through; a shared address with the same score is challenged instead.
 */
class ReputationEndToEndTest {

  @Test
  void aListedAddressIsRefusedUntilAllowlisted(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("blocklist.netset"), "# test feed\n203.0.113.0/24\n100.64.1.0/24\n");
    Path config = dir.resolve("gatehouse.properties");
    String base = """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.reputation.feed.blocklist.source=blocklist.netset
        gatehouse.reputation.feed.blocklist.score=70
        gatehouse.security-level.action=block
        """;
    Files.writeString(config, base);
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> blocked = jetty.get("/", "X-Forwarded-For", "203.0.113.9");
      assertThat(blocked.statusCode()).isEqualTo(403);
      assertThat(blocked.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(blocked.body()).contains("Error 1012").contains("malicious activity was detected");
      String ray = blocked.headers().firstValue("Gatehouse-Ray").orElseThrow();
      SecurityEvent e = g.events().findByRay(ray).orElseThrow();
      assertThat(e.source().id()).isEqualTo("security_level");
      assertThat(e.threatScore()).isEqualTo(70);
      assertThat(e.description()).contains("listed by [blocklist 70]");

      HttpResponse<String> shared = jetty.get("/", "X-Forwarded-For", "100.64.1.20");
      assertThat(shared.statusCode()).isEqualTo(403);
      assertThat(shared.headers().firstValue("Gatehouse-Mitigated")).contains("challenge");
      assertThat(g.events().findByRay(shared.headers().firstValue("Gatehouse-Ray").orElseThrow()).orElseThrow()
          .sharedIp()).isTrue();

      Files.writeString(config, base + "gatehouse.access-rule.office=allow ip 203.0.113.9 \"office egress\"\n");
      assertThat(g.reload().applied()).isTrue();
      HttpResponse<String> allowed = jetty.get("/", "X-Forwarded-For", "203.0.113.9");
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.body()).isEqualTo("app saw /");
      assertThat(jetty.get("/", "X-Forwarded-For", "203.0.113.10").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void aScannerWalkingMissingPathsEndsUpBlocked(@TempDir Path dir) throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("t", """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        """)).watchFiles(false).build();
    GatehouseFilter filter = new GatehouseFilter(g);
    try (JettyFixture jetty = JettyFixture.withStatus(filter, 404)) {
      for (int i = 0; i < 20; i++) {
        assertThat(jetty.get("/wp-admin/probe" + i + ".php", "X-Forwarded-For", "198.51.100.66").statusCode())
            .isEqualTo(404);
      }
      assertThat(jetty.get("/", "X-Forwarded-For", "198.51.100.66").statusCode()).isEqualTo(403);
      assertThat(jetty.get("/", "X-Forwarded-For", "198.51.100.67").statusCode()).isEqualTo(404);
    }
  }
}
