package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Phase;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.policy.Policy;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.ConfigRule;
import io.gatehouse.core.rules.expr.Expression;
import io.gatehouse.core.rules.expr.Expression.Context.Place;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's way through the pipeline: its facts, its client address, the settings in force for it,
 * the phases it skips and the {@code log} matches it collected. What costs something to find out (geo,
 * the threat score, the clearance, the crawler claim) is looked up here lazily, at most once, and only
 * when a phase asks. Stages read it; what they decide they return as a {@link Verdict}.
 *
 * <p>Layout, since every request makes one: what most requests need is here, in 64 bytes (ten
 * references, the signature, the scores and flags in bytes); what few need (explain's trace, {@code log}
 * matches, settings a configuration rule changed, a feed listing, the application's answer, the rarer
 * rule fields) is in {@link Rare}, made on first use, so that a request needing none of it allocates
 * nothing more.
 *
 * <p>Confined to the request's thread.
 */
final class Evaluation implements Expression.Context {

  final RequestFacts facts;
  final Policy policy;
  final ClientIp client;
  private final Engine.State state;
  private final Clearances clearances;
  private GeoLookup.Asn asn;
  private String country;
  private Clearances.Clearance clearance;
  private CrawlerVerifier.Status crawler;
  private Rare rare;
  private int signature;
  // A bit for each phase skipped.
  private short skipped;
  // Scores are 0..100; -1 until the threat score is computed.
  private byte threatScore = -1;
  private byte visitorScore;
  private byte addressScore;
  // -1 not yet known, 0 not shared, 1 configured, 2 detected.
  private byte shared = -1;
  private boolean signed;

  static {
    assert Phase.values().length <= Short.SIZE : "skipped has a bit for each phase";
  }

  /** What few requests need: looked up on first use, or set when something rare happens. */
  private static final class Rare {
    /** Notes for explain; {@code null} on the request path, where phases build no notes. */
    Trace trace;
    List<LogMatch> logs;
    // The settings configuration rules put in force; null where the policy's apply.
    Mode mode;
    SecurityLevel securityLevel;
    Action securityLevelAction;
    Boolean browserIntegrityCheck;
    /** The feeds listing the client, when any does. */
    FeedRegistry.Hit feedHit;
    long responseCode = Long.MIN_VALUE;
    Object[] memo;
    long now = -1;
    String rayId;
    IpAddress serverIp;
    boolean serverIpKnown;
    GeoLookup.City city;
    boolean cityKnown;
    // 1..99, -1 until computed.
    byte botScore = -1;
    byte[] body;
  }

  private Rare rare() {
    Rare r = rare;
    if (r == null) {
      r = new Rare();
      rare = r;
    }
    return r;
  }

  /** Sets the application's answer, for the rate limiting rules that count responses. */
  void responded(int status) {
    rare().responseCode = status;
  }

  @Override
  public long responseCode() {
    Rare r = rare;
    return r == null ? Long.MIN_VALUE : r.responseCode;
  }

  Evaluation(RequestFacts facts, Policy policy, Engine.State state, Clearances clearances, ClientIp client,
      Trace trace) {
    this.facts = facts;
    this.policy = policy;
    this.state = state;
    this.clearances = clearances;
    this.client = client;
    if (trace != null) {
      rare().trace = trace;
    }
  }

  /** Puts a configuration rule's settings in force for this request. */
  void apply(ConfigRule.Settings s) {
    Rare r = rare();
    if (s.securityLevel() != null) {
      r.securityLevel = s.securityLevel();
    }
    if (s.securityLevelAction() != null) {
      r.securityLevelAction = s.securityLevelAction();
    }
    if (s.browserIntegrityCheck() != null) {
      r.browserIntegrityCheck = s.browserIntegrityCheck();
    }
    if (s.mode() != null) {
      r.mode = s.mode();
    }
  }

  // The settings in force for this request: the policy's, unless a configuration rule changed them.

  Mode mode() {
    Rare r = rare;
    return r == null || r.mode == null ? policy.mode() : r.mode;
  }

  SecurityLevel securityLevel() {
    Rare r = rare;
    return r == null || r.securityLevel == null ? policy.reputation().securityLevel() : r.securityLevel;
  }

  Action securityLevelAction() {
    Rare r = rare;
    return r == null || r.securityLevelAction == null ? policy.reputation().securityLevelAction()
        : r.securityLevelAction;
  }

  boolean browserIntegrityCheck() {
    Rare r = rare;
    return r == null || r.browserIntegrityCheck == null ? policy.bots().browserIntegrityCheck()
        : r.browserIntegrityCheck;
  }

  // What rule expressions read (Expression.Context). Geo and the threat score are looked up on first use.

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
    String path = facts.normalizedPath();
    return facts.query().isEmpty() ? path : path + '?' + facts.query();
  }

  @Override
  public String path() {
    return facts.normalizedPath();
  }

  @Override
  public String rawPath() {
    return facts.path();
  }

  @Override
  public Object[] memo() {
    Rare r = rare();
    if (r.memo == null) {
      r.memo = new Object[MEMO_SLOTS];
    }
    return r.memo;
  }

  @Override
  public boolean ssl() {
    return policy.clientIpResolver().visitorUsedHttps(facts);
  }

  /** The protocol as the CDN names it: {@code HTTP/2} and {@code HTTP/3}, where containers say {@code HTTP/2.0}. */
  @Override
  public String httpVersion() {
    String p = facts.protocol();
    return "HTTP/2.0".equals(p) ? "HTTP/2" : "HTTP/3.0".equals(p) ? "HTTP/3" : p;
  }

  @Override
  public int headerCount() {
    return facts.headerCount();
  }

  @Override
  public String headerName(int i) {
    return facts.headerName(i);
  }

  @Override
  public String headerValue(int i) {
    return facts.headerValue(i);
  }

  @Override
  public long serverPort() {
    return facts.serverPort();
  }

  @Override
  public IpAddress serverIp() {
    Rare r = rare();
    if (!r.serverIpKnown) {
      r.serverIp = facts.serverAddress() == null ? null : IpAddress.tryParseLoose(facts.serverAddress());
      r.serverIpKnown = true;
    }
    return r.serverIp;
  }

  @Override
  public boolean clientCertPresented() {
    return facts.clientCertificate() != RequestFacts.ClientCertificate.NONE;
  }

  @Override
  public boolean clientCertVerified() {
    return facts.clientCertificate() == RequestFacts.ClientCertificate.VERIFIED;
  }

  /** When the request is judged, read once from the engine's clock, so that every rule sees the same time. */
  @Override
  public long timestampMillis() {
    Rare r = rare();
    if (r.now < 0) {
      r.now = state.clock().millis();
    }
    return r.now;
  }

  /** The request's Ray ID, made on first use: by a rule that reads it, or by the decision that needs one. */
  @Override
  public String rayId() {
    Rare r = rare();
    if (r.rayId == null) {
      r.rayId = state.newRayId(policy.nodeId());
    }
    return r.rayId;
  }

  @Override
  public String place(Place detail) {
    Rare r = rare();
    if (!r.cityKnown) {
      r.city = policy.geo().city(client.address());
      r.cityKnown = true;
    }
    GeoLookup.City c = r.city;
    if (c == null) {
      return null;
    }
    return switch (detail) {
      case CITY -> c.city();
      case REGION -> c.region();
      case REGION_CODE -> c.regionCode();
      case SUBDIVISION_1_ISO_CODE -> c.subdivision1();
      case POSTAL_CODE -> c.postalCode();
      case LATITUDE -> c.latitude();
      case LONGITUDE -> c.longitude();
      case METRO_CODE -> c.metroCode();
    };
  }

  @Override
  public String verifiedBotCategory() {
    CrawlerVerifier.Status status = crawler();
    return status.isVerified() ? CrawlerVerifier.category(status.crawler()) : "";
  }

  @Override
  public int botScore() {
    Rare r = rare();
    if (r.botScore < 0) {
      r.botScore = (byte) BotScore.of(this, policy.bots().check());
    }
    return r.botScore;
  }

  @Override
  public byte[] body() {
    if (!facts.hasBody()) {
      return null;
    }
    Rare r = rare();
    if (r.body == null) {
      r.body = facts.body();
    }
    return r.body;
  }

  @Override
  public long bodySize() {
    return facts.bodySize();
  }

  @Override
  public boolean bodyTruncated() {
    return facts.bodyTruncated();
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
  public boolean hasHeader(String lowerCaseName) {
    return facts.hasHeaderLowerCase(lowerCaseName);
  }

  @Override
  public String headerNameLowerCase(int i) {
    return facts.headerNameLowerCase(i);
  }

  @Override
  public boolean verifiedBot() {
    return crawler().isVerified();
  }

  /** What is known about the request's crawler claim; never waits for DNS. */
  CrawlerVerifier.Status crawler() {
    if (crawler == null) {
      String ua = facts.userAgent();
      crawler = ua.isEmpty() ? CrawlerVerifier.Status.NOT_A_CRAWLER
          : policy.bots().verifier().status(ua, client.address());
    }
    return crawler;
  }

  /** Explain's notes, or {@code null} on the request path. */
  Trace trace() {
    Rare r = rare;
    return r == null ? null : r.trace;
  }

  /** Whether explain is listening; phases build their notes only then. */
  boolean tracing() {
    return trace() != null;
  }

  void note(Phase phase, String text) {
    Trace trace = trace();
    if (trace != null) {
      trace.note(phase, text);
    }
  }

  /** Records a phase's own outcome when explaining, where "no match" would mislead. */
  void outcome(Phase phase, String outcome) {
    Trace trace = trace();
    if (trace != null) {
      trace.outcome(phase, outcome);
    }
  }

  void skip(Phase phase) {
    skipped |= (short) (1 << phase.ordinal());
  }

  boolean skips(Phase phase) {
    return (skipped & (1 << phase.ordinal())) != 0;
  }

  /** Records a {@code log} match; evaluation goes on. */
  void log(LogMatch match) {
    Rare r = rare();
    if (r.logs == null) {
      r.logs = new ArrayList<>(2);
    }
    r.logs.add(match);
  }

  List<LogMatch> logs() {
    Rare r = rare;
    return r == null || r.logs == null ? List.of() : r.logs;
  }

  /** The client's AS, looked up once and only if asked. */
  GeoLookup.Asn asnInfo() {
    if (asn == null) {
      asn = policy.geo().asn(client.address());
    }
    return asn;
  }

  /** The client's country ({@code XX} unknown), looked up once and only if asked. */
  @Override
  public String country() {
    if (country == null) {
      // As the CDN does, an address on a Tor exit list is in the country (and continent) T1.
      country = state.feeds().isTorExit(client.address()) ? TOR : policy.geo().country(client.address());
    }
    return country;
  }

  /** The client's continent ({@code XX} unknown, {@code T1} for Tor). */
  @Override
  public String continent() {
    String c = country();
    return c.equals(TOR) ? TOR : GeoLookup.continentOf(c);
  }

  /** The country and continent of a Tor exit. */
  static final String TOR = "T1";

  /** The visitor's own behaviour score, part of the threat score, which this computes if it has not been. */
  int visitorThreat() {
    threatScore();
    return visitorScore;
  }

  /**
   * The client's threat score, 0..100: the highest score of the feeds listing its address, plus the
   * address's behaviour score (evidence spread over several visitors), plus the visitor's own behaviour
   * score, capped at 100. Computed once, when first asked.
   */
  @Override
  public int threatScore() {
    if (threatScore < 0) {
      FeedRegistry.Hit hit = state.feeds().lookup(client.address());
      if (hit != null) {
        rare().feedHit = hit;
      }
      int visitor = mayHaveEvidence()
          ? (int) Math.min(100, Math.round(state.behaviour().visitorPoints(visitor()))) : 0;
      int address = (int) Math.min(100, Math.round(state.behaviour().addressPoints(client.address())));
      visitorScore = (byte) visitor;
      addressScore = (byte) address;
      threatScore = (byte) Math.min(100, (hit == null ? 0 : hit.score()) + address + visitor);
    }
    return threatScore;
  }

  /**
   * Whether the visitor may have evidence against it, asked without reading its clearance cookie: its
   * identity by signature has none and no visitor known by a clearance has any, so whichever it is, its
   * score is 0. Most requests are answered here.
   */
  private boolean mayHaveEvidence() {
    BehaviourTracker b = state.behaviour();
    return b.tracksVisitors() && (b.hasClearanceEvidence() || b.mayHaveEvidence(unclearedVisitor()));
  }

  /** The threat score if it was computed, else 0: decisions report it only when it was cheap. */
  int knownThreatScore() {
    return threatScore < 0 ? 0 : threatScore;
  }

  /** The feeds listing the client, once the threat score is computed; {@code null} when none does. */
  FeedRegistry.Hit feedHit() {
    Rare r = rare;
    return r == null ? null : r.feedHit;
  }

  /** The visitor's own behaviour score, once the threat score is computed. */
  int visitorScore() {
    return visitorScore;
  }

  /** The address's behaviour score, once the threat score is computed. */
  int addressScore() {
    return addressScore;
  }

  /**
   * A hash of what a browser shows of itself that stays the same from request to request: the
   * User-Agent and {@code Accept-Language}. Tells apart the browsers behind one address.
   */
  int signature() {
    if (!signed) {
      signature = signature(facts);
      signed = true;
    }
    return signature;
  }

  private static int signature(RequestFacts facts) {
    // The Client Hints headers would add little: what they say, the User-Agent says too.
    return 31 * facts.userAgent().hashCode() + hashOf(facts.header("accept-language"));
  }

  private static int hashOf(String value) {
    return value == null ? 0 : value.hashCode();
  }

  /**
   * {@link #visitor()} as people and applications read it: 16 hexadecimal digits, zeros in front.
   */
  String visitorText() {
    return Engine.visitorText(visitor());
  }

  /**
   * Who the visitor is: the random id its clearance carries, or, before it has one, its address and
   * browser signature. Behaviour evidence is kept against this id.
   */
  long visitor() {
    // Not kept: the clearance is, and the rest is a few multiplications.
    Clearances.Clearance c = clearance();
    return c.check() == Clearances.Check.VALID ? c.visitorId() : unclearedVisitor();
  }

  /** Who the visitor is when it holds no valid clearance: its address and browser signature. */
  private long unclearedVisitor() {
    return mix(Clearances.addressKey(client.address()), signature());
  }

  /**
   * {@link #visitor()} for a request no evaluation is at hand for: what one would look up, looked up
   * once, without making one.
   */
  static long visitor(RequestFacts facts, ClientIp client, Clearances clearances, Engine.State state) {
    Clearances.Clearance c = checkClearance(facts, client, clearances, state);
    return c.check() == Clearances.Check.VALID ? c.visitorId()
        : mix(Clearances.addressKey(client.address()), signature(facts));
  }

  /** The visitor id for an address and a signature, its bits well spread (SplitMix64's finaliser). */
  static long mix(long addressKey, int signature) {
    long z = addressKey * 0x9E3779B97F4A7C15L + signature;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Whether the visitor holds a valid clearance, not revoked, which satisfies challenges. Checked once. */
  boolean cleared() {
    Clearances.Clearance c = clearance();
    return c.check() == Clearances.Check.VALID && !state.challenges().isRevoked(c.visitorId());
  }

  /** Whether the visitor holds a clearance that was valid but is revoked by its own later evidence. */
  boolean clearanceRevoked() {
    Clearances.Clearance c = clearance();
    return c.check() == Clearances.Check.VALID && state.challenges().isRevoked(c.visitorId());
  }

  /** The visitor's clearance cookie, checked. */
  Clearances.Clearance clearance() {
    if (clearance == null) {
      clearance = checkClearance(facts, client, clearances, state);
    }
    return clearance;
  }

  private static Clearances.Clearance checkClearance(RequestFacts facts, ClientIp client, Clearances clearances,
      Engine.State state) {
    String cookie = facts.cookie(Clearances.COOKIE);
    // Most requests carry none; the binding's User-Agent hash (a SHA-256) is worth computing only for one.
    return cookie == null || cookie.isEmpty() ? Clearances.Clearance.ABSENT
        : clearances.checkClearance(cookie, state.clock().instant(),
            Clearances.addressKey(client.address()), Clearances.agentHash(facts.userAgent()));
  }

  /**
   * Whether a clearance cookie was checked, the one costly step in telling who the visitor is; without
   * one, who it is costs a few multiplications to work out again.
   */
  boolean checkedClearanceCookie() {
    return clearance != null && clearance != Clearances.Clearance.ABSENT;
  }

  /** Whether the clearance was looked at and found forged, tampered with or someone else's. */
  boolean clearanceRejected() {
    return clearance != null && clearance.check() == Clearances.Check.INVALID;
  }

  /** Whether the client address is shared: configured (carrier-grade NAT included) or detected from traffic. */
  boolean shared() {
    if (shared < 0) {
      shared = (byte) (policy.reputation().isShared(client.address()) ? 1
          : state.shared().isShared(client.address()) ? 2 : 0);
    }
    return shared > 0;
  }

  /** {@code configured}, {@code detected}, or the empty string for an address not known to be shared. */
  String sharedHow() {
    return !shared() ? "" : shared == 1 ? "configured" : "detected";
  }

  /** Records this visitor's signature against its address, for shared-address detection. */
  void observeVisitor() {
    if (client.address() != null && state.shared().observe(client.address(), signature())) {
      shared = (byte) (policy.reputation().isShared(client.address()) ? 1 : 2);
      ClusterLink cluster = state.cluster();
      if (cluster != null && shared == 2) {
        cluster.shared(client.address());
      }
    }
  }

  /** Whether geo data exists: then events carry AS and country even if no rule asked. */
  boolean hasGeo() {
    GeoLookup g = policy.geo();
    return g.hasAsn() || g.hasCountry();
  }
}
