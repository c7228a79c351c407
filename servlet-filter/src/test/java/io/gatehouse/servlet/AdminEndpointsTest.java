package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigSource;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API over real HTTP. */
class AdminEndpointsTest {

  static final String TOKEN = "admin-token-for-tests-0123456789";
  private static final Jsonb JSON = JsonbBuilder.create();

  @TempDir
  Path dir;
  private Path config;

  @BeforeEach
  void writeConfig() throws Exception {
    config = dir.resolve("gatehouse.properties");
    Files.writeString(config, base());
  }

  private String base() {
    return """
        gatehouse.reload.interval=off
        gatehouse.client-ip.header=X-Forwarded-For
        gatehouse.client-ip.trusted-proxies=127.0.0.1
        gatehouse.admin.token=%s
        gatehouse.access-rules.file=state/rules.json
        gatehouse.access-rule.bad=block ip 203.0.113.0/24 "abuse reports"
        gatehouse.access-rule.watch=log ip 198.51.100.0/24
        """.formatted(TOKEN);
  }

  private Gatehouse engine() throws Exception {
    return Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
  }

  private static HttpResponse<String> admin(JettyFixture jetty, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri("/__gatehouse" + path))
        .header("Authorization", "Bearer " + TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return jetty.send(b.build());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(HttpResponse<String> r) {
    return JSON.fromJson(r.body(), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(HttpResponse<String> r, String key) {
    return (List<Map<String, Object>>) json(r).get(key);
  }

  @Test
  void withoutATokenTheEndpointsDoNotExist() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("t", "gatehouse.mode=enforce\n")).watchFiles(false).build();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = jetty.get("/__gatehouse/events", "Authorization", "Bearer anything");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("app saw /__gatehouse/events");
    }
  }

  @Test
  void aMissingOrWrongTokenGets401WithoutDetail() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      for (String[] headers : new String[][] {{}, {"Authorization", "Bearer wrong"},
          {"Authorization", "Bearer " + TOKEN + "x"}, {"Authorization", "Basic " + TOKEN},
          {"Authorization", TOKEN}}) {
        HttpResponse<String> r = headers.length == 0 ? jetty.get("/__gatehouse/events")
            : jetty.get("/__gatehouse/events", headers);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"gatehouse\"");
      }
      assertThat(jetty.appHits.get()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"//__gatehouse/events", "/__gatehouse;x=1/events", "/%5F_gatehouse/events",
      "/static/../__gatehouse/events", "/./__gatehouse/events", "/__gatehouse/./events", "/__gatehouse//events",
      "/__gatehouse/%65vents", "/__gatehouse/events;jsessionid=1"})
  void theAdminPathCannotBeReachedAroundTheChecks(String path) throws Exception {
    try (JettyFixture jetty = JettyFixture.lenient(new GatehouseFilter(engine()))) {
      String answer = ChallengeEndToEndTest.raw(jetty.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "User-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n");
      assertThat(jetty.appHits.get()).as("the application never sees %s", path).isZero();
      assertThat(answer).startsWith("HTTP/1.1 401");
    }
  }

  @Test
  void outsideTheAllowedAddressesTheEndpointsAreNotFound() throws Exception {
    Files.writeString(config, base() + "gatehouse.admin.allowed-ips=10.0.0.0/8\n");
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      assertThat(admin(jetty, "GET", "/status", null).statusCode()).isEqualTo(404);
      HttpResponse<String> inside = jetty.send(HttpRequest.newBuilder(jetty.uri("/__gatehouse/status"))
          .header("Authorization", "Bearer " + TOKEN).header("X-Forwarded-For", "10.1.2.3").build());
      assertThat(inside.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void eventsCanBeQueriedByIpRayActionSourceAndTime() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      String blockedRay = jetty.get("/cart", "X-Forwarded-For", "203.0.113.9").headers()
          .firstValue("Gatehouse-Ray").orElseThrow();
      jetty.get("/x", "X-Forwarded-For", "203.0.113.10");
      jetty.get("/y", "X-Forwarded-For", "198.51.100.5");

      HttpResponse<String> all = admin(jetty, "GET", "/events", null);
      assertThat(all.statusCode()).isEqualTo(200);
      assertThat(all.headers().firstValue("Content-Type")).contains("application/json;charset=utf-8");
      List<Map<String, Object>> events = list(all, "events");
      assertThat(events).hasSize(3);
      assertThat(events.get(0)).containsKeys("ray_id", "time", "action", "source", "rule_id", "description",
          "error_code", "client_ip", "peer_ip", "asn", "country", "method", "host", "path", "user_agent",
          "threat_score", "shared_ip", "enforced");
      assertThat(list(admin(jetty, "GET", "/events?ip=203.0.113.0/24", null), "events")).hasSize(2);
      assertThat(list(admin(jetty, "GET", "/events?ip=203.0.113.9", null), "events")).hasSize(1);
      assertThat(list(admin(jetty, "GET", "/events?action=log", null), "events")).singleElement()
          .satisfies(e -> assertThat(e).containsEntry("client_ip", "198.51.100.5"));
      assertThat(list(admin(jetty, "GET", "/events?source=security_level", null), "events")).isEmpty();
      assertThat(list(admin(jetty, "GET", "/events?since=5m&limit=1", null), "events")).hasSize(1);
      assertThat(list(admin(jetty, "GET", "/events?since=2000-01-01T00:00:00Z", null), "events")).hasSize(3);
      assertThat(list(admin(jetty, "GET", "/events?ray=" + blockedRay, null), "events")).hasSize(1);

      HttpResponse<String> one = admin(jetty, "GET", "/events/" + blockedRay, null);
      assertThat(json(one)).containsEntry("ray_id", blockedRay).containsEntry("rule_id", "bad")
          .containsEntry("description", "abuse reports").containsEntry("path", "/cart");
      assertThat(admin(jetty, "GET", "/events/0000000000000000", null).statusCode()).isEqualTo(404);

      assertThat(admin(jetty, "GET", "/events?ip=nonsense", null).statusCode()).isEqualTo(400);
      assertThat(json(admin(jetty, "GET", "/events?limit=0", null))).containsEntry("error", "limit must be 1..10000");
      assertThat(admin(jetty, "GET", "/events?since=yesterday", null).statusCode()).isEqualTo(400);

      Map<String, Object> stats = json(admin(jetty, "GET", "/stats?since=1h", null));
      assertThat(stats.get("total").toString()).isEqualTo("3");
      assertThat((Map<String, Object>) stats.get("by_action")).containsKeys("block", "log");
    }
  }

  @Test
  void explainTracesEveryPhaseWithoutRecordingAnything() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      HttpResponse<String> r = admin(jetty, "GET", "/explain?ip=203.0.113.9&path=/login&ua=curl/8"
          + "&header=Accept:%20text/html", null);
      assertThat(r.statusCode()).isEqualTo(200);
      Map<String, Object> x = json(r);
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) x.get("decision");
      assertThat(d).containsEntry("action", "block").containsEntry("rule_id", "bad");
      assertThat(x).containsEntry("client_ip", "203.0.113.9");
      List<Map<String, Object>> phases = list(r, "phases");
      assertThat(phases).extracting(p -> p.get("phase")).containsExactly("configuration_rules", "access_rules",
          "custom_rules", "rate_limiting", "browser_integrity_check", "security_level");
      assertThat(phases.get(1)).containsEntry("outcome", "block");
      assertThat(phases.get(1).get("details").toString()).contains("rule 'bad' matches: block ip 203.0.113.0/24");
      assertThat(g.events().size()).as("explain records nothing").isZero();
      assertThat(admin(jetty, "GET", "/explain", null).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void accessRulesAreListedAddedAndRemovedAndPersisted() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      assertThat(list(admin(jetty, "GET", "/access-rules", null), "rules")).extracting(r -> r.get("id"))
          .containsExactly("bad", "watch");
      assertThat(jetty.get("/", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(403);

      HttpResponse<String> added = admin(jetty, "POST", "/access-rules",
          "{\"action\":\"allow\",\"target\":\"ip\",\"value\":\"203.0.113.9\",\"notes\":\"office egress\"}");
      assertThat(added.statusCode()).isEqualTo(201);
      Map<String, Object> rule = json(added);
      assertThat(rule).containsEntry("action", "allow").containsEntry("value", "203.0.113.9")
          .containsEntry("managed", true);
      String id = (String) rule.get("id");
      assertThat(jetty.get("/", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(200);
      assertThat(Files.readString(dir.resolve("state/rules.json"))).contains("\"office egress\"");

      // It survives a restart.
      Gatehouse restarted = engine();
      assertThat(restarted.accessRules()).extracting(r -> r.id()).contains(id);

      assertThat(admin(jetty, "POST", "/access-rules", "{\"id\":\"" + id + "\",\"action\":\"block\",\"target\":\"ip\","
          + "\"value\":\"192.0.2.1\"}").statusCode()).isEqualTo(409);
      assertThat(json(admin(jetty, "POST", "/access-rules", "{\"action\":\"allow\",\"target\":\"ip\",\"value\":"
          + "\"10.0.0.1/8\"}"))).containsEntry("error", "'10.0.0.1/8' has host bits set; the network is 10.0.0.0/8");
      HttpResponse<String> needsGeo = admin(jetty, "POST", "/access-rules",
          "{\"action\":\"block\",\"target\":\"asn\",\"value\":\"AS64496\"}");
      assertThat(needsGeo.statusCode()).isEqualTo(422);
      assertThat(needsGeo.body()).contains("asn rules need AS data");
      assertThat(admin(jetty, "POST", "/access-rules", "not json").statusCode()).isEqualTo(400);
      assertThat(list(admin(jetty, "GET", "/access-rules", null), "rules")).hasSize(3);

      assertThat(admin(jetty, "DELETE", "/access-rules/bad", null).statusCode()).isEqualTo(409);
      assertThat(admin(jetty, "DELETE", "/access-rules/nope", null).statusCode()).isEqualTo(404);
      assertThat(admin(jetty, "DELETE", "/access-rules/" + id, null).statusCode()).isEqualTo(204);
      assertThat(jetty.get("/", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(403);
      assertThat(engine().accessRules()).extracting(r -> r.id()).doesNotContain(id);
    }
  }

  /** A 400 whose whole body is {@code {"error": ...}} in the project's words, naming no Java type. */
  private static String badRequest(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("Error").doesNotContain("java.");
    Map<String, Object> body = json(r);
    assertThat(body).containsOnlyKeys("error");
    return (String) body.get("error");
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void durationsTooLongForTheClockAreOutOfRange() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      assertThat(badRequest(admin(jetty, "GET", "/events?since=999999999999d", null)))
          .isEqualTo("since: '999999999999d' is out of range; at most 36500d");
      assertThat(badRequest(admin(jetty, "GET", "/events?since=9999999999999h", null))).contains("out of range");
      assertThat(badRequest(admin(jetty, "GET", "/events?since=P999999999999D", null))).contains("out of range");
      assertThat(badRequest(admin(jetty, "GET", "/events?since=P99999999999999999D", null)))
          .contains("neither an ISO-8601 time nor a duration");
      assertThat(badRequest(admin(jetty, "GET", "/stats?since=1h&bucket=999999999999d", null)))
          .isEqualTo("bucket: '999999999999d' is out of range; at most 36500d");
      assertThat(badRequest(admin(jetty, "GET", "/stats?since=999999999999d", null))).contains("out of range");
      // An instant far enough back that the period overflows milliseconds, and one as far ahead.
      assertThat(badRequest(admin(jetty, "GET", "/stats?since=-999999999-01-01T00:00:00Z", null)))
          .isEqualTo("since: '-999999999-01-01T00:00:00Z' is out of range; statistics cover at most 36500d");
      assertThat(badRequest(admin(jetty, "GET", "/stats?since=%2B999999999-01-01T00:00:00Z", null)))
          .contains("out of range");

      // What the limits still let through.
      assertThat(admin(jetty, "GET", "/events?since=36500d", null).statusCode()).isEqualTo(200);
      assertThat(admin(jetty, "GET", "/events?since=-999999999-01-01T00:00:00Z", null).statusCode()).isEqualTo(200);
      assertThat(admin(jetty, "GET", "/stats?since=36500d", null).statusCode()).isEqualTo(200);
      assertThat(admin(jetty, "GET", "/stats?since=1h&bucket=36500d", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void statisticsBucketsAreAtLeastASecondAndAtMostAThousand() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      for (String q : new String[] {"since=1h&bucket=PT0.000000001S", "since=1h&bucket=500ms",
          "since=1h&bucket=1s", "since=1h&bucket=3s", "since=7d&bucket=1m"}) {
        assertThat(badRequest(admin(jetty, "GET", "/stats?" + q, null))).as(q)
            .contains("out of range").contains("at least 1s").contains("at most 1000 buckets");
      }
      Map<String, Object> stats = json(admin(jetty, "GET", "/stats?since=1h&bucket=4s", null));
      assertThat(stats.get("bucket_seconds").toString()).isEqualTo("4");
      assertThat((List<?>) stats.get("buckets")).hasSize(900);
      Map<String, Object> tight = json(admin(jetty, "GET", "/stats?since=1000s&bucket=1s", null));
      assertThat(tight.get("bucket_seconds").toString()).isEqualTo("1");
      assertThat((List<?>) tight.get("buckets")).hasSize(1000);
      assertThat(admin(jetty, "GET", "/stats?since=1001s&bucket=1s", null).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void aDeeplyNestedRuleBodyIsRefusedBeforeParsing() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      assertThat(badRequest(admin(jetty, "POST", "/access-rules", nested(8_000))))
          .isEqualTo("body nests deeper than 32 levels");
      String rule = "{\"action\":\"block\",\"target\":\"ip\",\"value\":\"192.0.2.7\",\"extra\":";
      assertThat(badRequest(admin(jetty, "POST", "/access-rules", rule + nested(32) + "}")))
          .isEqualTo("body nests deeper than 32 levels");
      assertThat(badRequest(admin(jetty, "POST", "/access-rules", "{\"a\":" + "{\"a\":".repeat(40) + "1"
          + "}".repeat(41)))).isEqualTo("body nests deeper than 32 levels");
      // Closing brackets first buy no extra levels.
      assertThat(badRequest(admin(jetty, "POST", "/access-rules", "]".repeat(100) + nested(40))))
          .isEqualTo("body nests deeper than 32 levels");

      // Exactly 32 levels parse; brackets and escaped quotes inside strings are not nesting.
      assertThat(admin(jetty, "POST", "/access-rules", rule + nested(31) + "}").statusCode()).isEqualTo(201);
      HttpResponse<String> inString = admin(jetty, "POST", "/access-rules", "{\"action\":\"block\","
          + "\"target\":\"ip\",\"value\":\"192.0.2.8\",\"notes\":\"\\\"" + "[".repeat(100) + "\"}");
      assertThat(inString.statusCode()).as(inString.body()).isEqualTo(201);
      assertThat(json(inString)).containsEntry("notes", "\"" + "[".repeat(100));
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", " ", "null", "42", "\"a string\"", "[1]", "[]", "true", "{", "{\"action\":}",
      "{\"action\":\"block\",}", "{\"action\":\"bl\u0000ock\"}", "\uFEFF{}", "{\"action\":\"block\"",
      "{\"action\":\"\\uZZZZ\"}", "{'action':'block'}", "{\"action\":1e999999999}", "{\"action\":[\"block\"]}",
      "{\"action\":{\"a\":1}}", "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\""})
  void anyBodyThatIsNotARuleObjectIs400(String body) throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      assertThat(badRequest(admin(jetty, "POST", "/access-rules", body))).isNotBlank();
    }
  }

  @Test
  void reloadAndStatus() throws Exception {
    Gatehouse g = engine();
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(g))) {
      Files.writeString(config, base() + "gatehouse.access-rule.more=block ip 192.0.2.0/24\n");
      HttpResponse<String> ok = admin(jetty, "POST", "/reload", null);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(json(ok)).containsEntry("applied", true);
      Files.writeString(config, base() + "gatehouse.access-rule.more=block ip 192.0.2.0/33\n");
      HttpResponse<String> bad = admin(jetty, "POST", "/reload", null);
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("gatehouse.access-rule.more: '192.0.2.0/33' is not a network");
      assertThat(admin(jetty, "GET", "/reload", null).statusCode()).isEqualTo(400);

      // A file caught half written (here: without its admin token and proxies) is refused unless forced.
      Files.writeString(config, "gatehouse.reload.interval=off\ngatehouse.admin.token=" + TOKEN + "\n");
      HttpResponse<String> refused = admin(jetty, "POST", "/reload", null);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body()).contains("reload refused: gatehouse.client-ip.trusted-proxies would be lost");
      assertThat(badRequest(admin(jetty, "POST", "/reload?force=maybe", null))).contains("force: 'maybe'");
      Files.writeString(config, base() + "gatehouse.access-rule.more=block ip 192.0.2.0/24\n");

      Map<String, Object> status = json(admin(jetty, "GET", "/status", null));
      assertThat(status).containsKeys("version", "configuration", "loaded_at", "summary", "feeds", "events",
          "last_reload", "access_rules");
      assertThat(status.get("access_rules").toString()).isEqualTo("3");
      assertThat(status.get("last_reload").toString()).contains("applied=false");

      Files.writeString(config, "gatehouse.reload.interval=off\ngatehouse.admin.token=" + TOKEN + "\n");
      HttpResponse<String> forced = admin(jetty, "POST", "/reload?force=true", null);
      assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
      assertThat(json(admin(jetty, "GET", "/status", null)).get("access_rules").toString()).isEqualTo("0");
    }
  }

  @Test
  void theDashboardPageIsServedWithoutDataAndAStrictPolicy() throws Exception {
    try (JettyFixture jetty = JettyFixture.with(new GatehouseFilter(engine()))) {
      HttpResponse<String> page = jetty.get("/__gatehouse/");
      assertThat(page.statusCode()).isEqualTo(200);
      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("connect-src 'self'").contains("script-src 'nonce-");
      assertThat(page.body()).contains("data-admin=\"/__gatehouse\"").contains("sessionStorage")
          .doesNotContain(TOKEN).doesNotContain("src=\"http");
      assertThat(jetty.get("/__gatehouse").statusCode()).isIn(200, 301);
    }
  }

  @Test
  void aReaderNeverSeesTheManagedFileHalfWrittenAndARestartKeepsWhatWasAcknowledged() throws Exception {
    Gatehouse g = engine();
    Path file = dir.resolve("state/rules.json");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      int lastCount = 0;
      while (!stop.get()) {
        try {
          if (!Files.exists(file)) {
            continue;
          }
          String text = Files.readString(file);
          @SuppressWarnings("unchecked")
          Map<String, Object> parsed = JSON.fromJson(text, Map.class);
          int count = ((List<?>) parsed.get("rules")).size();
          if (count < lastCount) {
            torn.add("rules went from " + lastCount + " to " + count);
          }
          lastCount = count;
          reads.incrementAndGet();
        } catch (Exception e) {
          torn.add(e.toString());
        }
      }
    });
    reader.start();
    List<String> acknowledged = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        var change = g.addAccessRule(null, "block", "ip", "192.0.2." + i, "rule " + i);
        assertThat(change.ok()).isTrue();
        acknowledged.add(change.rule().id());
      }
    } finally {
      stop.set(true);
      reader.join();
    }
    assertThat(torn).isEmpty();
    assertThat(reads.get()).isGreaterThan(10);
    assertThat(engine().accessRules()).extracting(r -> r.id()).containsAll(acknowledged);
  }
}
