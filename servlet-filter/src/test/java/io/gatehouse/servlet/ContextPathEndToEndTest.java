package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application deployed at a context path ({@code /shop}, as a WAR named {@code shop.war} is) on Jetty
 * and on Tomcat: the admin endpoints and the challenge are relative to it, so they are answered by
 * Gatehouse and never handed to the application, and a challenged visitor can clear the challenge.
 */
class ContextPathEndToEndTest {

  private static final String TOKEN = "context-path-admin-token";
  private static final String UA = ChallengeEndToEndTest.UA;
  private static final Pattern FORM_TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** What reached the application: each request's URI and its Authorization header. */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private final HttpServlet app = new HttpServlet() {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      seen.add(req.getRequestURI() + " authorization=" + req.getHeader("Authorization"));
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().write("app saw " + req.getRequestURI());
    }
  };

  private static Gatehouse engine(String extra) throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("c", """
        gatehouse.admin.token=%s
        gatehouse.challenge.secret=a-context-path-secret-long-enough-1234
        gatehouse.challenge.difficulty=8
        gatehouse.rule.private.expression=http.request.uri.path eq "/shop/private"
        gatehouse.rule.private.action=block
        %s
        """.formatted(TOKEN, extra))).environment(Map.of()).watchFiles(false).build();
  }

  private HttpResponse<String> get(WebContainer c, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(c.uri(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "tomcat"})
  void theAdminEndpointsAreAnsweredUnderTheContextPathAndTheTokenNeverReachesTheApplication(String kind)
      throws Exception {
    try (Gatehouse g = engine("");
        WebContainer c = WebContainer.start(kind, "/shop", new GatehouseFilter(g), app)) {
      HttpResponse<String> status = get(c, "/shop/__gatehouse/status", "Authorization", "Bearer " + TOKEN);
      assertThat(status.statusCode()).as(c.name()).isEqualTo(200);
      assertThat(status.body()).contains("\"version\"");
      assertThat(get(c, "/shop/__gatehouse/status").statusCode()).isEqualTo(401);
      assertThat(get(c, "/shop//__gatehouse/./status", "Authorization", "Bearer wrong-token-0123456789")
          .statusCode()).isIn(400, 401);

      HttpResponse<String> bare = get(c, "/shop/__gatehouse");
      assertThat(bare.statusCode()).isEqualTo(301);
      assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/shop/__gatehouse/");
      HttpResponse<String> dashboard = get(c, "/shop/__gatehouse/");
      assertThat(dashboard.statusCode()).isEqualTo(200);
      assertThat(dashboard.body()).contains("data-admin=\"/shop/__gatehouse\"");

      // Outside the context path it is another application's path, and this one never sees it.
      assertThat(get(c, "/shop/private").statusCode()).isEqualTo(403);
      assertThat(get(c, "/shop/orders").body()).isEqualTo("app saw /shop/orders");
      assertThat(seen).containsExactly("/shop/orders authorization=null");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "tomcat"})
  void aChallengedVisitorClearsTheChallengeInsideTheApplication(String kind) throws Exception {
    try (Gatehouse g = engine("gatehouse.security-level=under_attack");
        WebContainer c = WebContainer.start(kind, "/shop", new GatehouseFilter(g), app)) {
      HttpResponse<String> page = get(c, "/shop/orders?page=2", "Accept", "text/html", "User-Agent", UA);
      assertThat(page.statusCode()).as(c.name()).isEqualTo(403);
      assertThat(page.body()).contains("action=\"/shop/__gatehouse-challenge\"");
      Matcher t = FORM_TOKEN.matcher(page.body());
      assertThat(t.find()).isTrue();

      HttpResponse<String> verified = client.send(HttpRequest.newBuilder(c.uri("/shop/__gatehouse-challenge"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("User-Agent", UA)
          .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(t.group(1), StandardCharsets.UTF_8)
              + "&counter=" + ChallengeEndToEndTest.solve(t.group(1), 8) + "&ms=40")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(verified.statusCode()).isEqualTo(303);
      assertThat(verified.headers().firstValue("Location")).contains("/shop/orders?page=2");
      String setCookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).contains("; Path=/shop;");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      HttpResponse<String> through = get(c, "/shop/orders?page=2", "Accept", "text/html", "User-Agent", UA,
          "Cookie", cookie);
      assertThat(through.statusCode()).isEqualTo(200);
      assertThat(through.body()).isEqualTo("app saw /shop/orders");

      // Under attack every visitor is challenged, but never the site's administrator with the token.
      assertThat(get(c, "/shop/__gatehouse/status", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      assertThat(seen).containsExactly("/shop/orders authorization=null");
    }
  }
}
