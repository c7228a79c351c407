package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1012 guide's fixes through Jetty: relax the API only, restrict the admin area to the offices, and
 * watch a new rule in simulate mode before enforcing it.
 */
class RulesEndToEndTest {

  static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";

  @Test
  void pathScopedRelaxationOfficeOnlyAdminAndASimulatedRule(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("feed.netset"), "198.51.100.0/24\n");
    Files.writeString(dir.resolve("offices.txt"), "# office egress ranges\n203.0.113.0/24\n");
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.reputation.feed.f.source=feed.netset
        gatehouse.reputation.feed.f.score=20
        gatehouse.list.offices=file:offices.txt

        gatehouse.config-rule.api.expression=starts_with(http.request.uri.path, "/api/")
        gatehouse.config-rule.api.set=security_level=low, browser_integrity_check=off

        gatehouse.rule.admin.expression=starts_with(http.request.uri.path, "/admin") and not ip.src in $offices
        gatehouse.rule.admin.action=block
        gatehouse.rule.admin.description=admin area is for the offices

        gatehouse.config-rule.try-uploads.expression=http.request.uri.path wildcard "/uploads/*"
        gatehouse.config-rule.try-uploads.set=mode=simulate
        gatehouse.rule.uploads.expression=http.request.uri.path wildcard "/uploads/*.php"
        gatehouse.rule.uploads.action=block
        """);
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      // The listed address (score 20) is blocked at the default medium level, but not on the API.
      assertThat(jetty.get("/products", "X-Forwarded-For", "198.51.100.5", "User-Agent", BROWSER).statusCode())
          .isEqualTo(403);
      assertThat(jetty.get("/api/products", "X-Forwarded-For", "198.51.100.6", "User-Agent", BROWSER).statusCode())
          .isEqualTo(200);

      HttpResponse<String> outsider = jetty.get("/admin/users", "X-Forwarded-For", "192.0.2.9", "User-Agent",
          BROWSER);
      assertThat(outsider.statusCode()).isEqualTo(403);
      assertThat(outsider.headers().firstValue("Gatehouse-Error")).contains("1020");
      assertThat(outsider.body()).contains("Error 1020").contains("firewall rules");
      assertThat(jetty.get("/admin/users", "X-Forwarded-For", "203.0.113.8", "User-Agent", BROWSER).statusCode())
          .isEqualTo(200);

      HttpResponse<String> simulated = jetty.get("/uploads/shell.php", "X-Forwarded-For", "192.0.2.10",
          "User-Agent", BROWSER);
      assertThat(simulated.statusCode()).as("simulate: recorded, not enforced").isEqualTo(200);
      assertThat(g.events().query(new EventLog.Query(null, null, null, "custom_rules", null, 10)))
          .anySatisfy(e -> {
            assertThat(e.ruleId()).isEqualTo("uploads");
            assertThat(e.enforced()).isFalse();
          });
    }
  }

  @Test
  void theConnectionFieldsComeFromTheContainerWhenARuleReadsThem() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("edge.properties", """
        gatehouse.rule.edge.expression=cf.edge.server_ip eq 127.0.0.1 and cf.edge.server_port gt 0 and not ssl and http.request.version eq "HTTP/1.1" and not cf.tls_client_auth.cert_presented and http.request.uri.path eq "/edge"
        gatehouse.rule.edge.action=block
        """)).watchFiles(false).build();
    assertThat(g.fieldsRead()).contains("cf.edge.server_ip", "cf.edge.server_port", "ssl");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      assertThat(jetty.get("/edge", "User-Agent", BROWSER).statusCode()).isEqualTo(403);
      assertThat(jetty.get("/elsewhere", "User-Agent", BROWSER).statusCode()).isEqualTo(200);
    }
  }
}
