package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.Phase;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.Source;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.policy.LivePolicy;
import io.gatehouse.core.policy.Policy;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SharedAddresses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A phase that throws is an internal failure that names the phase, answered as on-error says. */
class PipelineFailureTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:15:30.123456Z"), ZoneOffset.UTC);

  private final EventLog events = new EventLog(100, 1 << 20);
  private final FeedRegistry feeds = new FeedRegistry(CLOCK, () -> 0L);
  private final Engine.State state = new Engine.State(CLOCK, () -> 0L, feeds,
      new BehaviourTracker(1_000, 1L << 20, Duration.ofHours(1), () -> 0L, Runnable::run),
      new SharedAddresses(8, Duration.ofMinutes(10), () -> 0L), events);
  private LivePolicy live;

  @AfterEach
  void close() {
    live.close();
    feeds.close();
  }

  private Engine throwingIn(Phase phase, String properties) throws Exception {
    AtomicReference<Policy> installed = new AtomicReference<>();
    live = LivePolicy.open(ConfigSource.text("test.properties", properties), Map.of(), CLOCK, () -> 0L, feeds, null,
        new byte[32], p -> () -> installed.set(p));
    Stage throwing = new Stage(phase) {
      @Override
      Verdict evaluate(Evaluation ev) {
        throw new IllegalStateException("broken on purpose");
      }
    };
    return Engine.of(installed.get(), state, new Pipeline(List.of(throwing)));
  }

  private static RequestFacts from(String ip) {
    return RequestFacts.builder().peer(ip).method("GET").host("shop.example").path("/cart").query("id=7")
        .header("User-Agent", "Mozilla/5.0 test").build();
  }

  @Test
  void internalFailureFailsOpenByDefaultAndIsRecordedWithItsPhase() throws Exception {
    Engine engine = throwingIn(Phase.CUSTOM_RULES, "gatehouse.access-rule.x=block ip 192.0.2.0/24\n");
    Decision d = engine.decide(from("198.51.100.1"));
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.source()).isEqualTo(Source.INTERNAL_ERROR);
    assertThat(state.internalFailures()).isEqualTo(1);
    SecurityEvent e = events.findByRay(d.rayId()).orElseThrow();
    assertThat(e.source().id()).isEqualTo("internal_error");
    assertThat(e.action().id()).isEqualTo("allow");
    assertThat(e.description()).isEqualTo("internal error in custom_rules (IllegalStateException); on-error=allow");
  }

  @Test
  void internalFailureFailsClosedWhenConfigured() throws Exception {
    Engine engine = throwingIn(Phase.ACCESS_RULES, "gatehouse.on-error=block\n");
    Decision d = engine.decide(from("198.51.100.1"));
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.refuses()).isTrue();
    assertThat(d.errorCode()).isEqualTo(1012);
    SecurityEvent e = events.findByRay(d.rayId()).orElseThrow();
    assertThat(e.action().id()).isEqualTo("block");
    assertThat(e.description()).isEqualTo("internal error in access_rules (IllegalStateException); on-error=block");
  }

  @Test
  void explainNamesThePhaseThatFailed() throws Exception {
    Engine engine = throwingIn(Phase.BROWSER_INTEGRITY_CHECK, "");
    Explanation x = engine.explain(from("198.51.100.1"));
    assertThat(x.decision().source()).isEqualTo(Source.INTERNAL_ERROR);
    Explanation.PhaseTrace bic = x.phases().stream().filter(p -> p.phase().equals("browser_integrity_check"))
        .findFirst().orElseThrow();
    assertThat(bic.outcome()).isEqualTo("internal error");
    assertThat(bic.details()).containsExactly("internal error: java.lang.IllegalStateException: broken on purpose");
    assertThat(events.size()).isZero();
  }
}
