package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.Action;
import io.gatehouse.core.Challenge;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Challenge tokens and clearance cookies as a visitor may send them back: genuine, altered, or made up.
 * Nothing but the exact string that was issued may pass; checking never throws; a genuine token or
 * cookie reads back what was put in it; and through the engine ({@link Gatehouse#verifyChallenge}), a
 * solution is accepted exactly when the token is the one issued, to this visitor, recently, solved and
 * not yet redeemed, and its clearance then lets the visitor through.
 *
 * <p>{@code core/fuzz.sh challenge} fuzzes this for longer.
 */
class ChallengeFuzzTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-fuzz".getBytes(StandardCharsets.US_ASCII);
  private static final Clearances CLEARANCES = new Clearances(SECRET);
  private static final MutableClock CLOCK = new MutableClock();
  private static final Gatehouse ENGINE = engine();
  private static final String[] VISITORS = {"203.0.113.9", "198.51.100.4", "2001:db8:1:2::5", "::ffff:203.0.113.10"};
  private static final String[] OTHERS = {"192.0.2.200", "2001:db8:9::1", "203.0.113.99"};
  private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; rv:133.0) Gecko/20100101 Firefox/133.0", "curl/8.5.0", ""};

  @FuzzTest(maxDuration = "10s")
  void acceptsOnlyWhatWasIssued(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      clearancesAlone(data);
    } else {
      throughTheEngine(data);
    }
  }

  private static void clearancesAlone(FuzzedDataProvider data) {
    Instant now = Instant.ofEpochSecond(data.consumeLong(0, 4_000_000_000L), data.consumeInt(0, 999_999_999));
    long address = data.consumeLong();
    long agent = data.consumeLong();

    Duration ttl = Duration.ofSeconds(data.consumeLong(1, 10_000_000));
    long visitor = data.consumeLong();
    String cookie = CLEARANCES.mintClearance(now, ttl, address, agent, visitor);
    assertThat(CLEARANCES.checkClearance(cookie, now, address, agent))
        .isEqualTo(new Clearances.Clearance(Clearances.Check.VALID, visitor));
    assertThat(CLEARANCES.checkClearance(cookie, now.plus(ttl), address, agent).check())
        .isEqualTo(Clearances.Check.EXPIRED);
    long otherAddress = data.consumeLong();
    if (otherAddress != address) {
      assertThat(CLEARANCES.checkClearance(cookie, now, otherAddress, agent).check())
          .isEqualTo(Clearances.Check.INVALID);
    }
    String altered = alter(data, cookie);
    Clearances.Clearance check = CLEARANCES.checkClearance(altered, now, address, agent);
    if (!altered.equals(cookie)) {
      assertThat(check.check()).as("cookie %s altered to %s", cookie, altered)
          .isIn(Clearances.Check.INVALID, Clearances.Check.ABSENT);
    }

    int difficulty = data.consumeInt(1, 32);
    byte[] nonce = data.consumeBytes(12);
    String ray = data.consumeAsciiString(40);
    String path = data.consumeAsciiString(2048);
    String token = CLEARANCES.issueToken(now, difficulty, nonce, address, agent, ray, path);
    Clearances.Token t = CLEARANCES.readToken(token);
    assertThat(t).isNotNull();
    assertThat(t.issuedAt()).isEqualTo(Instant.ofEpochSecond(now.getEpochSecond()));
    assertThat(t.difficulty()).isEqualTo(difficulty);
    assertThat(t.addressKey()).isEqualTo(address);
    assertThat(t.agentHash()).isEqualTo(agent);
    assertThat(t.issuingRayId()).isEqualTo(ray);
    assertThat(t.returnPath()).isEqualTo(path);
    String alteredToken = alter(data, token);
    if (!alteredToken.equals(token)) {
      assertThat(CLEARANCES.readToken(alteredToken)).as("token %s altered to %s", token, alteredToken).isNull();
    }

    String counter = data.consumeString(16);
    if (Challenge.solves(token, counter, difficulty)) {
      assertThat(counter).as("a counter that solves").matches("[0-9]{1,12}");
    }
    String made = data.consumeRemainingAsString();
    assertThat(CLEARANCES.readToken(made)).isNull();
    assertThat(CLEARANCES.checkClearance(made, now, address, agent).check())
        .isIn(Clearances.Check.INVALID, Clearances.Check.ABSENT);
    String back = Clearances.returnPath(made);
    assertThat(back).isIn("/", made);
    assertThat(back).startsWith("/").doesNotStartWith("//").doesNotStartWith("/\\").doesNotContain("\\");
    assertThat(back.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
    assertThat(back.length()).isLessThanOrEqualTo(2048);
  }

  private static void throughTheEngine(FuzzedDataProvider data) {
    boolean proxied = data.consumeBoolean();
    String visitor = data.pickValue(VISITORS);
    String agent = data.consumeBoolean() ? data.pickValue(AGENTS) : data.consumeString(200);
    String uri = data.consumeString(300);
    RequestFacts challenged = request(visitor, proxied, agent, uri, null);
    Decision decision = ENGINE.decide(challenged);
    if (decision.action() != Action.CHALLENGE) {
      return;
    }
    Challenge c = ENGINE.issueChallenge(decision, challenged);
    assertThat(c.token()).isNotEmpty();

    // What comes back: the token as issued or not, solved or not, from the visitor or someone else, soon
    // or late.
    String token = switch (data.consumeInt(0, 2)) {
      case 0 -> c.token();
      case 1 -> alter(data, c.token());
      default -> data.consumeString(300);
    };
    String counter = data.consumeBoolean() ? solve(c) : data.consumeString(16);
    boolean sameVisitor = data.consumeBoolean();
    String sender = sameVisitor ? visitor : data.pickValue(OTHERS);
    String senderAgent = sameVisitor || data.consumeBoolean() ? agent : data.consumeString(200);
    Duration later = Duration.ofSeconds(data.consumeInt(0, 600));
    CLOCK.advance(later);
    RequestFacts submitted = request(sender, proxied, senderAgent, c.verifyPath(), null);
    Challenge.Verdict verdict = ENGINE.verifyChallenge(submitted, token, counter, data.consumeLong());

    assertThat(verdict.redirect()).isEqualTo(Clearances.returnPath(verdict.redirect()));
    boolean genuine = token.equals(c.token()) && Challenge.solves(c.token(), counter, c.difficulty())
        && sender.equals(visitor) && senderAgent.equals(agent);
    if (verdict.solved()) {
      assertThat(genuine).as("solved with token %s counter %s from %s (%s), %s later", token, counter, sender,
          senderAgent, later).isTrue();
      assertThat(later).isLessThanOrEqualTo(ChallengeState.TOKEN_LIFETIME.plusSeconds(1));
      assertThat(verdict.redirect()).isEqualTo(Clearances.returnPath(challenged.uri()));
      Decision cleared = ENGINE.decide(request(visitor, proxied, agent, uri, verdict.clearance()));
      assertThat(cleared.action()).as("with the clearance").isEqualTo(Action.ALLOW);
      Challenge.Verdict replayed = ENGINE.verifyChallenge(submitted, token, counter, 0);
      assertThat(replayed.solved()).as("the same token twice").isFalse();
      // Altered as it arrives: what the Cookie header's parsing leaves of it (spaces around it go, say).
      RequestFacts withForged = request(visitor, proxied, agent, uri, alter(data, verdict.clearance()));
      String forged = withForged.cookie(Challenge.CLEARANCE_COOKIE);
      if (!verdict.clearance().equals(forged)) {
        Decision notCleared = ENGINE.decide(withForged);
        assertThat(notCleared.action()).as("with clearance %s altered to %s", verdict.clearance(), forged)
            .isEqualTo(Action.CHALLENGE);
      }
    } else if (genuine && later.compareTo(ChallengeState.TOKEN_LIFETIME.minusSeconds(1)) < 0) {
      assertThat(verdict.reason()).as("a genuine solution refused").isNull();
    }
    assertThat(verdict.solved()).isEqualTo(verdict.reason() == null);
    assertThat(ENGINE.internalFailures()).isZero();
  }

  private static RequestFacts request(String visitor, boolean proxied, String agent, String uri, String clearance) {
    RequestFacts.Builder b = RequestFacts.builder().peer(proxied ? "10.0.0.1" : visitor).method("GET")
        .host("shop.example").uri(uri).header("User-Agent", agent).header("Accept", "text/html")
        .header("Accept-Language", "en");
    if (proxied) {
      b.header("X-Forwarded-For", visitor + ", 10.0.0.2");
    }
    if (clearance != null) {
      b.header("Cookie", "a=1; " + Challenge.CLEARANCE_COOKIE + "=" + clearance);
    }
    return b.build();
  }

  /** {@code s} with one change the input picks: a character replaced, inserted or removed, or text added. */
  private static String alter(FuzzedDataProvider data, String s) {
    int at = data.consumeInt(0, s.length());
    char c = data.consumeChar();
    return switch (data.consumeInt(0, 3)) {
      case 0 -> at < s.length() ? s.substring(0, at) + c + s.substring(at + 1) : s + c;
      case 1 -> s.substring(0, at) + c + s.substring(at);
      case 2 -> at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
      default -> s + data.consumeString(8);
    };
  }

  private static String solve(Challenge c) {
    for (int n = 0; ; n++) {
      if (Challenge.solves(c.token(), Integer.toString(n), c.difficulty())) {
        return Integer.toString(n);
      }
    }
  }

  private static Gatehouse engine() {
    try {
      return Gatehouse.builder().config(ConfigSource.text("fuzz.properties", """
          gatehouse.challenge.secret=0123456789abcdef0123456789abcdef-fuzz
          gatehouse.challenge.difficulty=1
          gatehouse.client-ip.header=X-Forwarded-For
          gatehouse.client-ip.trusted-proxies=10.0.0.0/8
          gatehouse.access-rule.everyone=challenge ip 0.0.0.0/0
          gatehouse.access-rule.everyone6=challenge ip ::/0
          gatehouse.browser-integrity-check=off
          gatehouse.events.capacity=1000
          """)).clock(CLOCK).ticker(CLOCK::nanos).environment(Map.of()).watchFiles(false)
          .behaviourExecutor(Runnable::run).build();
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }
}
