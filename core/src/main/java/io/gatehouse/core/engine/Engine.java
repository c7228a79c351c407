package io.gatehouse.core.engine;

import io.gatehouse.core.Action;
import io.gatehouse.core.Challenge;
import io.gatehouse.core.ClientIp;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.FailMode;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Phase;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.Source;
import io.gatehouse.core.Status;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.policy.LivePolicy;
import io.gatehouse.core.policy.Policy.AdminSettings;
import io.gatehouse.core.policy.Policy.ReputationSettings;
import io.gatehouse.core.policy.Policy;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SharedAddresses;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path for one policy: resolves the client, runs the {@link Pipeline}, records what it did,
 * and answers the challenge. Made once per policy, when it is put in force; the state it writes to
 * (behaviour, events) outlives it in {@link State}.
 *
 * <p>{@link #decide} never blocks on I/O and never throws: an internal failure is recorded as an event
 * that names the phase, and answered as {@code gatehouse.on-error} says. Immutable and thread-safe.
 */
public final class Engine {

  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;
  /**
   * How a Security Level refusal's description says that the visitor's own evidence decided it, and not
   * its address or a feed, so that a page can tell the visitor it is not their network's fault.
   */
  public static final String DECIDED_BY_VISITOR = "decided by the visitor's score";

  private final Policy policy;
  private final State state;
  private final Pipeline pipeline;
  private final RateLimitStage rateLimits;
  private final Evidence evidence;
  private final ChallengeService challenges;

  private Engine(Policy policy, State state, Pipeline pipeline) {
    this.policy = policy;
    this.state = state;
    this.pipeline = pipeline;
    this.rateLimits = pipeline.rateLimits();
    this.evidence = new Evidence(policy, state);
    this.challenges = new ChallengeService(evidence, policy, state);
  }

  /** The engine that judges requests by {@code policy}. */
  public static Engine of(Policy policy, State state) {
    return new Engine(policy, state, Pipeline.of(policy, state));
  }

  /** An engine over a pipeline of its own, for tests of the run loop. */
  static Engine of(Policy policy, State state, Pipeline pipeline) {
    return new Engine(policy, state, pipeline);
  }

  /** The policy this engine judges by. */
  public Policy policy() {
    return policy;
  }

  /** Judges one request. Never throws and never blocks on I/O. */
  public Decision decide(RequestFacts facts) {
    try {
      return evaluate(facts);
    } catch (StageFailure f) {
      return failed(facts, f.phase(), f.getCause());
    } catch (RuntimeException | StackOverflowError e) {
      return failed(facts, null, e);
    }
  }

  private Decision evaluate(RequestFacts facts) {
    Evaluation ev = start(facts, null);
    ev.observeVisitor();
    Decision decision = decision(ev);
    // Who the visitor is goes with the decision when finding out took checking a clearance cookie, so that
    // visitorId need not check it again; otherwise it is cheap to work out again, if anyone asks.
    return ev.checkedClearanceCookie() ? decision.withVisitorId(ev.visitor()) : decision;
  }

  private Decision decision(Evaluation ev) {
    RequestFacts facts = ev.facts;
    Verdict verdict = pipeline.run(ev);
    List<LogMatch> logs = ev.logs();
    boolean mitigates = verdict != null && verdict.refuses();
    if (!mitigates && logs.isEmpty() && !ev.clearanceRejected()) {
      return verdict == null ? Decision.allow(ev.client, ev.knownThreatScore())
          : verdict.decision(true, null, null, ev.client, ev.knownThreatScore());
    }
    String rayId = ev.rayId();
    Instant now = now();
    boolean enforced = ev.mode() == Mode.ENFORCE;
    EventRecorder recorder = state.recorder();
    for (LogMatch log : logs) {
      recorder.record(ev, SecurityEvent.Kind.LOG, log.source(), log.ruleId(), log.description(), 0, rayId, now,
          enforced);
    }
    if (ev.clearanceRejected()) {
      recorder.record(ev, SecurityEvent.Kind.CHALLENGE_FAILED, Source.CHALLENGE, "clearance",
          "clearance cookie rejected: forged, tampered with, or from another address or browser", 0, rayId, now,
          enforced);
      // Once per cookie, and against the visitor alone: a forged cookie says nothing of the neighbours.
      if (state.challenges().firstFailure(Clearances.hash(facts.cookie(Clearances.COOKIE)))) {
        evidence(ev, Source.CHALLENGE, false);
      }
    }
    if (!mitigates) {
      // Recording computed the threat score, if nothing before it had.
      int score = ev.knownThreatScore();
      return verdict == null
          ? new Decision(Action.ALLOW, true, Source.NONE, null, null, 0, rayId, now, ev.client, score, 0)
          : verdict.decision(true, rayId, now, ev.client, score);
    }
    recorder.record(ev, verdict.action() == Action.BLOCK ? SecurityEvent.Kind.BLOCK : SecurityEvent.Kind.CHALLENGE,
        verdict.source(), verdict.ruleId(), verdict.description(), verdict.errorCode(), rayId, now, enforced);
    if (enforced && verdict.action() == Action.BLOCK) {
      // A rule match or an integrity failure is evidence against the visitor (a source's points say how
      // much; being refused by the Security Level is worth none, as it is no evidence of its own).
      evidence(ev, verdict.source(), true);
    }
    return verdict.decision(enforced, rayId, now, ev.client, ev.threatScore());
  }

  private Decision failed(RequestFacts facts, Phase phase, Throwable failure) {
    String onError = policy.failMode().name().toLowerCase(Locale.ROOT);
    String where = phase == null ? "internal error (" : "internal error in " + phase.id() + " (";
    if (state.failed()) {
      LOG.error("{}{}) judging {} ({} so far); applying on-error={}", where, failure.getClass().getSimpleName(), facts,
          state.internalFailures(), onError, failure);
    }
    ClientIp client = ClientIp.ofPeer(facts.peer());
    String rayId = state.newRayId(policy.nodeId());
    String description = where + failure.getClass().getSimpleName() + "); on-error=" + onError;
    Instant time = Instant.EPOCH;
    try {
      time = now();
      boolean block = policy.failMode() == FailMode.BLOCK;
      state.recorder().record(evaluation(facts, client, null), block ? SecurityEvent.Kind.BLOCK
          : SecurityEvent.Kind.ALLOW, Source.INTERNAL_ERROR, "", description,
          block ? Decision.ACCESS_DENIED : 0, rayId, time, policy.mode() == Mode.ENFORCE);
    } catch (RuntimeException | StackOverflowError e) {
      // Recording failed too; the decision below still stands.
    }
    return Decision.internalError(policy.failMode(), policy.mode(), "internal error", rayId, time, client);
  }

  /**
   * Explains how a request would be decided, phase by phase, without recording an event or changing any
   * state. Never throws.
   */
  public Explanation explain(RequestFacts facts) {
    return Explainer.explain(pipeline, start(facts, new Trace()), policy);
  }

  /**
   * Tells the engine what the application answered to an allowed request. Many 403 and 404 answers on
   * distinct paths in a short time are what a scanner walking a list of paths produces: they raise the
   * address's behaviour score, and the detection is recorded as a {@code log} event. Rate limiting rules
   * that count responses (a counting expression on {@code http.response.code}, or a score header read
   * through {@code responseHeader}) count it. Cheap for any other status. Never throws.
   */
  public void observeResponse(Decision decision, RequestFacts facts, int status,
      UnaryOperator<String> responseHeader) {
    if (rateLimits != null && rateLimits.countsResponses()) {
      try {
        Evaluation ev = evaluation(facts, decision.client(), null);
        ev.responded(status);
        rateLimits.observe(ev, responseHeader);
      } catch (RuntimeException e) {
        LOG.warn("counting a response for rate limiting failed", e);
      }
    }
    if (status != 403 && status != 404) {
      return;
    }
    try {
      ReputationSettings r = policy.reputation();
      int points = r.pointsFor(Source.PROBING);
      if (decision.client().address() == null || points == 0) {
        return;
      }
      Evaluation ev = evaluation(facts, decision.client(), null);
      if (!state.behaviour().probed(ev.visitor(), facts.path(), r.probePaths(), r.probeWindow())) {
        return;
      }
      evidence(ev, Source.PROBING, true);
      state.recorder().record(ev, SecurityEvent.Kind.LOG, Source.PROBING, "probing", r.probePaths()
          + " distinct paths answered 403 or 404 within " + r.probeWindow().toSeconds() + " s; +" + points
          + " behaviour points for this visitor", 0, state.newRayId(policy.nodeId()), now(), true);
    } catch (RuntimeException e) {
      LOG.warn("recording a response failed", e);
    }
  }

  /**
   * The challenge for a request that was decided {@link Action#CHALLENGE}: a signed token bound to this
   * visitor (address and User-Agent) that carries the path to return to.
   */
  public Challenge issueChallenge(Decision decision, RequestFacts facts) {
    return challenges.issue(decision, facts);
  }

  /**
   * Checks a posted challenge solution; see {@link ChallengeService#verify}. Never throws.
   */
  public Challenge.Verdict verifyChallenge(RequestFacts facts, String token, String counter, long solveMillis) {
    return challenges.verify(facts, token, counter, solveMillis);
  }

  /**
   * Who the visitor of {@code facts} is, as behaviour evidence is kept against it: the random id of its
   * valid clearance, or, before it has one, a hash of its address and browser signature; 16 hexadecimal
   * digits. Checks the clearance cookie, if there is one: ask a decision first
   * ({@code Gatehouse.visitorId}), which knows the answer when deciding checked it.
   */
  public String visitorId(RequestFacts facts, ClientIp client) {
    return visitorText(Evaluation.visitor(facts, client, challenges.clearances(), state));
  }

  /** A visitor id as people and applications read it: 16 hexadecimal digits, zeros in front. */
  public static String visitorText(long visitorId) {
    return HexFormat.of().toHexDigits(visitorId);
  }

  Evaluation evaluation(RequestFacts facts, ClientIp client, Trace trace) {
    return new Evaluation(facts, policy, state, challenges.clearances(), client, trace);
  }

  /** An evaluation of {@code facts}, with the client resolved and an authenticated admin request marked. */
  private Evaluation start(RequestFacts facts, Trace trace) {
    Evaluation ev = evaluation(facts, policy.clientIpResolver().resolve(facts), trace);
    if (isAuthenticatedAdmin(facts)) {
      // The site's own administrators are never refused for reputation or behaviour; access rules and
      // custom rules still apply to them.
      ev.skip(Phase.SECURITY_LEVEL);
      ev.note(Phase.SECURITY_LEVEL, "an authenticated admin request: the Security Level does not apply");
    }
    return ev;
  }

  /**
   * A request to the admin endpoints that carries the admin token, on a plain path (no dot segments). The
   * admin path is relative to the application's context path.
   */
  private boolean isAuthenticatedAdmin(RequestFacts facts) {
    AdminSettings admin = policy.admin();
    String path = facts.path();
    String ctx = facts.contextPath();
    int at = !ctx.isEmpty() && path.startsWith(ctx) && path.length() > ctx.length()
        && path.charAt(ctx.length()) == '/' ? ctx.length() : 0;
    int end = at + admin.path().length();
    if (!admin.enabled() || !path.startsWith(admin.path(), at)
        || path.length() > end && path.charAt(end) != '/'
        || path.contains("/.") || path.contains("//") || path.indexOf('%') >= 0) {
      return false;
    }
    return admin.authorizes(facts.header("Authorization"));
  }

  private void evidence(Evaluation ev, Source source, boolean alsoAddress) {
    evidence.add(ev, source, alsoAddress);
  }

  Instant now() {
    return state.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Where the instances of one site share their state: the seam between the engine and a store that
   * several processes reach, such as Redis ({@code io.gatehouse:gatehouse-redis}). Without one, an
   * instance keeps everything in its own memory, as it always has; {@link #inMemory()} is a store that
   * the instances of one process share, the reference for implementations and for tests.
   *
   * <p>A store moves text: the engine encodes rules, events and messages itself and parses what it reads
   * back strictly, so a store needs no knowledge of them and a corrupt entry is the engine's to skip.
   * What is shared, and how: the runtime access rules (a set by id, changed by one instance and announced
   * to the others), the security events (one bounded log), single-use claims (each challenge token is
   * redeemed once across the cluster), broadcasts (behaviour evidence, clearance revocations, shared
   * addresses, sent in batches) and counters (rate limiting, synchronised in batches).
   *
   * <p>The engine never waits on a store while deciding an ordinary request: what it sends is queued and
   * sent from a thread of its own. Only a challenge submission waits on {@link #claim}, with a short
   * timeout. Every method therefore returns at once, and its stage completes later, exceptionally when
   * the store cannot be reached. Implementations are thread-safe.
   */
  public interface StateStore extends AutoCloseable {

    /** Opens stores for URIs; implementations are found with {@link java.util.ServiceLoader}. */
    interface Provider {
      /** Whether this provider opens stores of {@code uri}'s kind (its scheme). */
      boolean opens(URI uri);

      /** A store for {@code uri} with its keys under {@code name}; it connects in the background. */
      StateStore open(URI uri, String name);
    }

    /** What a store reports, on a thread of its own; each call returns quickly. */
    interface Listener {
      /** The store can be reached: at first, and again after an outage. */
      void up();

      /** The store cannot be reached; {@code why} says what failed. */
      void down(String why);

      /** The shared rules changed (another instance, or this one, changed them). */
      void rulesChanged();

      /** Messages an instance broadcast, this one's own included. */
      void received(List<String> messages);
    }

    /** Connects, in the background, and reports to {@code listener} from now on. Called once. */
    void start(Listener listener);

    /** The store, for logs and status pages: never with a password. */
    String describe();

    /**
     * The shared rules by id, or empty when the store holds no rule set at all: a new store, or one that
     * was emptied (flushed), which an instance then seeds with its own rules.
     */
    CompletionStage<Optional<Map<String, String>>> rules();

    /**
     * A value that changes whenever the shared rules change, never to one it had before (not even after the
     * store was emptied), so that instances compare rule sets only when it did; the empty string when the
     * store holds no rule set.
     */
    CompletionStage<String> rulesVersion();

    /**
     * Puts and removes rules in one step, changes the {@link #rulesVersion}, and announces it
     * ({@link Listener#rulesChanged}). Afterwards the store holds a rule set, even an empty one.
     */
    CompletionStage<Void> changeRules(Map<String, String> put,
        Set<String> remove);

    /** Makes the store hold {@code rules} if it holds no rule set; true when it did. */
    CompletionStage<Boolean> seedRules(Map<String, String> rules);

    /** Appends events to the shared log, which keeps the newest {@code keep}. */
    CompletionStage<Void> appendEvents(List<String> events, int keep);

    /** The newest events of the shared log, newest first, at most {@code limit}. */
    CompletionStage<List<String>> recentEvents(int limit);

    /** Claims {@code key} for {@code lasts}: true for the first claim, false for every later one. */
    CompletionStage<Boolean> claim(String key, Duration lasts);

    /** Sends messages to every instance ({@link Listener#received}); nothing is kept for one that is away. */
    CompletionStage<Void> broadcast(List<String> messages);

    /**
     * Adds {@code amounts[i]} to the counter {@code keys.get(i)}, each kept for {@code lasts} after its last
     * change, and returns the counters' totals, in the same order.
     */
    CompletionStage<long[]> addCounts(List<String> keys, long[] amounts,
        Duration lasts);

    /** Disconnects; the stages of calls still running fail. */
    @Override
    void close();

    /** A new store held in this process's memory, which any number of instances in it may share. */
    static StateStore inMemory() {
      return new MemoryStore();
    }
  }

  /**
   * What the engine keeps across policies: the clock and the monotonic ticker, the live feeds, what
   * visitors have been doing, which addresses are shared, the challenge's tokens and revocations, the event
   * log, the rate limiting counters, and the count of internal failures. Each part is bounded and
   * thread-safe; one state serves every {@link Engine} made over the life of a {@code Gatehouse}.
   */
  public static final class State {

    private final Clock clock;
    private final LongSupplier ticker;
    private final FeedRegistry feeds;
    private final BehaviourTracker behaviour;
    private final SharedAddresses shared;
    private final ChallengeState challenges;
    private final EventRecorder recorder;
    private final RayIds rayIds = new RayIds();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastFailureLog;
    private RateCounters rateCounters;
    private volatile ClusterLink cluster;

    /**
     * @param clock event times and expiries
     * @param ticker a monotonic clock in nanoseconds, for intervals
     */
    public State(Clock clock, LongSupplier ticker, FeedRegistry feeds, BehaviourTracker behaviour,
        SharedAddresses shared, EventLog events) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      this.feeds = Objects.requireNonNull(feeds, "feeds");
      this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
      this.shared = Objects.requireNonNull(shared, "shared");
      this.challenges = new ChallengeState(ticker::getAsLong);
      this.recorder = new EventRecorder(Objects.requireNonNull(events, "events"));
      this.lastFailureLog = new AtomicLong(ticker.getAsLong() - Engine.FAILURE_LOG_INTERVAL_NANOS);
    }

    /** The monotonic clock, in nanoseconds. */
    long nanos() {
      return ticker.getAsLong();
    }

    /**
     * The rate limiting counters, made when a policy first has rate limiting rules; a policy that asks for
     * another capacity gets a new table (its counts start afresh).
     */
    synchronized RateCounters rateCounters(int capacity) {
      if (rateCounters == null || rateCounters.capacity() != new RateCounters.Size(capacity).slots()) {
        rateCounters = new RateCounters(capacity, ticker.getAsLong());
      }
      return rateCounters;
    }

    /** The number of internal failures since start. */
    public long internalFailures() {
      return failures.get();
    }

    /** A fresh Ray ID; with no {@code nodeId}, the cluster's node id when this instance is in one. */
    public String newRayId(String nodeId) {
      ClusterLink c = cluster;
      return rayIds.next(nodeId.isEmpty() && c != null ? c.nodeId() : nodeId);
    }

    /**
     * Joins the cluster of {@code store}: from now on events, evidence, revocations and shared addresses
     * are sent to it and taken from it, challenge tokens are claimed in it, and the managed access rules
     * of {@code live} are kept in step with it. Called once.
     *
     * @param name the cluster's name, for logs and status
     * @param nodeId the node id for Ray IDs when the configuration names none
     * @param sharedWindow {@code gatehouse.shared-ip.detect-window}: how long a shared address is announced for
     */
    public synchronized void joinCluster(StateStore store, String name, String nodeId, Duration sharedWindow,
        LivePolicy live) {
      if (cluster != null) {
        throw new IllegalStateException("already in cluster " + name);
      }
      ClusterLink link = new ClusterLink(store, name, nodeId, this, sharedWindow);
      recorder.cluster(link);
      cluster = link;
      link.start(live);
    }

    /** Waits, at most {@code timeout}, until the rules were first compared with the cluster's; false if not. */
    public boolean awaitClusterRules(Duration timeout) {
      ClusterLink c = cluster;
      return c == null || c.awaitFirstRuleSync(timeout);
    }

    /**
     * Makes a change to the managed access rules ({@code change} calls {@code LivePolicy}) and, in a
     * cluster, shares it.
     */
    public RuleChange changeRules(Supplier<RuleChange> change) {
      ClusterLink c = cluster;
      return c == null ? change.get() : c.rules().change(change);
    }

    /**
     * The events of the whole cluster, newest first, as a log of their own; empty when this instance is in
     * no cluster or the store cannot be reached (then only this instance's own log can answer).
     */
    public Optional<EventLog> clusterEvents() {
      ClusterLink c = cluster;
      return c == null ? Optional.empty() : c.events(recorder.log());
    }

    /** The cluster's health as this instance sees it. */
    public Status.Cluster clusterStatus() {
      ClusterLink c = cluster;
      return c == null ? Status.Cluster.OFF : c.status();
    }

    /** How many events the cluster's log keeps: this instance's {@code gatehouse.events.capacity}. */
    public void keepClusterEvents(int capacity) {
      ClusterLink c = cluster;
      if (c != null) {
        c.keepEvents(capacity);
      }
    }

    /** Leaves the cluster: stops sending and disconnects from the store. */
    public synchronized void leaveCluster() {
      if (cluster != null) {
        cluster.close();
      }
    }

    /** The link to the cluster, or {@code null}. */
    ClusterLink cluster() {
      return cluster;
    }

    Clock clock() {
      return clock;
    }

    FeedRegistry feeds() {
      return feeds;
    }

    BehaviourTracker behaviour() {
      return behaviour;
    }

    SharedAddresses shared() {
      return shared;
    }

    /** A secret made at random for this run, for when the configuration sets none. */
    public byte[] randomSecret() {
      return challenges.randomSecret();
    }

    ChallengeState challenges() {
      return challenges;
    }

    EventRecorder recorder() {
      return recorder;
    }

    /** Counts a failure; true when it should be logged (at most once a minute, so a flood cannot fill logs). */
    boolean failed() {
      failures.incrementAndGet();
      long now = ticker.getAsLong();
      long last = lastFailureLog.get();
      return now - last >= Engine.FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now);
    }
  }
}
