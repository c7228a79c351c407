package io.gatehouse.core;

import io.gatehouse.core.bot.CrawlerStatus;
import io.gatehouse.core.challenge.Clearances;
import io.gatehouse.core.geo.AsnInfo;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.reputation.FeedHit;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.expr.RequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one request's way through the pipeline: its facts, its client address, the settings in
 * force for it, the phases it skips and the {@code log} matches it collected. Lookups that cost
 * something are made here lazily, at most once, and only when a phase asks.
 *
 * <p>Confined to the request's thread.
 */
final class Evaluation implements RequestContext {

  final RequestFacts facts;
  final Policy policy;
  final Services services;
  final ClientIp client;
  // The settings in force for this request; configuration rules may change them.
  Mode mode;
  SecurityLevel securityLevel;
  Action securityLevelAction;
  boolean browserIntegrityCheck;
  private int skipped;
  private List<Verdict> logs;
  private AsnInfo asn;
  private String country;
  private int threatScore = -1;
  private FeedHit feedHit;
  private int behaviourScore;
  private Clearances.Check clearance;
  private CrawlerStatus crawler;
  /** An allow that did not end evaluation (a country or continent allow), for the decision's record. */
  Verdict allowedBy;
  /** Notes for explain; null on the request path. */
  Trace trace;

  Evaluation(RequestFacts facts, Policy policy, Services services, ClientIp client) {
    this.facts = facts;
    this.policy = policy;
    this.services = services;
    this.client = client;
    this.mode = policy.mode();
    this.securityLevel = policy.reputation().securityLevel();
    this.securityLevelAction = policy.reputation().securityLevelAction();
    this.browserIntegrityCheck = policy.browserIntegrityCheck();
  }

  // What rule expressions read (RequestContext). Geo and the threat score are looked up on first use.

  @Override
  public IpAddress clientIp() {
    return client.address();
  }

  @Override
  public long asn() {
    return asnInfo().number();
  }

  @Override
  public String host() {
    return facts.host();
  }

  @Override
  public String method() {
    return facts.method();
  }

  @Override
  public String uri() {
    return facts.uri();
  }

  @Override
  public String path() {
    return facts.path();
  }

  @Override
  public String query() {
    return facts.query();
  }

  @Override
  public String userAgent() {
    return facts.userAgent();
  }

  @Override
  public String referer() {
    String r = facts.header("Referer");
    return r == null ? "" : r;
  }

  @Override
  public String cookie() {
    List<String> lines = facts.headers("Cookie");
    return lines.isEmpty() ? "" : lines.size() == 1 ? lines.get(0) : String.join("; ", lines);
  }

  @Override
  public List<String> header(String lowerCaseName) {
    return facts.headersLowerCase(lowerCaseName);
  }

  @Override
  public boolean verifiedBot() {
    return crawler().isVerified();
  }

  /** What is known about the request's crawler claim; never waits for DNS. */
  CrawlerStatus crawler() {
    if (crawler == null) {
      String ua = facts.userAgent();
      crawler = ua.isEmpty() ? CrawlerStatus.NOT_A_CRAWLER : policy.bots().verifier().status(ua, client.address());
    }
    return crawler;
  }

  /** Whether explain is listening; phases build their notes only then. */
  boolean tracing() {
    return trace != null;
  }

  void note(Phase phase, String text) {
    if (trace != null) {
      trace.note(phase, text);
    }
  }

  /** Records a phase's own outcome when explaining, where "no match" would mislead. */
  void outcome(Phase phase, String outcome) {
    if (trace != null) {
      trace.outcome(phase, outcome);
    }
  }

  void skip(Phase phase) {
    skipped |= 1 << phase.ordinal();
  }

  boolean skips(Phase phase) {
    return (skipped & (1 << phase.ordinal())) != 0;
  }

  /** Records a {@code log} match; evaluation goes on. */
  void log(Verdict match) {
    if (logs == null) {
      logs = new ArrayList<>(2);
    }
    logs.add(match);
  }

  List<Verdict> logs() {
    return logs == null ? List.of() : logs;
  }

  /** The client's AS, looked up once and only if asked. */
  AsnInfo asnInfo() {
    if (asn == null) {
      asn = policy.geo().asn(client.address());
    }
    return asn;
  }

  /** The client's country ({@code XX} unknown), looked up once and only if asked. */
  @Override
  public String country() {
    if (country == null) {
      country = policy.geo().country(client.address());
    }
    return country;
  }

  /** The client's continent ({@code XX} unknown). */
  @Override
  public String continent() {
    return io.gatehouse.core.geo.Continents.of(country());
  }

  /**
   * The client's threat score, 0..100: the highest score of the feeds listing it plus its behaviour
   * points, capped at 100. Computed once, when first asked.
   */
  @Override
  public int threatScore() {
    if (threatScore < 0) {
      feedHit = services.feeds().lookup(client.address());
      behaviourScore = (int) Math.round(services.behaviour().points(client.address()));
      threatScore = Math.min(100, (feedHit == null ? 0 : feedHit.score()) + behaviourScore);
    }
    return threatScore;
  }

  /** Whether the threat score was computed (decisions and events report it only then or when cheap). */
  boolean threatScoreKnown() {
    return threatScore >= 0;
  }

  /** The feeds listing the client, once the threat score is computed. */
  FeedHit feedHit() {
    return feedHit;
  }

  /** The behaviour part of the threat score, once computed. */
  int behaviourScore() {
    return behaviourScore;
  }

  /** Whether the visitor holds a valid clearance, which satisfies challenges. Checked once, when asked. */
  boolean cleared() {
    return clearance() == Clearances.Check.VALID;
  }

  /** The state of the visitor's clearance cookie. */
  Clearances.Check clearance() {
    if (clearance == null) {
      ChallengeSettings c = policy.challenge();
      clearance = c.clearances().checkClearance(facts.cookie(Gatehouse.CLEARANCE_COOKIE),
          services.clock().instant(), Clearances.addressKey(client.address()), Clearances.agentHash(facts.userAgent()));
    }
    return clearance;
  }

  /** Whether the clearance was looked at and found forged, tampered with or someone else's. */
  boolean clearanceRejected() {
    return clearance == Clearances.Check.INVALID;
  }

  /** Whether the client address is a known shared egress. */
  boolean shared() {
    return policy.reputation().isShared(client.address());
  }

  /** Whether geo data exists for events: then they carry AS and country even if no rule asked. */
  boolean hasGeo() {
    GeoLookup g = policy.geo();
    return g.hasAsn() || g.hasCountry();
  }
}
