package io.gatehouse.redis;

import static io.gatehouse.redis.TwoInstancesEndToEndTest.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis away, stalled, flushed or holding garbage: every instance goes on deciding with what it has, and
 * nothing read from Redis is trusted without being parsed.
 */
class RedisFailureTest {

  @TempDir
  Path dir;
  private RedisServer redis;
  private final List<Node> nodes = new ArrayList<>();
  private RedisClient raw;

  @AfterEach
  void stop() throws Exception {
    for (Node n : nodes) {
      n.close();
    }
    if (raw != null) {
      raw.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private Node node(String name) throws Exception {
    Node n = Node.start(name, dir, redis.uri(), "");
    nodes.add(n);
    return n;
  }

  /** A plain connection of the test's own, to write what a broken or hostile writer would. */
  private RedisCommands<String, String> redisCli() {
    raw = RedisClient.create(redis.uri());
    StatefulRedisConnection<String, String> c = raw.connect();
    return c.sync();
  }

  @Test
  void corruptRulesInRedisAreSkippedAndTheGoodOnesApplied() throws Exception {
    redis = RedisServer.start();
    Node a = node("a");
    RedisCommands<String, String> cli = redisCli();
    cli.hset("test:rules", Map.of(
        "good", "{\"id\":\"good\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.1\"}",
        "broken", "{not json",
        "liar", "{\"id\":\"other\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.2\"}",
        "wide", "{\"id\":\"wide\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"0.0.0.0/0\",\"evil\":true}"));
    // As a writer that keeps to the protocol would: a new version, then the announcement.
    cli.set("test:rules:held", "written-by-hand");
    cli.publish("test:rules:changed", "changed");

    within(Duration.ofSeconds(3), () -> a.get("/", "198.51.100.1").statusCode() == 403);
    assertThat(a.get("/", "198.51.100.2").statusCode()).isEqualTo(200);
    assertThat(a.get("/", "192.0.2.1").statusCode()).isEqualTo(200);
    assertThat(Files.readString(a.home.resolve("rules.json"))).contains("\"good\"").doesNotContain("broken")
        .doesNotContain("other").doesNotContain("wide");
  }

  @Test
  void aMissedAnnouncementHealsAtTheNextComparison() throws Exception {
    redis = RedisServer.start();
    Node a = node("a");
    RedisCommands<String, String> cli = redisCli();
    // A change whose announcement never came: the rules and their version, no message.
    cli.hset("test:rules", "quiet", "{\"id\":\"quiet\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.4\"}");
    cli.set("test:rules:held", "changed-quietly");

    Duration took = within(Duration.ofSeconds(5), () -> a.get("/", "198.51.100.4").statusCode() == 403);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void corruptEventsAndBroadcastsAreSkippedAndCounted() throws Exception {
    redis = RedisServer.start();
    Node a = node("a");
    RedisCommands<String, String> cli = redisCli();
    HttpResponse<String> refused = a.get("/", "192.0.2.5", "User-Agent", "sqlmap/1.7");
    String ray = refused.headers().firstValue("Gatehouse-Ray").orElseThrow();
    cli.xadd("test:events", Map.of("e", "{\"ray_id\":\"0000000000000000\",\"time\":\"yesterday\"}"));
    cli.xadd("test:events", Map.of("other", "x"));
    cli.publish("test:broadcast", "garbage");
    cli.publish("test:broadcast", "{\"from\":\"x\",\"items\":[{\"k\":\"evidence\",\"visitor\":1,\"points\":1e9,"
        + "\"address\":true,\"cleared\":false}]}");

    within(Duration.ofSeconds(3), () -> a.admin("GET", "/events", null).body().contains(ray));
    HttpResponse<String> events = a.admin("GET", "/events", null);
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("\"scope\":\"cluster\"").doesNotContain("0000000000000000");
    within(Duration.ofSeconds(3), () -> a.gatehouse.status().cluster().skipped() >= 4);
  }

  @Test
  void aFlushedRedisIsSeededAgainWithTheInstancesRules() throws Exception {
    redis = RedisServer.start();
    Node a = node("a");
    Node b = node("b");
    assertThat(a.admin("POST", "/access-rules",
        "{\"id\":\"kept\",\"action\":\"block\",\"target\":\"ip\",\"value\":\"198.51.100.3\"}").statusCode()).isEqualTo(201);
    within(Duration.ofSeconds(1), () -> b.get("/", "198.51.100.3").statusCode() == 403);
    RedisCommands<String, String> cli = redisCli();
    cli.flushall();

    within(Duration.ofSeconds(5), () -> cli.hexists("test:rules", "kept"));
    assertThat(a.get("/", "198.51.100.3").statusCode()).isEqualTo(403);
    assertThat(b.get("/", "198.51.100.3").statusCode()).isEqualTo(403);
  }

  @Test
  void aStalledRedisDelaysNoOrdinaryRequestAndTheChallengeFallsBackToTheLocalCheck() throws Exception {
    redis = RedisServer.start();
    Node a = node("a");
    HttpResponse<String> page = a.get("/account", "203.0.113.9");
    Matcher t = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(t.find()).isTrue();
    String form = "token=" + URLEncoder.encode(t.group(1), StandardCharsets.UTF_8) + "&counter="
        + TwoInstancesEndToEndTest.solve(t.group(1), 4) + "&ms=5";

    redis.pause();
    try {
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = a.get("/p" + i, "192.0.2." + (20 + i), "User-Agent", i % 2 == 0 ? "sqlmap/1.7"
            : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
        assertThat(r.statusCode()).isEqualTo(i % 2 == 0 ? 403 : 200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("request %d", i)
            .isLessThan(Duration.ofMillis(250));
      }
      long start = System.nanoTime();
      HttpResponse<String> solved = a.client.send(HttpRequest.newBuilder(a.uri("/__gatehouse-challenge"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", "203.0.113.9")
          .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(solved.headers().firstValue("Set-Cookie").orElse("")).startsWith("gatehouse_clearance=");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    } finally {
      redis.resume();
    }
  }

  @Test
  void anInstanceStartsWhileRedisIsAwayAndJoinsWhenItComes() throws Exception {
    redis = RedisServer.create();
    long start = System.nanoTime();
    Node a = node("a");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(a.gatehouse.status().cluster().state()).isEqualTo("down");
    assertThat(a.get("/", "192.0.2.1").statusCode()).isEqualTo(200);
    assertThat(a.admin("GET", "/status", null).body()).contains("\"healthy\":false");

    redis.restart();
    within(Duration.ofSeconds(10), () -> a.gatehouse.status().cluster().state().equals("up"));
    assertThat(a.admin("GET", "/status", null).body()).contains("\"healthy\":true");
  }
}
