package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Country and continent blocks answer 1009 with their own words; network blocks keep 1012. */
class CountryBlockEndToEndTest {

  /** A test database from the core module's test resources, copied out to a file. */
  static Path database(Path dir, String name) throws Exception {
    Path out = dir.resolve(name);
    try (InputStream in = CountryBlockEndToEndTest.class.getResourceAsStream("/geo/" + name)) {
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }
    return out;
  }

  @Test
  void aCountryBlockRendersError1009(@TempDir Path dir) throws Exception {
    Gatehouse g = FilterEndToEndTest.engine("""
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.geo.country-database=%s
        gatehouse.geo.asn-database=%s
        gatehouse.access-rule.bt=block country BT "not served here"
        gatehouse.access-rule.telstra=block asn 1221
        """.formatted(database(dir, "GeoLite2-Country-Test.mmdb"), database(dir, "GeoLite2-ASN-Test.mmdb")));
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> country = jetty.get("/", "X-Forwarded-For", "67.43.156.9");
      assertThat(country.statusCode()).isEqualTo(403);
      assertThat(country.headers().firstValue("Gatehouse-Error")).contains("1009");
      assertThat(country.body()).contains("Error 1009").contains("<h2>Country or region banned</h2>")
          .contains("has banned the country or region your IP address (67.43.156.9) is in")
          .doesNotContain("malicious activity");

      HttpResponse<String> json = jetty.get("/", "X-Forwarded-For", "67.43.156.9", "Accept", "application/json");
      assertThat(json.body()).contains("\"error_code\":1009").contains("\"error_name\":\"country_banned\"");

      HttpResponse<String> asn = jetty.get("/", "X-Forwarded-For", "1.128.0.9");
      assertThat(asn.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(asn.body()).contains("Error 1012").contains("<h2>Access denied</h2>");

      assertThat(jetty.get("/", "X-Forwarded-For", "81.2.69.161").statusCode()).isEqualTo(200);
    }
  }
}
