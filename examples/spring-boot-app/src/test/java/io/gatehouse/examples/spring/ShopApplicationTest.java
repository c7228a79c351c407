package io.gatehouse.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.Browser;
import io.gatehouse.testing.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example shop on Spring Boot 4 with Spring Security, end to end over real HTTP: Gatehouse answers
 * before Spring Security, its dashboard works, and Actuator's health and metrics show it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {

  private static final String TOKEN = "example-admin-token-change-me";
  private static final String OPS = basic("ops", "ops-password-change-me");

  @Value("${local.server.port}")
  int port;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBlockedAddressGets1012OnAProtectedUrlNotSpringSecuritysLogin() throws Exception {
    HttpResponse<String> blocked = get("/account", "X-Forwarded-For", "203.0.113.9", "User-Agent", "Mozilla/5.0",
        "Accept", "text/html");
    assertThat(blocked.statusCode()).as("Spring Boot " + SpringBootVersion.getVersion()).isEqualTo(403);
    assertThat(blocked.headers().firstValue("Gatehouse-Error")).contains("1012");
    assertThat(blocked.body()).contains("Error 1012", "Access denied");

    // The office inside the blocked range, and everyone else, meet Spring Security as before.
    assertThat(get("/account", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(401);
    assertThat(get("/account", "X-Forwarded-For", "198.51.100.1", "Authorization",
        basic("shopper", "shopper-password-change-me")).body()).isEqualTo("Your account, shopper.\n");
    assertThat(get("/", "X-Forwarded-For", "198.51.100.1").body()).isEqualTo("Welcome to the shop.\n");
  }

  @Test
  void theDashboardAndTheAdminApiWorkWithTheirOwnToken() throws Exception {
    get("/wp-login.php", "X-Forwarded-For", "198.51.100.23", "User-Agent", "Mozilla/5.0");
    HttpResponse<String> page = get("/__gatehouse/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("data-admin=\"/__gatehouse\"");
    HttpResponse<String> events = get("/__gatehouse/events?ip=198.51.100.23", "Authorization", "Bearer " + TOKEN);
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("\"rule_id\":\"wp-probes\"");
    assertThat(get("/__gatehouse/events", "Authorization", basic("ops", "ops-password-change-me")).statusCode())
        .as("Spring Security's credentials are not the admin token").isEqualTo(401);
  }

  @Test
  void actuatorHealthMetricsAndTheEndpointShowGatehouse() throws Exception {
    get("/", "X-Forwarded-For", "203.0.113.50");

    HttpResponse<String> health = get("/actuator/health", "Authorization", OPS);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"gatehouse\":{").contains("\"degraded\":false").contains("\"access_rules\":2");
    assertThat(get("/actuator/health").body()).as("details only for operators").doesNotContain("access_rules");

    assertThat(get("/actuator/metrics/gatehouse.decisions").statusCode()).isEqualTo(401);
    HttpResponse<String> decisions = get("/actuator/metrics/gatehouse.decisions?tag=code:1012", "Authorization", OPS);
    assertThat(decisions.statusCode()).isEqualTo(200);
    assertThat(decisions.body()).contains("\"name\":\"gatehouse.decisions\"").contains("\"value\":1.0");

    HttpResponse<String> endpoint = get("/actuator/gatehouse/ip/203.0.113.50", "Authorization", OPS);
    assertThat(endpoint.statusCode()).isEqualTo(200);
    assertThat(endpoint.body()).contains("\"rule_id\":\"abusers\"");
  }

  @Test
  void theDashboardRunsInABrowser() throws Exception {
    Chromium.require();
    get("/wp-login.php", "X-Forwarded-For", "198.51.100.24", "User-Agent", "Mozilla/5.0");
    try (Browser browser = Browser.launch()) {
      Browser.Page page = browser.newPage();
      page.viewport(1280, 900);
      page.navigate("http://127.0.0.1:" + port + "/__gatehouse/");
      page.type("#token", TOKEN);
      page.click("#signin");
      page.waitFor("document.querySelectorAll('#events-table tbody tr.event').length >= 1", Duration.ofSeconds(15));
      assertThat(page.text("document.getElementById('events-table').textContent")).contains("wp-probes");
      page.screenshot(Path.of("target", "screenshots", "spring-boot-dashboard.png"), true);
    }
  }
}
