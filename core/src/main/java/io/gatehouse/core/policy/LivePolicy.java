package io.gatehouse.core.policy;

import io.gatehouse.core.ReloadResult;
import io.gatehouse.core.RuleChange;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.reputation.FeedRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force, and how it changes: compiled from its source at start, compiled again on reload
 * and swapped in whole only when the new configuration has no problems, watched for file changes on a
 * scheduler the caller gives, and edited through the managed access-rules file. Each policy put in force
 * is handed to the {@link Listener}.
 *
 * <p>Thread-safe; reloads and rule changes are serialised.
 */
public final class LivePolicy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LivePolicy.class);

  /** Hears of each policy put in force and of each reload. */
  public interface Listener {
    /**
     * Readies what {@code policy} needs to decide requests, doing everything that can fail, and returns
     * what puts it in force, which must not fail. When this throws, nothing has changed: the running
     * policy stays and the failure is reported as a problem of the configuration.
     */
    Runnable prepare(Policy policy);

    /** A reload was attempted; {@code result} says whether it was applied. */
    default void reloaded(ReloadResult result) {}
  }

  private final ConfigSource source;
  private final Map<String, String> environment;
  private final Clock clock;
  private final LongSupplier ticker;
  private final FeedRegistry feeds;
  private final Verifiers verifiers;
  private final byte[] fallbackSecret;
  private final Listener listener;
  private final FileCache fileCache = new FileCache();
  private final GeoDownloads geoDownloads;
  private final AtomicReference<Policy> current = new AtomicReference<>();
  private final ManagedRules managedRules;
  private volatile List<FileStamp> stampsOfLastLoad = List.of();
  private volatile ReloadResult lastReload;
  private ConfigWatcher watcher;

  private LivePolicy(ConfigSource source, Map<String, String> environment, Clock clock, LongSupplier ticker,
      FeedRegistry feeds, CrawlerVerifier.DnsResolver dns, byte[] fallbackSecret, Listener listener) {
    this.source = Objects.requireNonNull(source, "source");
    this.environment = Map.copyOf(environment);
    this.clock = clock;
    this.ticker = ticker;
    this.feeds = feeds;
    this.verifiers = new Verifiers(ticker, dns);
    this.fallbackSecret = fallbackSecret.clone();
    this.listener = listener;
    this.geoDownloads = new GeoDownloads(ticker);
    // A rule change through the API is deliberate: it is never taken for a half-written file.
    this.managedRules = new ManagedRules(this::current, () -> reload(true));
  }

  /**
   * Compiles the configuration and puts it in force.
   *
   * @param ticker the monotonic clock, in nanoseconds, for intervals and caches
   * @param dns the resolver crawler verification uses, or {@code null} for the system's
   * @param fallbackSecret signs clearances when {@code gatehouse.challenge.secret} is not set
   * @throws ConfigException listing every problem in the configuration
   */
  public static LivePolicy open(ConfigSource source, Map<String, String> environment, Clock clock,
      LongSupplier ticker, FeedRegistry feeds, CrawlerVerifier.DnsResolver dns, byte[] fallbackSecret, Listener listener)
      throws ConfigException {
    LivePolicy live = new LivePolicy(source, environment, clock, ticker, feeds, dns, fallbackSecret, listener);
    PolicyCompiler compiler = live.compiler();
    try {
      Policy first = compiler.compile();
      if (first.accessRulesFile() != null) {
        AccessRulesFile.removeStaleTemporaries(first.accessRulesFile());
      }
      live.install(first);
    } catch (ConfigException e) {
      live.verifiers.close();
      throw e;
    } finally {
      live.stampsOfLastLoad = compiler.stamps();
    }
    return live;
  }

  /** Every configuration key pattern, such as {@code gatehouse.access-rule.ID}. */
  public static List<String> keys() {
    return Keys.TABLE.patterns();
  }

  private PolicyCompiler compiler() {
    return new PolicyCompiler(source, environment, clock, ticker, fileCache, feeds, verifiers, fallbackSecret,
        geoDownloads);
  }

  /** Puts {@code p} in force, all of it or (when readying it fails) none of it. */
  private void install(Policy p) throws ConfigException {
    Runnable apply;
    try {
      apply = listener.prepare(p);
    } catch (RuntimeException e) {
      LOG.warn("{} could not be applied", source.name(), e);
      throw ConfigException.of(source.name(), "could not be applied: " + e);
    }
    feeds.commit(p.preparedFeeds());
    verifiers.commit(p.bots());
    current.set(p);
    apply.run();
  }

  /** The policy deciding requests now. */
  public Policy current() {
    return current.get();
  }

  /**
   * Reads the configuration again and, if it has no problems, swaps it in. With problems, the running
   * policy stays and every problem is returned and logged. A change that looks like a file caught half
   * written (see {@link ReloadGuard}) is refused too, unless {@code force}.
   */
  public synchronized ReloadResult reload(boolean force) {
    Instant at = clock.instant();
    PolicyCompiler compiler = compiler();
    ReloadResult result;
    try {
      Policy next = compiler.compile();
      if (!force) {
        ReloadGuard.check(current(), next, compiler.entriesRead(), source.name());
      }
      install(next);
      geoDownloads.retain(compiler.geoUrls());
      result = new ReloadResult(true, List.of(), at);
    } catch (ConfigException e) {
      LOG.warn("reload of {} rejected; the running configuration stays. {}", source.name(), e.getMessage());
      result = new ReloadResult(false, e.problems(), at);
    } finally {
      stampsOfLastLoad = compiler.stamps();
    }
    lastReload = result;
    listener.reloaded(result);
    return result;
  }

  /** The outcome of the last reload, or {@code null} when there was none since start. */
  public ReloadResult lastReload() {
    return lastReload;
  }

  /**
   * Reloads when a file the configuration read changes ({@code gatehouse.reload.interval}), looking on
   * {@code scheduler}. Does nothing when the interval is {@code off} or nothing was read from a file.
   */
  public synchronized void watch(ScheduledExecutorService scheduler) {
    if (watcher != null || current().reloadInterval() == null || stampsOfLastLoad.isEmpty()) {
      return;
    }
    // Geo databases named by URL are downloaded over their copies, which the watcher then reloads.
    geoDownloads.start(scheduler);
    watcher = new ConfigWatcher(scheduler, () -> current().reloadInterval(), () -> stampsOfLastLoad,
        () -> reload(false));
    watcher.start();
  }

  /** Adds an access rule to the managed rules file and applies it; see {@link ManagedRules#add}. */
  public RuleChange addAccessRule(String id, String action, String target, String value, String notes) {
    return managedRules.add(id, action, target, value, notes);
  }

  /** Removes an access rule that lives in the managed rules file, and applies the change. */
  public RuleChange removeAccessRule(String id) {
    return managedRules.remove(id);
  }

  /**
   * The rules of the managed rules file in force, each as one line of JSON (the file's own shape) by id:
   * what instances of a cluster share.
   */
  public Map<String, String> managedRules() {
    return managedRules.encoded();
  }

  /**
   * Makes the managed rules file hold {@code rules} ({@link #managedRules()}'s form) and applies them,
   * unless they are in force already. A rule that cannot be read is skipped and logged.
   *
   * @param from where the rules come from, for the log
   * @return whether the rules in force changed
   */
  public boolean replaceManagedRules(Map<String, String> rules, String from) {
    return managedRules.replace(rules, from);
  }

  /** Stops watching and closes the crawler verifier. */
  @Override
  public synchronized void close() {
    geoDownloads.close();
    if (watcher != null) {
      watcher.close();
    }
    verifiers.close();
  }
}
