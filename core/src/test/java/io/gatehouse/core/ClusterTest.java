package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.engine.Engine;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.testing.Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances sharing one store, here the in-memory one, so that the cluster's logic is tested
 * without a server: rules, events, behaviour and challenge tokens reach every instance. The same is tested
 * against a real Redis in {@code gatehouse-redis}.
 */
class ClusterTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";

  @TempDir
  Path dir;
  private final Engine.StateStore store = Engine.StateStore.inMemory();
  private final List<Gatehouse> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(Gatehouse::close);
  }

  private Gatehouse instance(String name) throws Exception {
    return instance(name, "");
  }

  private Gatehouse instance(String name, String extra) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    Path config = home.resolve("gatehouse.properties");
    Files.writeString(config, """
        gatehouse.node-id=%s
        gatehouse.challenge.secret=%s
        gatehouse.challenge.difficulty=4
        gatehouse.access-rules.file=rules.json
        gatehouse.access-rule.watch=challenge ip 203.0.113.0/24
        gatehouse.rule.scanners.expression=http.user_agent contains "sqlmap"
        gatehouse.rule.scanners.action=block
        gatehouse.rule.wp.expression=http.request.uri.path eq "/wp-login.php"
        gatehouse.rule.wp.action=block
        """.formatted(name, SECRET) + extra);
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).environment(Map.of()).watchFiles(false)
        .stateStore(store).build();
    started.add(g);
    return g;
  }

  private static RequestFacts from(String ip) {
    return Requests.browser(ip, UA).path("/").build();
  }

  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aRuleAddedOnOneInstanceIsEnforcedByTheOtherAndARemovalToo() throws Exception {
    Gatehouse a = instance("a");
    Gatehouse b = instance("b");

    assertThat(a.addAccessRule("bad", "block", "ip", "198.51.100.7", "from A").ok()).isTrue();
    eventually(() -> b.decide(from("198.51.100.7")).action() == Action.BLOCK);
    assertThat(Files.readString(dir.resolve("b/rules.json"))).contains("\"id\":\"bad\"");

    assertThat(b.removeAccessRule("bad").ok()).isTrue();
    eventually(() -> a.decide(from("198.51.100.7")).action() == Action.ALLOW);
  }

  @Test
  void anInstanceStartedLaterStartsWithTheClustersRules() throws Exception {
    Gatehouse a = instance("a");
    a.addAccessRule("partner", "allow", "ip", "203.0.113.5", "");
    Thread.sleep(200);

    Gatehouse c = instance("c");
    assertThat(c.decide(from("203.0.113.5")).action()).isEqualTo(Action.ALLOW);
    assertThat(c.decide(from("203.0.113.6")).action()).isEqualTo(Action.CHALLENGE);
  }

  @Test
  void aRayIdFromOneInstanceIsFoundThroughAnotherAndCarriesItsNode() throws Exception {
    Gatehouse a = instance("a");
    Gatehouse b = instance("b");
    Decision refused = b.decide(Requests.browser("192.0.2.1", "sqlmap/1.7").path("/").build());
    assertThat(refused.rayId()).endsWith("-b");

    eventually(() -> a.eventView().log().findByRay(refused.rayId()).isPresent());
    Gatehouse.EventView view = a.eventView();
    assertThat(view.cluster()).isTrue();
    assertThat(view.log().findByRay(refused.rayId()).orElseThrow().ruleId()).isEqualTo("scanners");
    assertThat(a.events().findByRay(refused.rayId())).as("A's own log").isEmpty();
  }

  @Test
  void aDevicesBehaviourOnOneInstanceRaisesItsScoreOnTheOther() throws Exception {
    Gatehouse a = instance("a");
    Gatehouse b = instance("b");
    RequestFacts scanner = Requests.browser("192.0.2.44", "sqlmap/1.7").path("/").build();
    assertThat(b.explain(scanner).visitorScore()).isZero();

    a.decide(scanner);
    eventually(() -> b.explain(scanner).visitorScore() >= 10);
  }

  @Test
  void aChallengeTokenSolvedOnOneInstanceIsRefusedOnTheOther() throws Exception {
    Gatehouse a = instance("a");
    Gatehouse b = instance("b");
    RequestFacts visitor = from("203.0.113.9");
    Challenge c = a.issueChallenge(a.decide(visitor), visitor);
    String counter = ChallengeFlowTest.solve(c);

    assertThat(a.verifyChallenge(visitor, c.token(), counter, 10).solved()).isTrue();
    Challenge.Verdict replayed = b.verifyChallenge(visitor, c.token(), counter, 10);
    assertThat(replayed.solved()).isFalse();
    assertThat(replayed.reason()).isEqualTo("the token was already redeemed on another instance");
  }

  @Test
  void aClearanceRevokedByItsVisitorsEvidenceOnOneInstanceIsRevokedOnTheOther() throws Exception {
    Gatehouse a = instance("a");
    Gatehouse b = instance("b");
    RequestFacts visitor = from("203.0.113.9");
    Challenge c = a.issueChallenge(a.decide(visitor), visitor);
    String cookie = "gatehouse_clearance=" + a.verifyChallenge(visitor, c.token(), ChallengeFlowTest.solve(c), 10)
        .clearance();
    RequestFacts cleared = Requests.browser("203.0.113.9", UA).path("/").header("Cookie", cookie).build();
    assertThat(b.decide(cleared).action()).isEqualTo(Action.ALLOW);

    a.decide(Requests.browser("203.0.113.9", UA).path("/wp-login.php").header("Cookie", cookie).build());
    eventually(() -> b.decide(cleared).action() == Action.CHALLENGE);
  }

  @Test
  void anAddressDetectedAsSharedOnOneInstanceIsSharedOnTheOther() throws Exception {
    Gatehouse a = instance("a");
    Gatehouse b = instance("b");
    for (int i = 0; i < 8; i++) {
      a.decide(Requests.browser("192.0.2.99", UA + " visitor/" + i).path("/").build());
    }
    assertThat(a.explain(from("192.0.2.99")).sharedHow()).isEqualTo("detected");
    eventually(() -> b.explain(from("192.0.2.99")).sharedHow().equals("detected"));
  }

  @Test
  void twoInstancesEnforceOneRateLimitTogether() throws Exception {
    String limit = """
        gatehouse.rate-limit.login.expression=http.request.uri.path eq "/login"
        gatehouse.rate-limit.login.characteristics=ip.src
        gatehouse.rate-limit.login.period=1m
        gatehouse.rate-limit.login.requests=20
        gatehouse.rate-limit.login.mitigation-timeout=1m
        """;
    Gatehouse a = instance("a", limit);
    Gatehouse b = instance("b", limit);
    int allowed = 0;
    for (int i = 0; i < 60; i++) {
      Gatehouse g = i % 2 == 0 ? a : b;
      if (g.decide(Requests.browser("192.0.2.77", UA).path("/login").build()).action() == Action.ALLOW) {
        allowed++;
      }
      Thread.sleep(50);
    }
    // Alone, each would let 20 through; together they let 20 through, and at most the requests of one
    // synchronisation interval more.
    assertThat(allowed).isBetween(20, 22);
  }

  @Test
  void theStatusSaysTheClusterIsUp() throws Exception {
    Gatehouse a = instance("a");
    eventually(() -> a.status().cluster().state().equals("up"));
    Status.Cluster c = a.status().cluster();
    assertThat(c.store()).isEqualTo("memory");
    assertThat(c.nodeId()).isEqualTo("a");
    assertThat(c.healthy()).isTrue();
  }

  @Test
  void withoutAClusterTheEventViewIsThisInstancesOwnLog() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("t", "")).environment(Map.of()).watchFiles(false)
        .build();
    started.add(g);
    assertThat(g.eventView()).isEqualTo(new Gatehouse.EventView(g.events(), false, ""));
    assertThat(g.status().cluster()).isEqualTo(Status.Cluster.OFF);
  }

  @Test
  void aRedisUriWithoutTheRedisModuleIsAProblemThatNamesTheModule(@TempDir Path home) throws Exception {
    Path config = home.resolve("gatehouse.properties");
    Files.writeString(config, "gatehouse.mode=enforce\ngatehouse.cluster.redis=redis://127.0.0.1:6379/0\n");
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> Gatehouse.builder().config(ConfigSource.file(config)).environment(Map.of())
            .watchFiles(false).build())
        .satisfies(e -> assertThat(e.problems()).extracting(ConfigException.Problem::toString).containsExactly(
            config + ":2: gatehouse.cluster.redis: sharing state through Redis needs the module"
                + " io.gatehouse:gatehouse-redis on the classpath"));
  }

  @Test
  void aPasswordInTheStoreUriIsNeverShown() {
    assertThat(io.gatehouse.core.policy.Policy.ClusterSettings.hidePassword("rediss://app:s3cret@redis.internal:6380/2"))
        .isEqualTo("rediss://app:***@redis.internal:6380/2");
    assertThat(io.gatehouse.core.policy.Policy.ClusterSettings.hidePassword("redis://s3cret@host"))
        .isEqualTo("redis://***@host");
    assertThat(io.gatehouse.core.policy.Policy.ClusterSettings.hidePassword("redis://host:6379/0"))
        .isEqualTo("redis://host:6379/0");
  }

  @Test
  void theEventViewIsACopyOfTheClustersEvents() throws Exception {
    Gatehouse a = instance("a");
    EventLog before = a.eventView().log();
    assertThat(before).isNotSameAs(a.events());
  }
}
