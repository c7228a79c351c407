package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rate limiting through Jetty: 429 with error 1015 and Retry-After, and counting the application's answers. */
class RateLimitEndToEndTest {

  private static final String BROWSER = RulesEndToEndTest.BROWSER;

  private static Gatehouse engine(String rules) throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("rl.properties", """
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        """ + rules)).watchFiles(false).environment(Map.of()).build();
  }

  /** A login form: "secret" logs in (302), anything else is 401. */
  private static final class LoginApp extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if ("secret".equals(req.getParameter("password"))) {
        resp.sendRedirect("/home");
      } else {
        resp.setStatus(401);
        resp.getWriter().write("wrong password");
      }
    }
  }

  private static HttpResponse<String> post(JettyFixture jetty, String ip, String password, String accept)
      throws Exception {
    return jetty.send(HttpRequest.newBuilder(URI.create(jetty.uri("/login").toString()))
        .header("X-Forwarded-For", ip).header("User-Agent", BROWSER).header("Accept", accept)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("password=" + password)).build());
  }

  @Test
  void theSixthRequestGets429With1015AndRetryAfterInEveryFormat() throws Exception {
    Gatehouse g = engine("""
        gatehouse.rate-limit.login.expression=http.request.uri.path eq "/login" and http.request.method eq "POST"
        gatehouse.rate-limit.login.characteristics=ip.src
        gatehouse.rate-limit.login.period=1m
        gatehouse.rate-limit.login.requests=5
        gatehouse.rate-limit.login.mitigation-timeout=10m
        """);
    try (JettyFixture jetty = JettyFixture.withApp(new GatehouseFilter(g), new LoginApp())) {
      for (int i = 0; i < 5; i++) {
        assertThat(post(jetty, "203.0.113.9", "secret", "text/html").statusCode()).isEqualTo(302);
      }
      HttpResponse<String> html = post(jetty, "203.0.113.9", "secret", "text/html");
      assertThat(html.statusCode()).isEqualTo(429);
      assertThat(html.headers().firstValue("Gatehouse-Error")).contains("1015");
      assertThat(html.headers().firstValue("Retry-After")).contains("600");
      assertThat(html.body()).contains("Error 1015").contains("You are being rate limited")
          .contains("Wait 10 minutes and try again");
      HttpResponse<String> json = post(jetty, "203.0.113.9", "secret", "application/json");
      assertThat(json.statusCode()).isEqualTo(429);
      assertThat(json.body()).contains("\"error_code\":1015").contains("\"error_name\":\"rate_limited\"");
      HttpResponse<String> text = post(jetty, "203.0.113.9", "secret", "text/plain");
      assertThat(text.body()).contains("1015");

      assertThat(post(jetty, "203.0.113.10", "secret", "text/html").statusCode()).as("another address")
          .isEqualTo(302);
      HttpResponse<String> otherPath = jetty.get("/", "X-Forwarded-For", "203.0.113.9", "User-Agent", BROWSER);
      assertThat(otherPath.body()).as("another path reaches the application").isEqualTo("wrong password");
    }
  }

  @Test
  void fiveFailedLoginsStopAGuesserWhileAUserWhoLogsInIsNeverLimited() throws Exception {
    Gatehouse g = engine("""
        gatehouse.rate-limit.guess.expression=http.request.uri.path eq "/login"
        gatehouse.rate-limit.guess.characteristics=ip.src
        gatehouse.rate-limit.guess.period=1m
        gatehouse.rate-limit.guess.requests=5
        gatehouse.rate-limit.guess.mitigation-timeout=15m
        gatehouse.rate-limit.guess.counting-expression=http.response.code eq 401
        """);
    try (JettyFixture jetty = JettyFixture.withApp(new GatehouseFilter(g), new LoginApp())) {
      for (int i = 0; i < 30; i++) {
        assertThat(post(jetty, "198.51.100.4", "secret", "text/html").statusCode()).isEqualTo(302);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(post(jetty, "203.0.113.66", "guess" + i, "text/html").statusCode()).isEqualTo(401);
      }
      HttpResponse<String> stopped = post(jetty, "203.0.113.66", "secret", "text/html");
      assertThat(stopped.statusCode()).isEqualTo(429);
      assertThat(stopped.headers().firstValue("Retry-After")).contains("900");
      assertThat(post(jetty, "198.51.100.4", "secret", "text/html").statusCode()).isEqualTo(302);
    }
  }
}
