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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

  private final Clock clock;
  private final Engine.State state;
  private final EventLog events;
  private final BehaviourTracker behaviour;
  private final SharedAddresses shared;
  private final FeedRegistry feeds;
  private final ScheduledExecutorService ownScheduler;
  private volatile Engine engine;
  private volatile LivePolicy live;
  private volatile Policy.ClusterSettings clusterAtStart;

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
    Policy.ClusterSettings cluster = clusterAtStart;
    if (cluster != null && !cluster.equals(p.cluster())) {
      LOG.warn("gatehouse.cluster.* changed from {} to {}: that takes"
          + " effect when the application restarts", cluster.describe(), p.cluster().describe());
    }
    return () -> {
      behaviour.configure(r.maxTracked(), r.maxTrackedBytes(), r.halfLife());
      shared.configure(r.detectVisitors(), r.detectWindow());
      events.resize(p.eventsCapacity(), p.eventsMaxBytes());
      state.keepClusterEvents(p.eventsCapacity());
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
   * How many bytes of a request body the rules read ({@code gatehouse.body.inspect-bytes}, when a rule
   * reads {@code http.request.body.*}), or 0: the servlet filter buffers that many before deciding and
   * hands the application a request that replays them.
   */
  public int bodyInspectBytes() {
    return engine.policy().bodyInspectBytes();
  }

  /**
   * The canonical names of the fields the rules in force read ({@code ip.src}, {@code cf.edge.server_ip},
   * ...), so that an adapter can leave out of {@link RequestFacts} what no rule needs, such as the server's
   * address. Unmodifiable.
   */
  public Set<String> fieldsRead() {
    return engine.policy().fieldsRead();
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
   *
   * @param facts the request that was decided
   * @param decision its decision, which knows who the visitor is when deciding had to check its clearance
   *     cookie; then that is not done again
   */
  public String visitorId(RequestFacts facts, Decision decision) {
    return decision.knowsVisitorId() ? Engine.visitorText(decision.visitorId())
        : engine.visitorId(facts, decision.client());
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
    return state.changeRules(() -> live.addAccessRule(id, action, target, value, notes));
  }

  /**
   * Removes an access rule that lives in the managed rules file, and applies the change; in a cluster,
   * every instance does.
   */
  public RuleChange removeAccessRule(String id) {
    return state.changeRules(() -> live.removeAccessRule(id));
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

  /** The recent security events of this instance. */
  public EventLog events() {
    return events;
  }

  /**
   * The recent security events of the whole cluster, when this instance is in one and the store answers
   * (within two seconds); otherwise this instance's own, saying why. For admin pages: it may wait on the
   * store, and copies the events it reads.
   */
  public EventView eventView() {
    Status.Cluster c = state.clusterStatus();
    if (c.state().equals("off")) {
      return new EventView(events, false, "");
    }
    return state.clusterEvents().map(log -> new EventView(log, true, ""))
        .orElseGet(() -> new EventView(events, false, "the cluster's store (" + c.store() + ") cannot be reached:"
            + " these are this instance's events only"));
  }

  /**
   * Security events to answer a query with.
   *
   * @param log the events
   * @param cluster whether they are the whole cluster's, or this instance's alone
   * @param note why they are this instance's alone when it is in a cluster, or the empty string
   */
  public record EventView(EventLog log, boolean cluster, String note) {}

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
        events.capacity(), events.appended(), behaviour.size(), state.internalFailures(), live.lastReload(),
        state.clusterStatus());
  }

  /** Stops the background work (the configuration watch, feed refreshes). Decisions still work afterwards. */
  @Override
  public void close() {
    state.leaveCluster();
    live.close();
    feeds.close();
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
  }

  /**
   * Joins the cluster the configuration names, or the store the builder was given; a store URI that no
   * module on the classpath opens is a problem of the configuration, naming the module to add.
   */
  private static void joinCluster(Gatehouse g, Engine.State state, Engine.StateStore given)
      throws ConfigException {
    Policy p = g.live.current();
    Policy.ClusterSettings settings = p.cluster();
    g.clusterAtStart = settings;
    Engine.StateStore store = given;
    if (store == null && settings.enabled()) {
      for (Engine.StateStore.Provider provider : ServiceLoader.load(Engine.StateStore.Provider.class)) {
        if (provider.opens(settings.store())) {
          store = provider.open(settings.store(), settings.name());
          break;
        }
      }
      if (store == null) {
        throw new ConfigException(List.of(new ConfigException.Problem(settings.file(), settings.line(),
            "gatehouse.cluster.redis", "sharing state through Redis needs the module io.gatehouse:gatehouse-redis"
            + " on the classpath")));
      }
    }
    if (store == null) {
      return;
    }
    String nodeId = p.nodeId().isEmpty()
        ? HexFormat.of().toHexDigits(new SecureRandom().nextInt()).substring(0, 6)
        : p.nodeId();
    if (p.accessRulesFile() == null) {
      LOG.warn("gatehouse.access-rules.file is not set: access rules added on other instances of cluster '{}' are"
          + " not applied here", settings.name());
    }
    if (p.nodeId().isEmpty()) {
      LOG.info("in cluster '{}' as node {} (gatehouse.node-id names it)", settings.name(), nodeId);
    }
    state.joinCluster(store, settings.name(), nodeId, p.reputation().detectWindow(), g.live);
    if (!state.awaitClusterRules(Duration.ofSeconds(2))) {
      LOG.warn("cluster '{}' ({}) did not answer within 2 s: starting with this instance's own access rules",
          settings.name(), store.describe());
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
    private Engine.StateStore store;

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
     * The store this instance shares its state through, whatever {@code gatehouse.cluster.redis} says: for
     * a store of another kind, or {@link Engine.StateStore#inMemory()} for several instances in one process.
     * {@link Gatehouse#close()} closes it.
     */
    public Builder stateStore(Engine.StateStore store) {
      this.store = Objects.requireNonNull(store, "store");
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
      // Sized by the first policy when it is installed.
      EventLog events = new EventLog(1, 1);
      FeedRegistry feeds = new FeedRegistry(clock, ticker);
      BehaviourTracker behaviour = new BehaviourTracker(1_000, 1L << 20, Duration.ofHours(1), ticker::getAsLong,
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
      try {
        joinCluster(g, state, store);
      } catch (ConfigException | RuntimeException e) {
        g.close();
        throw e;
      }
      if (watch) {
        g.live.watch(scheduler != null ? scheduler : own);
      }
      return g;
    }
  }
}
