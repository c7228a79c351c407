package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each kind of answer Gatehouse writes itself carries exactly its set of protective headers. */
class SecurityHeadersTest {

  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static final List<String> WATCHED = List.of("Gatehouse-Ray", "Gatehouse-Error", "Gatehouse-Mitigated",
      "Cache-Control", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy");
  private static final Pattern NONCE = Pattern.compile("'nonce-[A-Za-z0-9+/=]+'");
  private static final String ERROR_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
      + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Gatehouse engine;

  @BeforeEach
  void engine() throws Exception {
    engine = Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.admin.token=%s
        gatehouse.challenge.secret=an-e2e-secret-that-is-long-enough-1234
        gatehouse.challenge.difficulty=4
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.access-rule.bad=block ip 203.0.113.0/24
        gatehouse.access-rule.odd=challenge ip 198.51.100.0/24
        """.formatted(TOKEN))).environment(Map.of()).watchFiles(false).build();
  }

  /** The watched headers present, in that order, with any script nonce shown as {@code 'nonce-N'}. */
  private static Map<String, String> watched(HttpResponse<?> r) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : WATCHED) {
      r.headers().firstValue(name).ifPresent(v -> out.put(name, NONCE.matcher(v).replaceAll("'nonce-N'")));
    }
    assertThat(out.get("Gatehouse-Ray")).as("Ray ID").matches("[0-9a-f]{16}");
    out.put("Gatehouse-Ray", "R");
    return out;
  }

  @Test
  void refusalsInEveryFormatCarryTheErrorPageSet() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine))) {
      for (String accept : new String[] {"text/html", "application/json", "text/plain"}) {
        HttpResponse<String> r = jetty.get("/", "X-Forwarded-For", "203.0.113.9", "Accept", accept);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(watched(r)).as(accept).containsExactlyEntriesOf(ordered("Gatehouse-Ray", "R",
            "Gatehouse-Error", "1012", "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer", "Content-Security-Policy", ERROR_PAGE_CSP));
        assertThat(r.headers().firstValue("Vary")).contains("Accept");
      }
      HttpResponse<String> challengedApi = jetty.get("/", "X-Forwarded-For", "198.51.100.1",
          "Accept", "application/json");
      assertThat(watched(challengedApi)).containsEntry("Gatehouse-Mitigated", "challenge")
          .containsEntry("Content-Security-Policy", ERROR_PAGE_CSP).containsEntry("Referrer-Policy", "no-referrer");
    }
  }

  @Test
  void theChallengePageAndItsVerificationRedirect() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine))) {
      HttpResponse<String> page = jetty.get("/orders", "X-Forwarded-For", "198.51.100.1", "Accept", "text/html",
          "User-Agent", ChallengeEndToEndTest.UA);
      assertThat(watched(page)).containsExactlyEntriesOf(ordered("Gatehouse-Ray", "R", "Gatehouse-Error", "1012",
          "Gatehouse-Mitigated", "challenge", "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "same-origin", "Content-Security-Policy", "default-src 'none'; script-src 'nonce-N';"
              + " style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none';"
              + " frame-ancestors 'none'"));

      Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(page.body());
      assertThat(token.find()).isTrue();
      String t = token.group(1).replace("&#61;", "=");
      String form = "token=" + URLEncoder.encode(t, StandardCharsets.UTF_8) + "&counter="
          + ChallengeEndToEndTest.solve(t, 4);
      HttpResponse<String> verified = jetty.send(HttpRequest.newBuilder(jetty.uri("/__gatehouse-challenge"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", "198.51.100.1")
          .header("User-Agent", ChallengeEndToEndTest.UA).POST(HttpRequest.BodyPublishers.ofString(form)).build());
      assertThat(verified.statusCode()).isEqualTo(303);
      assertThat(verified.headers().firstValue("Set-Cookie")).isPresent();
      assertThat(watched(verified)).containsExactlyEntriesOf(ordered("Gatehouse-Ray", "R",
          "Cache-Control", "no-store"));
    }
  }

  @Test
  void adminAnswersAndTheDashboard() throws Exception {
    Map<String, String> admin = ordered("Gatehouse-Ray", "R", "Cache-Control", "no-store",
        "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer");
    Map<String, String> adminJson = new LinkedHashMap<>(admin);
    adminJson.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    Map<String, String> dashboard = new LinkedHashMap<>(admin);
    dashboard.put("Content-Security-Policy", "default-src 'none'; script-src 'nonce-N'; style-src 'unsafe-inline';"
        + " connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine))) {
      String bearer = "Bearer " + TOKEN;
      assertThat(watched(jetty.get("/__gatehouse/status", "Authorization", bearer))).as("JSON")
          .containsExactlyEntriesOf(adminJson);
      assertThat(watched(jetty.get("/__gatehouse/stats?top=0", "Authorization", bearer))).as("400")
          .containsExactlyEntriesOf(adminJson);
      assertThat(watched(jetty.get("/__gatehouse/status"))).as("401").containsExactlyEntriesOf(admin);
      assertThat(watched(jetty.get("/__gatehouse/"))).as("dashboard").containsExactlyEntriesOf(dashboard);
      assertThat(watched(jetty.send(HttpRequest.newBuilder(jetty.uri("/__gatehouse/access-rules/nope"))
          .header("Authorization", bearer).DELETE().build()))).as("404 JSON").containsExactlyEntriesOf(adminJson);
    }
  }

  private static Map<String, String> ordered(String... namesAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }
}
