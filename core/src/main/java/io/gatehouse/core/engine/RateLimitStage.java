package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.Phase;
import io.gatehouse.core.Source;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.policy.Policy.Characteristic;
import io.gatehouse.core.policy.Policy.RateLimit;
import io.gatehouse.core.rules.RuleAction;
import io.gatehouse.core.rules.expr.Expression;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The rate limiting phase: each rule in file order counts the requests it matches per key, and the first
 * key over its rate refuses the request ({@code block}: error 1015, HTTP 429 with {@code Retry-After}),
 * challenges it (a clearance satisfies the challenge) or logs it and goes on ({@code log}). Rules with a
 * counting expression or a score header count once the application has answered ({@link #observe}).
 * Explain reads the counters without counting.
 */
final class RateLimitStage extends Stage {

  /** The most one response may count, so a wild score header cannot wrap a counter. */
  static final int MAX_SCORE = 1_000_000;
  private static final int KEY_TEXT = 128;

  private final RateLimit[] rules;
  private final Expression.Index index; // names the rules a request may match, as for the custom rules
  private final long[] ruleHashes;
  // Each rule's period and mitigation timeout in nanoseconds, worked out once rather than per request.
  private final long[] periodNanos;
  private final long[] timeoutNanos;
  private final RateCounters counters;
  private final Engine.State state;

  RateLimitStage(List<RateLimit> rules, RateCounters counters, Engine.State state) {
    super(Phase.RATE_LIMITING);
    this.rules = rules.toArray(new RateLimit[0]);
    this.index = Expression.Index.of(rules.stream().map(RateLimit::expression).toList());
    this.ruleHashes = new long[this.rules.length];
    this.periodNanos = new long[this.rules.length];
    this.timeoutNanos = new long[this.rules.length];
    for (int i = 0; i < this.rules.length; i++) {
      ruleHashes[i] = hash(RateCounters.mix(0x5bd1e995L), this.rules[i].id());
      periodNanos[i] = this.rules[i].period().toNanos();
      timeoutNanos[i] = this.rules[i].mitigationTimeout().toNanos();
    }
    this.counters = counters;
    this.state = state;
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    for (int r : index.candidates(ev)) {
      RateLimit rule = rules[r];
      if (!rule.expression().matches(ev)) {
        continue;
      }
      long valueHash = valueHash(rule, ev);
      long key = counters.key(ruleHashes[r], valueHash);
      long now = state.nanos();
      long period = periodNanos[r];
      long result = ev.tracing()
          ? counters.peek(key, now, period, rule.requests(), rule.countsOnArrival())
          : counters.request(key, now, period, rule.requests(), timeoutNanos[r],
              rule.countsOnArrival(), 1);
      if (!ev.tracing() && rule.countsOnArrival() && RateCounters.allowed(result)) {
        share(r, valueHash, key, now, 1);
      }
      if (ev.tracing()) {
        ev.note(phase(), "rule '" + rule.id() + "' matches; " + keyText(rule, ev) + ": " + RateCounters.countOf(result)
            + " of " + rule.requests() + " in " + Values.text(rule.period())
            + (RateCounters.allowed(result) ? "" : ", refused for " + RateCounters.retryAfter(result) + " s more"));
      }
      if (RateCounters.allowed(result)) {
        continue;
      }
      String description = describe(rule, ev, result);
      if (rule.action() == RuleAction.LOG) {
        ev.log(new LogMatch(Source.RATE_LIMITING, rule.id(), description));
        continue;
      }
      if (rule.action() == RuleAction.CHALLENGE) {
        if (ev.cleared()) {
          ev.note(phase(), "the visitor's clearance satisfies rule '" + rule.id() + "'");
          continue;
        }
        return Verdict.rateLimited(Action.CHALLENGE, rule.id(), description, RateCounters.retryAfter(result));
      }
      return Verdict.rateLimited(Action.BLOCK, rule.id(), description, RateCounters.retryAfter(result));
    }
    return null;
  }

  /**
   * In a cluster, hands what rule {@code r} counted for a key to the synchronisation. The key the
   * instances share is unsalted and names the rule's rate too, so instances whose rules differ count apart.
   */
  private void share(int r, long valueHash, long localKey, long now, int amount) {
    ClusterLink cluster = state.cluster();
    if (cluster == null) {
      return;
    }
    RateLimit rule = rules[r];
    long period = periodNanos[r];
    long shared = RateCounters.mix(RateCounters.mix(ruleHashes[r] ^ period * 31 + rule.requests()) + valueHash);
    cluster.rates().counted(shared, counters, localKey, period, rule.requests(), timeoutNanos[r],
        amount, now);
  }

  /** Whether any rule counts only once the application has answered. */
  boolean countsResponses() {
    for (RateLimit rule : rules) {
      if (!rule.countsOnArrival()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Counts an answered request for the rules that count responses: those whose expression and counting
   * expression match, by 1 or by the score header's value.
   */
  void observe(Evaluation ev, UnaryOperator<String> responseHeader) {
    for (int r = 0; r < rules.length; r++) {
      RateLimit rule = rules[r];
      if (rule.countsOnArrival() || !rule.expression().matches(ev)
          || rule.countingExpression() != null && !rule.countingExpression().matches(ev)) {
        continue;
      }
      int amount = rule.scoreHeader() == null ? 1 : score(responseHeader.apply(rule.scoreHeader()));
      long valueHash = valueHash(rule, ev);
      long key = counters.key(ruleHashes[r], valueHash);
      long now = state.nanos();
      counters.add(key, now, periodNanos[r], rule.requests(), timeoutNanos[r], amount);
      if (amount > 0) {
        share(r, valueHash, key, now, amount);
      }
    }
  }

  /** A score header's value: a whole number from 0; a missing or unreadable one counts 1. */
  static int score(String value) {
    if (value == null) {
      return 1;
    }
    String v = value.trim();
    if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 1;
    }
    return (int) Math.min(MAX_SCORE, Long.parseLong(v));
  }

  private static String describe(RateLimit rule, Evaluation ev, long result) {
    String over = rule.mitigationTimeout().isZero() ? "requests over the rate are refused"
        : "refused for " + Values.text(rule.mitigationTimeout());
    return "rate limit '" + rule.id() + "': " + RateCounters.countOf(result) + " requests in "
        + Values.text(rule.period()) + " (limit " + rule.requests() + ") for " + keyText(rule, ev) + "; " + over;
  }

  /** The key as a person reads it: {@code ip.src=203.0.113.9, http.request.uri.path=/login}. */
  static String keyText(RateLimit rule, Evaluation ev) {
    StringBuilder b = new StringBuilder();
    for (Characteristic c : rule.characteristics()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      String v = value(c, ev);
      b.append(c).append('=').append(v == null ? "(missing)"
          : v.length() > KEY_TEXT ? v.substring(0, KEY_TEXT) + "…" : v);
    }
    return b.toString();
  }

  private static String value(Characteristic c, Evaluation ev) {
    return switch (c.kind()) {
      case IP_SRC -> ev.clientIp() == null ? null
          : ev.clientIp().isV4() ? ev.clientIp().toString() : ev.clientIp().mask(64) + "/64";
      case VISITOR -> ev.visitorText();
      case HEADER -> {
        List<String> values = ev.facts.headersLowerCase(c.name());
        yield values.isEmpty() ? null : String.join(", ", values);
      }
      case COOKIE -> ev.facts.cookie(c.name());
      case QUERY_ARG -> QueryArgs.values(ev.facts.query(), c.name());
      case PATH -> ev.path();
      case HOST -> ev.host().toLowerCase(Locale.ROOT);
      case ASN -> ev.asn() > 0 ? Long.toString(ev.asn()) : null;
      case COUNTRY -> ev.country();
    };
  }

  /** A hash of the key's values, read without allocating for the usual characteristics. */
  static long valueHash(RateLimit rule, Evaluation ev) {
    long h = 0xcbf29ce484222325L;
    for (Characteristic c : rule.characteristics()) {
      h = RateCounters.mix(h ^ part(c, ev));
    }
    return h;
  }

  private static long part(Characteristic c, Evaluation ev) {
    switch (c.kind()) {
      case IP_SRC: {
        // An IPv6 client counts by its /64: a host that owns the prefix must not rotate out of its limit.
        IpAddress ip = ev.clientIp();
        return ip == null ? 1 : RateCounters.mix(ip.hostKey());
      }
      case VISITOR:
        return ev.visitor();
      case HEADER: {
        long h = 5;
        for (String v : ev.facts.headersLowerCase(c.name())) {
          h = hash(h, v);
        }
        return h;
      }
      case COOKIE:
        return hash(7, ev.facts.cookie(c.name()));
      case QUERY_ARG:
        return QueryArgs.hash(ev.facts.query(), c.name());
      case PATH:
        return hash(11, ev.path());
      case HOST:
        return hashIgnoringCase(13, ev.host());
      case ASN:
        return RateCounters.mix(ev.asn() + 17);
      case COUNTRY:
        return hash(19, ev.country());
      default:
        throw new IllegalStateException("unknown characteristic " + c);
    }
  }

  /** {@link #hash} of the text with ASCII letters in lower case, as host names compare. */
  static long hashIgnoringCase(long seed, String s) {
    if (s == null) {
      return hash(seed, null);
    }
    long h = seed ^ 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 0x100000001b3L;
    }
    return h;
  }

  /** FNV-1a over the characters, folded into {@code seed}; a missing value hashes apart from any text. */
  static long hash(long seed, String s) {
    if (s == null) {
      return RateCounters.mix(seed ^ 0x7fb5d329728ea185L);
    }
    long h = seed ^ 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }
}
