package io.gatehouse.core;

import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.engine.Engine;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.policy.LivePolicy;
import io.gatehouse.core.policy.Policy.AdminSettings;
import io.gatehouse.core.policy.Policy.PageSettings;
import io.gatehouse.core.policy.Policy.ReputationSettings;
import io.gatehouse.core.policy.Policy;
import io.gatehouse.core.reputation.BehaviourTracker;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SharedAddresses;
import io.gatehouse.core.rules.AccessRule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.function.LongSupplier;

/**
 * The firewall: judges each request against the configuration in force and records what it did.
 *
 * <pre>{@code
 * Gatehouse gatehouse = Gatehouse.fromProperties(Path.of("/etc/gatehouse/gatehouse.properties"));
 * Decision decision = gatehouse.decide(facts);
 * if (decision.refuses()) { ... render decision.errorCode() with decision.rayId() ... }
 * }</pre>
 *
 * <p>{@link #decide} never blocks on I/O and never throws: an internal failure is recorded as an event
 * and answered as {@code gatehouse.on-error} says. The configuration is compiled into an immutable policy;
 * {@link #reload()} compiles a new one and swaps it in atomically, or keeps the running one if the new
 * configuration has problems.
 *
 * <p>This class only connects the parts: {@link LivePolicy} keeps the configuration in force, an
 * {@link Engine} made for each policy judges requests, and {@link Engine.State} holds what outlives a
 * policy. Thread-safe.
 */
public final class Gatehouse implements AutoCloseable {

  private final Clock clock;
  private final Engine.State state;
  private final EventLog events;
  private final BehaviourTracker behaviour;
  private final SharedAddresses shared;
  private final FeedRegistry feeds;
  private final ScheduledExecutorService ownScheduler;
  private volatile Engine engine;
  private volatile LivePolicy live;

  private Gatehouse(Clock clock, Engine.State state, EventLog events, BehaviourTracker behaviour,
      SharedAddresses shared, FeedRegistry feeds, ScheduledExecutorService ownScheduler) {
    this.clock = clock;
    this.state = state;
    this.events = events;
    this.behaviour = behaviour;
    this.shared = shared;
    this.feeds = feeds;
    this.ownScheduler = ownScheduler;
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
    return LivePolicy.keys();
  }

  /** The version of Gatehouse, from the jar's manifest ({@code development} when run from classes). */
  public static String version() {
    String v = Gatehouse.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /**
   * Readies a newly compiled policy: builds its engine and checks what outlives it can take its sizes,
   * then returns the step that puts it in force, which cannot fail.
   */
  private Runnable prepare(Policy p) {
    ReputationSettings r = p.reputation();
    Engine next = Engine.of(p, state);
    // Durations in nanoseconds overflow beyond 292 years; the keys' ranges keep far below, and a value
    // that still overflowed would fail here, before anything changed.
    r.halfLife().toNanos();
    r.detectWindow().toNanos();
    return () -> {
      behaviour.configure(r.maxTracked(), r.halfLife());
      shared.configure(r.detectVisitors(), r.detectWindow());
      events.resize(p.eventsCapacity());
      engine = next;
    };
  }

  /** Judges one request. Never throws and never blocks on I/O. */
  public Decision decide(RequestFacts facts) {
    return engine.decide(facts);
  }

  /**
   * Explains how a request would be decided, phase by phase, without recording an event or changing any
   * state. The request is described with {@link RequestFacts}, so any visitor can be played. Never throws.
   */
  public Explanation explain(RequestFacts facts) {
    return engine.explain(facts);
  }

  /**
   * Tells the engine what the application answered to an allowed request, so that probing (many 403 and
   * 404 answers on distinct paths) counts against the visitor, and rate limiting rules that count
   * responses count it. Never throws.
   */
  public void observeResponse(Decision decision, RequestFacts facts, int status) {
    engine.observeResponse(decision, facts, status, name -> null);
  }

  /**
   * Like {@link #observeResponse(Decision, RequestFacts, int)}, with the response's headers, so a rate
   * limiting rule's {@code score-header} can be read: {@code responseHeader} gives the value of a header
   * (its name in lower case), or {@code null}.
   */
  public void observeResponse(Decision decision, RequestFacts facts, int status,
      UnaryOperator<String> responseHeader) {
    engine.observeResponse(decision, facts, status, responseHeader);
  }

  /**
   * The challenge for a request that was decided {@link Action#CHALLENGE}: a signed token bound to this
   * visitor (address and User-Agent) that carries the path to return to.
   */
  public Challenge issueChallenge(Decision decision, RequestFacts facts) {
    return engine.issueChallenge(decision, facts);
  }

  /**
   * Checks a posted challenge solution. The token must carry a good signature, be recent, unredeemed and
   * issued to this visitor, and the counter must solve it. Solved: a clearance cookie and the way back to
   * where the visitor was going; an event {@code challenge_solved} names both Ray IDs. Refused: an event
   * {@code challenge_failed} says why, and the visitor is sent back to be challenged afresh. Never throws.
   */
  public Challenge.Verdict verifyChallenge(RequestFacts facts, String token, String counter, long solveMillis) {
    return engine.verifyChallenge(facts, token, counter, solveMillis);
  }

  /** The path challenge solutions are posted to. */
  public String challengePath() {
    return engine.policy().challenge().path();
  }

  /** Whether the visitor used HTTPS, as a trusted proxy reports it (for the clearance cookie's {@code Secure}). */
  public boolean visitorUsedHttps(RequestFacts facts) {
    return engine.policy().clientIpResolver().visitorUsedHttps(facts);
  }

  /**
   * {@code gatehouse.client-ip.expose}: whether the application should see the resolved client as the
   * request's remote address, and the visitor's scheme as the request's.
   */
  public boolean exposesClientIp() {
    return engine.policy().exposeClientIp();
  }

  /**
   * The visitor's id, 16 hex digits: the random id its clearance carries, or, before it has a valid one, a
   * hash of its address and browser signature (User-Agent, {@code Accept-Language}). Behaviour evidence is
   * kept against it and {@code cf.unique_visitor_id} counts it.
   */
  public String visitorId(RequestFacts facts, Decision decision) {
    String hex = Long.toHexString(engine.visitorId(facts, decision.client()));
    return "0000000000000000".substring(hex.length()) + hex;
  }

  /** The admin endpoints' settings: path, token, allowed addresses. */
  public AdminSettings admin() {
    return engine.policy().admin();
  }

  /** What error pages show: site name, contact, templates. */
  public PageSettings pages() {
    return engine.policy().pages();
  }

  /** The IP Access Rules in force, from properties and the managed file, in the order they were written. */
  public List<AccessRule> accessRules() {
    return engine.policy().accessRules().rules();
  }

  /** Whether {@code rule} lives in the managed rules file, so that it can be removed at run time. */
  public boolean isManaged(AccessRule rule) {
    Path file = engine.policy().accessRulesFile();
    return file != null && rule.origin().startsWith(file + ":");
  }

  /**
   * Adds an access rule to the managed rules file ({@code gatehouse.access-rules.file}) and applies it.
   * The file is written atomically and the configuration reloaded; if the configuration would not load
   * with the rule, the file is put back as it was and the problems are returned.
   *
   * @param id the rule's id, or {@code null} to have one made
   */
  public RuleChange addAccessRule(String id, String action, String target, String value, String notes) {
    return live.addAccessRule(id, action, target, value, notes);
  }

  /** Removes an access rule that lives in the managed rules file, and applies the change. */
  public RuleChange removeAccessRule(String id) {
    return live.removeAccessRule(id);
  }

  /**
   * Reads the configuration again and, if it has no problems, swaps it in. With problems, the running
   * configuration stays and every problem is returned and logged. A change that empties the
   * configuration, loses the admin token or the trusted proxies, or drops more than half of the rules is
   * refused as a file caught half written; {@link #reload(boolean) reload(true)} applies it.
   */
  public ReloadResult reload() {
    return live.reload(false);
  }

  /** Like {@link #reload()}; with {@code force}, a change is applied however much it removes. */
  public ReloadResult reload(boolean force) {
    return live.reload(force);
  }

  /** The outcome of the last reload, or {@code null} when there was none since start. */
  public ReloadResult lastReload() {
    return live.lastReload();
  }

  /** A fresh Ray ID, for responses Gatehouse renders outside a decision (the admin endpoints). */
  public String newRayId() {
    return state.newRayId(engine.policy().nodeId());
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
    return state.internalFailures();
  }

  /** The policy in force, for tests in this package that look inside it. */
  Policy policy() {
    return engine.policy();
  }

  /** What the engine runs with now. */
  public Status status() {
    Policy p = engine.policy();
    return new Status(version(), p.source().name(), p.loadedAt(), p.summary(), p.mode(),
        p.reputation().securityLevel().id(), p.nodeId(), p.accessRules().size(),
        p.accessRulesFile() == null ? "" : p.accessRulesFile().toString(), p.geo().toString(),
        p.clientIpResolver().toString(), p.challenge().configuredSecret(), feeds.status(), events.size(),
        events.capacity(), events.appended(), behaviour.size(), state.internalFailures(), live.lastReload());
  }

  /** Stops the background work (the configuration watch, feed refreshes). Decisions still work afterwards. */
  @Override
  public void close() {
    live.close();
    feeds.close();
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
  }

  /** Builds a {@link Gatehouse}. Not thread-safe. */
  public static final class Builder {
    private ConfigSource source;
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private boolean watch = true;
    private ScheduledExecutorService scheduler;
    private Executor behaviourExecutor = ForkJoinPool.commonPool();
    private CrawlerVerifier.DnsResolver dnsResolver;
    private Consumer<ReloadResult> reloadListener = r -> {};

    private Builder() {}

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
     * The monotonic clock, in nanoseconds, for intervals: behaviour decay, caches, the redeemed-token
     * window, load timings. {@link System#nanoTime()} by default; a test advances its own.
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The DNS resolver crawler verification uses; the system's (over JNDI) by default. */
    public Builder dnsResolver(CrawlerVerifier.DnsResolver resolver) {
      this.dnsResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Where the behaviour tracker's evictions run; the caller's thread ({@code Runnable::run}) in tests. */
    public Builder behaviourExecutor(Executor executor) {
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

    /**
     * Where the configuration watch runs; a daemon thread of its own by default, stopped by
     * {@link Gatehouse#close()}. One that the caller gives is the caller's to stop.
     */
    public Builder watchScheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Hears of every reload, applied or rejected, whether asked for or started by a file change. */
    public Builder onReload(Consumer<ReloadResult> listener) {
      this.reloadListener = Objects.requireNonNull(listener, "listener");
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
      EventLog events = new EventLog(10_000);
      FeedRegistry feeds = new FeedRegistry(clock, ticker);
      BehaviourTracker behaviour = new BehaviourTracker(1_000_000, Duration.ofHours(1), ticker::getAsLong,
          behaviourExecutor);
      SharedAddresses shared = new SharedAddresses(8, Duration.ofMinutes(10), ticker::getAsLong);
      Engine.State state = new Engine.State(clock, ticker, feeds, behaviour, shared, events);
      ScheduledExecutorService own = watch && scheduler == null ? Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-config-watch");
        t.setDaemon(true);
        return t;
      }) : null;
      Gatehouse g = new Gatehouse(clock, state, events, behaviour, shared, feeds, own);
      Consumer<ReloadResult> heard = reloadListener;
      try {
        g.live = LivePolicy.open(source, environment, clock, ticker, feeds, dnsResolver, state.randomSecret(),
            new LivePolicy.Listener() {
              @Override
              public Runnable prepare(Policy policy) {
                return g.prepare(policy);
              }

              @Override
              public void reloaded(ReloadResult result) {
                heard.accept(result);
              }
            });
      } catch (ConfigException | RuntimeException e) {
        feeds.close();
        if (own != null) {
          own.shutdownNow();
        }
        throw e;
      }
      if (watch) {
        g.live.watch(scheduler != null ? scheduler : own);
      }
      return g;
    }
  }
}
