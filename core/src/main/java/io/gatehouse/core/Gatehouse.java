package io.gatehouse.core;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.challenge.ChallengeState;
import io.gatehouse.core.challenge.Clearances;
import io.gatehouse.core.challenge.ReturnPaths;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.geo.AsnInfo;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.AccessRulesFile;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The engine: judges each request against the current policy and records what it did.
 *
 * <pre>{@code
 * Gatehouse gatehouse = Gatehouse.fromProperties(Path.of("/etc/gatehouse/gatehouse.properties"));
 * Decision decision = gatehouse.decide(facts);
 * if (decision.refuses()) { ... render decision.errorCode() with decision.rayId() ... }
 * }</pre>
 *
 * <p>{@link #decide} never blocks on I/O and never throws: an internal failure is recorded as an event
 * and answered as {@code gatehouse.on-error} says. The policy is immutable; {@link #reload()} compiles
 * a new one and swaps it in atomically, or keeps the running one if the new configuration has problems.
 *
 * <p>Thread-safe.
 */
public final class Gatehouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
  /** Security events are written here as key-values, one line per event. */
  private static final Logger EVENTS = LoggerFactory.getLogger("gatehouse.events");
  private static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;

  /** The cookie that carries a visitor's clearance. */
  public static final String CLEARANCE_COOKIE = "gatehouse_clearance";

  private final ConfigSource source;
  private final Map<String, String> environment;
  private final Clock clock;
  private final AtomicReference<Policy> policy;
  private final EventLog events;
  private final RayIds rayIds = new RayIds();
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);
  private final AtomicLong failures = new AtomicLong();
  private final FileCache fileCache;
  private final Services services;
  private volatile List<FileStamp> stampsOfLastLoad;
  private volatile ReloadResult lastReload;
  private final ConfigWatcher watcher;

  private Gatehouse(Builder b, Policy initial, FileCache fileCache, List<FileStamp> stamps, Services services) {
    this.services = services;
    this.source = b.source;
    this.environment = b.environment;
    this.clock = b.clock;
    this.policy = new AtomicReference<>(initial);
    this.events = new EventLog(initial.eventsCapacity());
    this.fileCache = fileCache;
    apply(initial);
    this.stampsOfLastLoad = stamps;
    this.watcher = b.watch && initial.reloadInterval() != null && !stamps.isEmpty() ? new ConfigWatcher(this) : null;
  }

  /** An engine configured by the properties file at {@code path}. */
  public static Gatehouse fromProperties(Path path) throws ConfigException {
    return builder().config(ConfigSource.file(path)).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every configuration key pattern the engine understands, such as {@code gatehouse.access-rule.ID}. */
  public static List<String> configurationKeys() {
    return PolicyCompiler.KEYS.patterns();
  }

  /** Judges one request. Never throws and never blocks on I/O. */
  public Decision decide(RequestFacts facts) {
    Policy p = policy.get();
    try {
      return evaluate(p, facts);
    } catch (RuntimeException | StackOverflowError e) {
      return failed(p, facts, e);
    }
  }

  /** Runs the phases; the first verdict that is not a satisfied challenge ends the run. */
  private static Verdict run(Policy p, Evaluation ev) {
    for (Stage stage : p.stages()) {
      Phase phase = stage.phase();
      if (ev.skips(phase)) {
        if (ev.trace != null) {
          ev.trace.outcome(phase, "skipped");
        }
        continue;
      }
      Verdict verdict = stage.evaluate(ev);
      if (verdict != null && verdict.action() == Action.CHALLENGE && ev.cleared()) {
        // A clearance satisfies a challenge (never a block): the request goes on to the next phase.
        if (ev.trace != null) {
          ev.trace.outcome(phase, "challenge (cleared)");
        }
        continue;
      }
      if (ev.trace != null) {
        if (verdict == null) {
          ev.trace.defaultOutcome(phase, "no match");
        } else {
          ev.trace.outcome(phase, verdict.action().id());
        }
      }
      if (verdict != null) {
        if (verdict.action() == Action.ALLOW && ev.trace != null) {
          for (Stage rest : p.stages()) {
            if (rest.phase().ordinal() > phase.ordinal()) {
              ev.trace.outcome(rest.phase(), "skipped");
              ev.trace.note(rest.phase(), "skipped: rule '" + verdict.ruleId() + "' allowed the request");
            }
          }
        }
        return verdict;
      }
    }
    return ev.allowedBy;
  }

  /**
   * Explains how a request would be decided, phase by phase, without recording an event or changing any
   * state. The request is described with {@link RequestFacts}, so any visitor can be played. Never throws.
   */
  public Explanation explain(RequestFacts facts) {
    Policy p = policy.get();
    Evaluation ev = new Evaluation(facts, p, services, p.clientIpResolver().resolve(facts));
    ev.trace = new Trace();
    for (Phase phase : Phase.values()) {
      if (!p.phases().contains(phase)) {
        ev.trace.outcome(phase, "not configured");
      }
    }
    Decision d;
    try {
      Verdict v = run(p, ev);
      boolean refuses = v != null && v.action() != Action.ALLOW;
      d = v == null ? new Decision(Action.ALLOW, true, Source.NONE, null, null, 0, null, null, ev.client, 0)
          : new Decision(v.action(), refuses ? ev.mode == Mode.ENFORCE : true, v.source(), v.ruleId(),
              v.description(), refuses ? v.errorCode() : 0, null, null, ev.client, 0);
    } catch (RuntimeException | StackOverflowError e) {
      ev.trace.note(Phase.CONFIGURATION_RULES, "internal error: " + e);
      d = new Decision(p.failMode() == FailMode.BLOCK ? Action.BLOCK : Action.ALLOW, true, Source.INTERNAL_ERROR, "",
          "internal error", 0, null, null, ev.client, 0);
    }
    int score = ev.threatScore();
    List<String> sources = new java.util.ArrayList<>();
    if (ev.feedHit() != null) {
      ev.feedHit().listings().forEach(l -> sources.add("feed " + l.feed() + ": " + l.score()));
    }
    if (ev.behaviourScore() > 0) {
      sources.add("behaviour: " + ev.behaviourScore());
    }
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("mode", ev.mode.name().toLowerCase(java.util.Locale.ROOT));
    settings.put("security_level", ev.securityLevel.id());
    settings.put("security_level_action", ev.securityLevelAction.id());
    settings.put("browser_integrity_check", ev.browserIntegrityCheck ? "on" : "off");
    settings.put("clearance", ev.clearance().name().toLowerCase(java.util.Locale.ROOT));
    AsnInfo asn = ev.asnInfo();
    Decision scored = new Decision(d.action(), d.enforced(), d.source(), d.ruleId(), d.description(), d.errorCode(),
        null, null, d.client(), score);
    return new Explanation(scored, ev.client.addressText(), ev.client.peerText(), ev.client.derivation().id(),
        asn.number(), asn.organization(), ev.country(), ev.continent(), score, List.copyOf(sources), ev.shared(),
        settings, ev.trace.phases());
  }

  private Decision evaluate(Policy p, RequestFacts facts) {
    Evaluation ev = new Evaluation(facts, p, services, p.clientIpResolver().resolve(facts));
    Verdict verdict = run(p, ev);
    List<Verdict> logs = ev.logs();
    if (ev.clearanceRejected()) {
      logs = new java.util.ArrayList<>(logs);
      logs.add(new Verdict(Action.CHALLENGE, Source.CHALLENGE, "clearance",
          "clearance cookie rejected: forged, tampered with, or from another address or browser", 0));
    }
    boolean mitigates = verdict != null && verdict.action() != Action.ALLOW;
    int score = ev.threatScoreKnown() ? ev.threatScore() : 0;
    if (!mitigates && logs.isEmpty()) {
      return verdict == null
          ? new Decision(Action.ALLOW, true, Source.NONE, null, null, 0, null, null, ev.client, score)
          : new Decision(Action.ALLOW, true, verdict.source(), verdict.ruleId(), verdict.description(), 0, null, null,
              ev.client, score);
    }
    String rayId = rayIds.next(p.nodeId());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    boolean enforced = ev.mode == Mode.ENFORCE;
    for (Verdict log : logs) {
      if (log.source() == Source.CHALLENGE) {
        record(event(ev, log, "challenge_failed", rayId, now, enforced));
        services.behaviour().add(ev.client.address(), p.reputation().pointsFor(Source.CHALLENGE));
      } else {
        record(event(ev, log, "log", rayId, now, enforced));
      }
    }
    if (!mitigates) {
      return new Decision(Action.ALLOW, true, verdict == null ? Source.NONE : verdict.source(),
          verdict == null ? null : verdict.ruleId(), verdict == null ? null : verdict.description(), 0, rayId, now,
          ev.client, ev.threatScoreKnown() ? ev.threatScore() : score);
    }
    record(event(ev, verdict, verdict.action().id(), rayId, now, enforced));
    if (enforced && verdict.action() == Action.BLOCK) {
      // Being blocked is itself a mark against the address; challenges are not, or a shared address
      // would be pushed from challenge to block by its own good visitors.
      services.behaviour().add(ev.client.address(), p.reputation().pointsFor(verdict.source()));
    }
    return new Decision(verdict.action(), enforced, verdict.source(), verdict.ruleId(), verdict.description(),
        verdict.errorCode(), rayId, now, ev.client, ev.threatScore());
  }

  private Decision failed(Policy p, RequestFacts facts, Throwable failure) {
    long count = failures.incrementAndGet();
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if (now - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
      LOG.error("internal failure judging {} ({} so far); applying on-error={}", facts, count,
          p.failMode().name().toLowerCase(java.util.Locale.ROOT), failure);
    }
    boolean block = p.failMode() == FailMode.BLOCK;
    Action action = block ? Action.BLOCK : Action.ALLOW;
    ClientIp client = ClientIp.ofPeer(facts.peer());
    String rayId = rayIds.next(p.nodeId());
    Instant time = Instant.EPOCH;
    try {
      time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Evaluation ev = new Evaluation(facts, p, services, client);
      Verdict verdict = new Verdict(action, Source.INTERNAL_ERROR, "",
          "internal error (" + failure.getClass().getSimpleName() + "); on-error=" + action.id(),
          block ? ErrorCodes.ACCESS_DENIED : 0);
      record(event(ev, verdict, action.id(), rayId, time, p.mode() == Mode.ENFORCE));
    } catch (RuntimeException | StackOverflowError e) {
      // Recording failed too; the decision below still stands.
    }
    return new Decision(action, block ? p.mode() == Mode.ENFORCE : true, Source.INTERNAL_ERROR, "",
        "internal error", block ? ErrorCodes.ACCESS_DENIED : 0, rayId, time, client, 0);
  }

  private SecurityEvent event(Evaluation ev, Verdict v, String action, String rayId, Instant time, boolean enforced) {
    RequestFacts f = ev.facts;
    boolean geo = ev.hasGeo();
    AsnInfo asn = geo ? ev.asnInfo() : AsnInfo.UNKNOWN;
    return new SecurityEvent(rayId, time, action, v.source().id(), v.ruleId(), v.description(), v.errorCode(),
        ev.client.addressText(), ev.client.peerText(), ev.client.derivation().id(), asn.number(),
        asn.organization(), geo ? ev.country() : GeoLookup.UNKNOWN, f.method(), f.host(), f.path(), f.query(),
        f.userAgent(), ev.threatScore(), ev.shared(), enforced);
  }

  private void record(SecurityEvent e) {
    events.append(e);
    if (EVENTS.isInfoEnabled()) {
      LoggingEventBuilder b = EVENTS.atInfo();
      for (Map.Entry<String, Object> kv : e.toMap().entrySet()) {
        b = b.addKeyValue(kv.getKey(), kv.getValue());
      }
      b.log("{} {}", e.action(), e.source());
    }
  }

  /**
   * Tells the engine what the application answered to an allowed request. Many 403 and 404 answers on
   * distinct paths in a short time are what a scanner walking a list of paths produces: they raise the
   * address's behaviour score, and the detection is recorded as a {@code log} event. Cheap for any other
   * status. Never throws.
   */
  public void observeResponse(Decision decision, RequestFacts facts, int status) {
    if (status != 403 && status != 404) {
      return;
    }
    try {
      Policy p = policy.get();
      ReputationSettings r = p.reputation();
      IpAddress ip = decision.client().address();
      if (ip == null || r.probingPoints() == 0
          || !services.behaviour().probed(ip, facts.path(), r.probePaths(), r.probeWindow())) {
        return;
      }
      services.behaviour().add(ip, r.probingPoints());
      Evaluation ev = new Evaluation(facts, p, services, decision.client());
      Verdict v = new Verdict(Action.ALLOW, Source.SECURITY_LEVEL, "probing", r.probePaths()
          + " distinct paths answered 403 or 404 within " + r.probeWindow().toSeconds() + " s; +" + r.probingPoints()
          + " behaviour points", 0);
      record(event(ev, v, "log", rayIds.next(p.nodeId()), clock.instant().truncatedTo(ChronoUnit.MILLIS), true));
    } catch (RuntimeException e) {
      LOG.warn("recording a response failed", e);
    }
  }

  /**
   * The challenge for a request that was decided {@link Action#CHALLENGE}: a signed token bound to this
   * visitor (address and User-Agent) that carries the path to return to.
   */
  public Challenge issueChallenge(Decision decision, RequestFacts facts) {
    Policy p = policy.get();
    ChallengeSettings c = p.challenge();
    String token = c.clearances().issueToken(clock.instant(), c.difficulty(), services.challenges().nonce(),
        Clearances.addressKey(decision.client().address()), Clearances.agentHash(facts.userAgent()),
        decision.rayId() == null ? "" : decision.rayId(), ReturnPaths.sanitize(facts.uri()));
    return new Challenge(token, c.difficulty(), c.path(), decision.rayId());
  }

  /** The path challenge solutions are posted to. */
  public String challengePath() {
    return policy.get().challenge().path();
  }

  /**
   * Checks a posted challenge solution. The token must carry a good signature, be recent, unredeemed and
   * issued to this visitor, and the counter must solve it. Solved: a clearance cookie and the way back to
   * where the visitor was going; an event {@code challenge_solved} names both Ray IDs. Refused: an event
   * {@code challenge_failed} says why, and the visitor is sent back to be challenged afresh. Never throws.
   */
  public ChallengeVerdict verifyChallenge(RequestFacts facts, String token, String counter, long solveMillis) {
    Policy p = policy.get();
    ChallengeSettings c = p.challenge();
    ClientIp client = p.clientIpResolver().resolve(facts);
    String rayId = rayIds.next(p.nodeId());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Clearances.Token t = c.clearances().readToken(token);
    String reason = null;
    long address = Clearances.addressKey(client.address());
    long agent = Clearances.agentHash(facts.userAgent());
    if (t == null) {
      reason = "the token is malformed or its signature is wrong";
    } else if (now.isAfter(t.issuedAt().plus(ChallengeState.TOKEN_LIFETIME)) || t.issuedAt().isAfter(now.plusSeconds(60))) {
      reason = "the token has expired";
    } else if (t.addressKey() != address) {
      reason = "the token was issued to another address";
    } else if (t.agentHash() != agent) {
      reason = "the token was issued to another browser (User-Agent)";
    } else if (!Clearances.solves(token, counter, t.difficulty())) {
      reason = "the proof of work does not solve the token";
    } else if (!services.challenges().redeem(t.nonce())) {
      reason = "the token was already redeemed";
    }
    Evaluation ev = new Evaluation(facts, p, services, client);
    String back = t == null ? "/" : ReturnPaths.sanitize(t.returnPath());
    if (reason != null) {
      record(event(ev, new Verdict(Action.CHALLENGE, Source.CHALLENGE, "challenge", reason, 0), "challenge_failed",
          rayId, now, true));
      services.behaviour().add(client.address(), p.reputation().pointsFor(Source.CHALLENGE));
      return new ChallengeVerdict(false, back, null, c.ttl(), rayId, reason);
    }
    String clearance = c.clearances().mintClearance(now, c.ttl(), address, agent);
    String solved = "solved the challenge issued with Ray ID " + t.issuingRayId() + " (difficulty " + t.difficulty()
        + (solveMillis > 0 ? ", " + solveMillis + " ms in the browser" : "") + ")";
    record(event(ev, new Verdict(Action.ALLOW, Source.CHALLENGE, t.issuingRayId(), solved, 0), "challenge_solved",
        rayId, now, true));
    return new ChallengeVerdict(true, back, clearance, c.ttl(), rayId, null);
  }

  /**
   * Adds an access rule to the managed rules file ({@code gatehouse.access-rules.file}) and applies it.
   * The file is written atomically and the configuration reloaded; if the configuration would not load
   * with the rule, the file is put back as it was and the problems are returned. Thread-safe; changes are
   * serialised.
   *
   * @param id the rule's id, or {@code null} to have one made
   */
  public synchronized RuleChange addAccessRule(String id, String action, String target, String value, String notes) {
    Policy p = policy.get();
    Path file = p.accessRulesFile();
    if (file == null) {
      return RuleChange.refused(409, "no managed rules file: set gatehouse.access-rules.file");
    }
    String ruleId = id == null || id.isBlank() ? "r-" + rayIds.next("").substring(0, 12) : id.trim();
    if (!io.gatehouse.core.config.KeyRegistry.isName(ruleId)) {
      return RuleChange.refused(400, "'" + ruleId + "' is not a valid id (1 to 64 letters, digits, '-' and '_')");
    }
    AccessRule rule;
    try {
      rule = AccessRule.of(ruleId, AccessRule.parseAction(action == null ? "" : action), target == null ? "" : target,
          value == null ? "" : value, notes == null ? "" : notes, file.toString());
    } catch (IllegalArgumentException e) {
      return RuleChange.refused(400, e.getMessage());
    }
    if (p.accessRules().rules().stream().anyMatch(r -> r.id().equals(ruleId))) {
      return RuleChange.refused(409, "access rule id '" + ruleId + "' is already used");
    }
    RuleChange change = rewrite(file, rules -> rules.add(rule), 201, rule);
    if (change.ok()) {
      LOG.info("access rule '{}' added: {}", ruleId, rule.text());
    }
    return change;
  }

  /** Removes an access rule that lives in the managed rules file, and applies the change. */
  public synchronized RuleChange removeAccessRule(String id) {
    Policy p = policy.get();
    AccessRule existing = p.accessRules().rules().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    if (existing == null) {
      return RuleChange.refused(404, "no access rule '" + id + "'");
    }
    Path file = p.accessRulesFile();
    if (file == null || !existing.origin().startsWith(file + ":")) {
      return RuleChange.refused(409, "access rule '" + id + "' is defined at " + existing.origin()
          + "; remove it there");
    }
    RuleChange change = rewrite(file, rules -> rules.removeIf(r -> r.id().equals(id)), 200, existing);
    if (change.ok()) {
      LOG.info("access rule '{}' removed: {}", id, existing.text());
    }
    return change;
  }

  private RuleChange rewrite(Path file, java.util.function.Consumer<List<AccessRule>> edit, int status, AccessRule rule) {
    io.gatehouse.core.config.ConfigProblems problems = new io.gatehouse.core.config.ConfigProblems();
    List<AccessRule> rules = new java.util.ArrayList<>(AccessRulesFile.read(file, file.toString(), problems));
    if (!problems.isEmpty()) {
      return new RuleChange(409, null, "the managed rules file has problems; fix it first", problems.list());
    }
    byte[] before;
    try {
      before = java.nio.file.Files.exists(file) ? java.nio.file.Files.readAllBytes(file) : null;
      edit.accept(rules);
      AccessRulesFile.write(file, rules);
    } catch (java.io.IOException e) {
      return RuleChange.refused(500, "cannot write " + file + ": " + e.getMessage());
    }
    ReloadResult result = reload();
    if (result.applied()) {
      return RuleChange.done(status, rule);
    }
    try {
      if (before == null) {
        java.nio.file.Files.deleteIfExists(file);
      } else {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile(file.toAbsolutePath().getParent(), ".restore", ".tmp");
        java.nio.file.Files.write(tmp, before);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      reload();
    } catch (java.io.IOException e) {
      LOG.error("could not restore {} after a rejected change", file, e);
    }
    return new RuleChange(422, null, "the configuration would not load with this change", result.problems());
  }

  /** A fresh Ray ID, for responses Gatehouse renders outside a decision (the admin endpoints). */
  public String newRayId() {
    return rayIds.next(policy.get().nodeId());
  }

  /** The version of Gatehouse, from the jar's manifest ({@code development} when run from classes). */
  public static String version() {
    String v = Gatehouse.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** The reputation feeds' current status. */
  public List<io.gatehouse.core.reputation.FeedStatus> feedStatus() {
    return services.feeds().status();
  }

  /** Refreshes every reputation feed now, in the calling thread. */
  public void refreshFeeds() {
    services.feeds().refreshAll();
  }

  /** Addresses whose behaviour is tracked now (an estimate). */
  public long trackedAddresses() {
    return services.behaviour().size();
  }

  /** Starts what a newly installed policy needs: its feeds and behaviour settings. */
  private void apply(Policy p) {
    services.feeds().commit(p.preparedFeeds());
    services.verifiers().commit(p.bots());
    services.behaviour().configure(p.reputation().maxTracked(), p.reputation().halfLife());
  }

  /**
   * Reads the configuration again and, if it has no problems, swaps it in. With problems, the running
   * policy stays and every problem is returned and logged.
   */
  public synchronized ReloadResult reload() {
    Instant at = clock.instant();
    PolicyCompiler compiler = new PolicyCompiler(source, environment, clock, fileCache, services);
    try {
      Policy fresh = compiler.compile();
      policy.set(fresh);
      apply(fresh);
      events.resize(fresh.eventsCapacity());
      lastReload = new ReloadResult(true, List.of(), at);
      return lastReload;
    } catch (ConfigException e) {
      LOG.warn("reload of {} rejected; the running configuration stays. {}", source.name(), e.getMessage());
      lastReload = new ReloadResult(false, e.problems(), at);
      return lastReload;
    } finally {
      stampsOfLastLoad = compiler.stamps();
    }
  }

  /** The outcome of the last reload, or {@code null} when there was none since start. */
  public ReloadResult lastReload() {
    return lastReload;
  }

  /** The files the last load or reload read, as they were then; the watcher compares against these. */
  List<FileStamp> stampsOfLastLoad() {
    return stampsOfLastLoad;
  }

  /** The policy deciding requests now. */
  public Policy policy() {
    return policy.get();
  }

  /** The recent security events. */
  public EventLog events() {
    return events;
  }

  /** The clock decisions are timed by. */
  public Clock clock() {
    return clock;
  }

  /** The number of internal failures since start. */
  public long internalFailures() {
    return failures.get();
  }

  /** Stops the background work (the configuration watch). Decisions still work afterwards. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    services.feeds().close();
    services.verifiers().close();
  }

  /** Package-private: swaps in a policy built by a test. */
  void install(Policy p) {
    policy.set(p);
  }

  /** Builds a {@link Gatehouse}. Not thread-safe. */
  public static final class Builder {
    private ConfigSource source;
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();
    private boolean watch = true;
    private Executor behaviourExecutor = ForkJoinPool.commonPool();
    private io.gatehouse.core.bot.DnsResolver dnsResolver;

    /** The DNS resolver crawler verification uses; the system's (over JNDI) by default. */
    public Builder dnsResolver(io.gatehouse.core.bot.DnsResolver resolver) {
      this.dnsResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    private Builder() {}

    /** Where the behaviour tracker's evictions run; the caller's thread ({@code Runnable::run}) in tests. */
    Builder behaviourExecutor(Executor executor) {
      this.behaviourExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Whether to reload when configuration files change ({@code gatehouse.reload.interval}); on by
     * default. Tests and tools that load a configuration once turn it off.
     */
    public Builder watchFiles(boolean watch) {
      this.watch = watch;
      return this;
    }

    /** Where the configuration comes from (required). */
    public Builder config(ConfigSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The variables {@code ${NAME}} reads; the process environment by default. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The clock for event times and expiries; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Compiles the configuration and starts the engine.
     *
     * @throws ConfigException listing every problem in the configuration
     */
    public Gatehouse build() throws ConfigException {
      if (source == null) {
        throw new IllegalStateException("no configuration source; call config(...) first");
      }
      FileCache cache = new FileCache();
      Clock c = clock;
      Ticker ticker = () -> c.millis() * 1_000_000L;
      Services services = new Services(clock, new FeedRegistry(clock),
          new BehaviourTracker(1_000_000, Duration.ofHours(1), ticker, behaviourExecutor), new ChallengeState(ticker),
          new Verifiers(System::nanoTime, dnsResolver));
      PolicyCompiler compiler = new PolicyCompiler(source, environment, clock, cache, services);
      Policy initial;
      try {
        initial = compiler.compile();
      } catch (ConfigException e) {
        services.feeds().close();
        services.verifiers().close();
        throw e;
      }
      return new Gatehouse(this, initial, cache, compiler.stamps(), services);
    }
  }
}
