package io.gatehouse.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Challenge;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of an application on embedded Jetty sharing one real Redis, as behind a load balancer:
 * what one instance learns or is told, the other acts on.
 */
class TwoInstancesEndToEndTest {

  private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

  @TempDir
  Path dir;
  private RedisServer redis;
  private final List<Node> nodes = new ArrayList<>();

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (Node n : nodes) {
      n.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private Node node(String name) throws Exception {
    return node(name, "");
  }

  private Node node(String name, String extra) throws Exception {
    Node n = Node.start(name, dir, redis.uri(), extra);
    nodes.add(n);
    return n;
  }

  /** Polls until {@code check} holds, and returns how long that took; fails after {@code within}. */
  static Duration within(Duration within, Callable<Boolean> check) throws Exception {
    long start = System.nanoTime();
    while (!check.call()) {
      if (System.nanoTime() - start > within.toNanos()) {
        throw new AssertionError("not within " + within.toMillis() + " ms");
      }
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aBlockAndAnAllowRuleAddedThroughOneInstancesApiAreEnforcedByTheOtherWithinASecond() throws Exception {
    Node a = node("a");
    Node b = node("b");
    assertThat(b.get("/", "198.51.100.7").statusCode()).isEqualTo(200);
    assertThat(b.get("/", "203.0.113.5").statusCode()).isEqualTo(403);

    assertThat(a.admin("POST", "/access-rules",
        "{\"id\":\"bad\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.7\"}").statusCode()).isEqualTo(201);
    assertThat(a.admin("POST", "/access-rules",
        "{\"id\":\"partner\",\"action\":\"allow\",\"target\":\"ip\",\"value\":\"203.0.113.5\"}").statusCode())
        .isEqualTo(201);

    within(Duration.ofSeconds(1), () -> b.get("/", "198.51.100.7").statusCode() == 403
        && b.get("/", "203.0.113.5").statusCode() == 200);
    HttpResponse<String> refused = b.get("/", "198.51.100.7");
    assertThat(refused.headers().firstValue("Gatehouse-Error")).contains("1012");

    assertThat(b.admin("DELETE", "/access-rules/bad", null).statusCode()).isEqualTo(204);
    within(Duration.ofSeconds(1), () -> a.get("/", "198.51.100.7").statusCode() == 200);
  }

  @Test
  void aRayIdProducedByOneInstanceIsFoundThroughTheOthersEventsApiAndDashboard() throws Exception {
    Node a = node("a");
    Node b = node("b");
    HttpResponse<String> refused = b.get("/wp-login.php", "192.0.2.50", "User-Agent", "sqlmap/1.7");
    assertThat(refused.statusCode()).isEqualTo(403);
    String ray = refused.headers().firstValue("Gatehouse-Ray").orElseThrow();
    assertThat(ray).endsWith("-b");

    within(Duration.ofSeconds(2), () -> a.admin("GET", "/events/" + ray, null).statusCode() == 200);
    assertThat(a.admin("GET", "/events/" + ray, null).body()).contains("\"rule_id\":\"scanners\"")
        .contains("\"path\":\"/wp-login.php\"");
    HttpResponse<String> listed = a.admin("GET", "/events?ray=" + ray, null);
    assertThat(listed.body()).contains("\"scope\":\"cluster\"").contains(ray);
    // The dashboard's figures are the cluster's too.
    assertThat(a.admin("GET", "/stats?since=1h", null).body()).contains("\"scope\":\"cluster\"")
        .contains("/wp-login.php");
  }

  @Test
  void aDevicesBehaviourOnOneInstanceRaisesItsScoreOnTheOther() throws Exception {
    Node a = node("a");
    Node b = node("b");
    String ua = "sqlmap/1.7";
    String explain = "/explain?ip=192.0.2.60&ua=" + URLEncoder.encode(ua, StandardCharsets.UTF_8);
    assertThat(b.admin("GET", explain, null).body()).contains("\"visitor_score\":0");

    assertThat(a.get("/", "192.0.2.60", "User-Agent", ua).statusCode()).isEqualTo(403);
    within(Duration.ofSeconds(2), () -> b.admin("GET", explain, null).body().contains("\"visitor_score\":10"));
  }

  @Test
  void aChallengeTokenSolvedOnOneInstanceIsRefusedWhenReplayedOnTheOther() throws Exception {
    Node a = node("a");
    Node b = node("b");
    HttpResponse<String> page = a.get("/account", "203.0.113.9");
    assertThat(page.statusCode()).isEqualTo(403);
    Matcher t = TOKEN.matcher(page.body());
    assertThat(t.find()).isTrue();
    String token = t.group(1);
    String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&counter=" + solve(token, 4) + "&ms=5";

    assertThat(post(a, form).headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
        assertThat(c).startsWith("gatehouse_clearance="));
    HttpResponse<String> replayed = post(b, form);
    assertThat(replayed.headers().firstValue("Set-Cookie")).isEmpty();
    within(Duration.ofSeconds(2), () -> b.gatehouse.events().query(
        io.gatehouse.core.events.EventLog.Query.all(10)).stream()
        .anyMatch(e -> e.description().equals("the token was already redeemed on another instance")));
  }

  @Test
  void redisKilledInABurstFailsNoRequestAndARuleAddedDuringTheOutageReachesTheOtherWhenItIsBack()
      throws Exception {
    Node a = node("a");
    Node b = node("b");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> load = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Node target = i % 2 == 0 ? a : b;
      int client = i;
      load.add(pool.submit(() -> {
        int n = 0;
        while (running.get()) {
          try {
            // Allowed visitors, and some the scanner rule refuses (events, evidence): all must be answered.
            boolean scanner = n++ % 5 == 0;
            HttpResponse<String> r = target.get("/p" + n, "192.0.2." + (10 + client), "User-Agent",
                scanner ? "sqlmap/1.7" : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
            if (r.statusCode() != (scanner ? 403 : 200)) {
              failed.incrementAndGet();
            }
            served.incrementAndGet();
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      }));
    }
    Thread.sleep(500);
    redis.kill();
    within(Duration.ofSeconds(5), () -> a.gatehouse.status().cluster().state().equals("down"));
    Thread.sleep(500);
    assertThat(a.admin("POST", "/access-rules",
        "{\"id\":\"outage\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.99\"}").statusCode())
        .isEqualTo(201);
    assertThat(a.get("/", "198.51.100.99").statusCode()).as("applied locally at once").isEqualTo(403);
    assertThat(a.admin("GET", "/status", null).body()).contains("\"state\":\"down\"");
    assertThat(a.admin("GET", "/events", null).body()).contains("\"scope\":\"local\"")
        .contains("cannot be reached");
    Thread.sleep(500);

    redis.restart();
    Duration reached = within(Duration.ofSeconds(5), () -> b.get("/", "198.51.100.99").statusCode() == 403);
    running.set(false);
    for (Future<?> f : load) {
      f.get();
    }
    pool.shutdown();
    assertThat(failed.get()).as("failed requests out of %d", served.get()).isZero();
    assertThat(served.get()).isGreaterThan(100);
    assertThat(reached).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void twoInstancesSharingRedisEnforceOneLimitTogetherWithinTheDocumentedAccuracy() throws Exception {
    String limit = """
        gatehouse.rate-limit.login.expression=http.request.uri.path eq "/login"
        gatehouse.rate-limit.login.characteristics=ip.src
        gatehouse.rate-limit.login.period=1m
        gatehouse.rate-limit.login.requests=30
        gatehouse.rate-limit.login.mitigation-timeout=1m
        """;
    Node a = node("a", limit);
    Node b = node("b", limit);
    int allowed = 0;
    int limited = 0;
    for (int i = 0; i < 90; i++) {
      int status = (i % 2 == 0 ? a : b).get("/login", "192.0.2.77").statusCode();
      allowed += status == 200 ? 1 : 0;
      limited += status == 429 ? 1 : 0;
      Thread.sleep(40);
    }
    // Alone each instance would let 30 through, 60 in all. Together: 30, and at most the requests that
    // arrive within one synchronisation interval (100 ms) and a round trip more: here 10% of the rate.
    assertThat(allowed).isBetween(30, 33);
    assertThat(allowed + limited).isEqualTo(90);
  }

  @Test
  void anInstanceRestartedWhileRedisIsUpStartsWithTheClustersRules() throws Exception {
    Node a = node("a");
    Node b = node("b");
    b.close();
    nodes.remove(b);
    assertThat(a.admin("POST", "/access-rules",
        "{\"id\":\"later\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.42\"}").statusCode())
        .isEqualTo(201);
    Thread.sleep(200);

    Node again = node("b");
    assertThat(again.get("/", "198.51.100.42").statusCode()).isEqualTo(403);
  }

  private static HttpResponse<String> post(Node n, String form) throws Exception {
    return n.client.send(HttpRequest.newBuilder(n.uri("/__gatehouse-challenge")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", "203.0.113.9")
        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String solve(String token, int difficulty) {
    int n = 0;
    while (!Challenge.solves(token, Integer.toString(n), difficulty)) {
      n++;
    }
    return Integer.toString(n);
  }
}
