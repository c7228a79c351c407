package io.gatehouse.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter in a real Spring Boot application with Spring Security (the version this module is built
 * against; examples/spring-boot-app runs the same on Spring Boot 4), over real HTTP.
 */
class StarterTest {

  private static final String TOKEN = "spring-admin-token-0123456789";
  private static final String OPS = "Basic " + Base64.getEncoder().encodeToString(
      "ops:ops-password".getBytes(StandardCharsets.UTF_8));

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> send(ConfigurableApplicationContext app, String method, String path,
      String... headers) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ConfigurableApplicationContext app, String path, String... headers)
      throws Exception {
    return send(app, "GET", path, headers);
  }

  @Test
  void aBlockedAddressGets1012BeforeSpringSecurityAndTheDashboardWorks() throws Exception {
    try (ConfigurableApplicationContext app = TestApplication.start("guarded")) {
      HttpResponse<String> blocked = get(app, "/private", "X-Forwarded-For", "203.0.113.9", "User-Agent", "Mozilla/5.0");
      assertThat(blocked.statusCode()).as("Spring Boot " + SpringBootVersion.getVersion()).isEqualTo(403);
      assertThat(blocked.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(blocked.body()).contains("Error 1012").contains("Access denied");

      // Everyone else meets Spring Security as before.
      assertThat(get(app, "/private", "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(401);
      assertThat(get(app, "/private", "X-Forwarded-For", "198.51.100.1", "Authorization", OPS).body())
          .isEqualTo("private page");

      // The admin endpoints answer with their own token, never reaching Spring Security.
      HttpResponse<String> status = get(app, "/__gatehouse/status", "Authorization", "Bearer " + TOKEN);
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(status.body()).contains("\"access_rules\":1");
      HttpResponse<String> dashboard = get(app, "/__gatehouse/");
      assertThat(dashboard.statusCode()).isEqualTo(200);
      assertThat(dashboard.body()).contains("data-admin=\"/__gatehouse\"");
      HttpResponse<String> events = get(app, "/__gatehouse/events?ip=203.0.113.9", "Authorization", "Bearer " + TOKEN);
      assertThat(events.body()).contains("\"rule_id\":\"abuser\"");
    }
  }

  @Test
  void healthAndTheEndpointShowGatehouseSecuredLikeTheOtherEndpoints() throws Exception {
    try (ConfigurableApplicationContext app = TestApplication.start("guarded")) {
      get(app, "/wp-login.php", "X-Forwarded-For", "198.51.100.4", "User-Agent", "Mozilla/5.0");

      HttpResponse<String> health = get(app, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"gatehouse\":{\"status\":\"UP\"").contains("\"degraded\":false");

      assertThat(get(app, "/actuator/gatehouse").statusCode()).isEqualTo(401);
      HttpResponse<String> status = get(app, "/actuator/gatehouse", "Authorization", OPS);
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(status.body()).contains("\"access_rules\":1").contains("\"configuration\":\"application configuration\"");
      assertThat(get(app, "/actuator/gatehouse/events", "Authorization", OPS).body())
          .contains("\"rule_id\":\"probe\"");
      assertThat(get(app, "/actuator/gatehouse/ip/198.51.100.4", "Authorization", OPS).body())
          .contains("\"rule_id\":\"probe\"");
      assertThat(get(app, "/actuator/gatehouse/action/challenge", "Authorization", OPS).body())
          .isEqualTo("{\"events\":[]}");
      HttpResponse<String> decisions = get(app, "/actuator/metrics/gatehouse.decisions?tag=action:block", "Authorization",
          OPS);
      assertThat(decisions.statusCode()).isEqualTo(200);
      assertThat(decisions.body()).contains("\"name\":\"gatehouse.decisions\"").contains("{\"statistic\":\"COUNT\",\"value\":1.0}");
      assertThat(get(app, "/actuator/metrics/gatehouse.decide", "Authorization", OPS).body()).contains("COUNT");
      assertThat(get(app, "/actuator/metrics/gatehouse.access.rules", "Authorization", OPS).body())
          .contains("{\"statistic\":\"VALUE\",\"value\":1.0}");
      HttpResponse<String> reload = send(app, "POST", "/actuator/gatehouse", "Authorization", OPS);
      assertThat(reload.statusCode()).isEqualTo(200);
      assertThat(reload.body()).contains("\"applied\":true");
    }
  }

  @Test
  void problemsInApplicationPropertiesStopTheStartNamingEachLine() {
    assertThatThrownBy(() -> TestApplication.start("broken").close())
        .satisfies(e -> {
          Throwable root = e;
          while (root.getCause() != null && !(root instanceof ConfigException)) {
            root = root.getCause();
          }
          assertThat(root).isInstanceOf(ConfigException.class);
          assertThat(root.getMessage()).startsWith("3 configuration problems:")
              .contains("broken.properties:2: gatehouse.mode: 'enforce-strictly' is not one of enforce, simulate")
              .contains("broken.properties:3: gatehouse.secruity-level: unknown key")
              .contains("broken.properties:4:")
              .contains("gatehouse.rule.bad.expression: operator 'contains' does not apply to ip.src");
        });
  }

  @Test
  void problemsInApplicationYamlNameTheYamlLine() {
    assertThatThrownBy(() -> TestApplication.start("broken-yaml").close())
        .hasRootCauseInstanceOf(ConfigException.class)
        .rootCause().hasMessageContaining("broken-yaml.yml:8:")
        .hasMessageContaining("gatehouse.rule.bad.expression: operator 'contains' does not apply to ip.src");
  }

  @Test
  void aConfigFileIsReadInsteadOfInlineKeysButNotBeside() throws Exception {
    try (ConfigurableApplicationContext app = TestApplication.start("from-file")) {
      assertThat(app.getBean(Gatehouse.class).status().configuration()).isEqualTo("classpath:separate/gatehouse.properties");
      assertThat(get(app, "/private").statusCode()).isEqualTo(403);
    }
    assertThatThrownBy(() -> TestApplication.start("mixed").close())
        .rootCause().hasMessageContaining("mixed.properties:2: gatehouse.mode: set inline while gatehouse.config-file"
            + " (mixed.properties:1) names a file");
  }
}
