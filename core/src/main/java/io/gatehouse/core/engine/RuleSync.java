package io.gatehouse.core.engine;

import io.gatehouse.core.RuleChange;
import io.gatehouse.core.policy.LivePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's runtime access rules (its managed rules file) in step with the cluster's.
 *
 * <p>The store holds the cluster's rules by id. A change made here is applied here first (the file is
 * written, the policy reloaded), remembered as pending, and pushed; the store announces it, and every
 * instance reads the store's rules and makes its file hold them. Every {@value #RECONCILE_MILLIS} ms the
 * rules are compared again, so an instance that missed an announcement catches up. While the store is
 * away, changes made here stay pending and are pushed when it is back; rules read from the store are
 * always overlaid with what is pending, so a change made here is never undone by the store's older copy.
 * A store that holds no rule set at all (new, or flushed) is seeded with this instance's rules.
 *
 * <p>Thread-safe: comparisons and local changes are serialised; each is short and runs on the link's
 * thread or an admin request's, never an ordinary request's.
 */
final class RuleSync {

  private static final Logger LOG = LoggerFactory.getLogger(RuleSync.class);

  static final long RECONCILE_MILLIS = 2_000;
  private static final long WAIT_MILLIS = 2_000;

  private final Engine.StateStore store;
  private final Executor executor;
  private final Clock clock;
  /** Changes made here that the store has not taken yet: a rule by id, or {@code null} for a removal. */
  private final Map<String, String> pending = new LinkedHashMap<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private final CountDownLatch first = new CountDownLatch(1);
  private volatile LivePolicy live;
  private volatile Instant lastSync;
  /** The store's {@code rulesVersion} when its rules were last read; the empty string before. */
  private String seenVersion = "";

  RuleSync(Engine.StateStore store, Executor executor, Clock clock) {
    this.store = store;
    this.executor = executor;
    this.clock = clock;
  }

  void attach(LivePolicy live) {
    this.live = live;
  }

  /**
   * Makes a change here ({@code change} adds or removes a rule through {@code live}) and, when it is
   * applied, pushes it to the store.
   */
  RuleChange change(Supplier<RuleChange> change) {
    RuleChange result;
    Map<String, String> before;
    Map<String, String> after;
    synchronized (this) {
      before = live.managedRules();
      result = change.get();
      if (!result.ok()) {
        return result;
      }
      after = live.managedRules();
      Set<String> ids = new HashSet<>(before.keySet());
      ids.addAll(after.keySet());
      for (String id : ids) {
        String now = after.get(id);
        if (!Objects.equals(before.get(id), now)) {
          pending.put(id, now);
        }
      }
    }
    executor.execute(this::push);
    return result;
  }

  /** Compares the rules with the store's soon, once however often it is asked before it runs. */
  void reconcileSoon() {
    if (queued.compareAndSet(false, true)) {
      executor.execute(() -> {
        queued.set(false);
        reconcileNow();
      });
    }
  }

  /** Pushes what is pending, then makes the managed rules file hold the store's rules. */
  synchronized void reconcileNow() {
    if (live == null) {
      return;
    }
    try {
      if (!push()) {
        return;
      }
      String version = await(store.rulesVersion());
      if (!version.isEmpty() && version.equals(seenVersion)) {
        // Unchanged since last read: the comparison costs one small read, however many rules there are.
        lastSync = clock.instant();
        first.countDown();
        return;
      }
      Optional<Map<String, String>> held = await(store.rules());
      if (held.isEmpty()) {
        Map<String, String> mine = live.managedRules();
        if (await(store.seedRules(mine))) {
          LOG.info("the cluster held no access rules; seeded it with this instance's {}", mine.size());
        }
        lastSync = clock.instant();
        first.countDown();
        return;
      }
      Map<String, String> wanted = new TreeMap<>(held.get());
      pending.forEach((id, rule) -> {
        if (rule == null) {
          wanted.remove(id);
        } else {
          wanted.put(id, rule);
        }
      });
      live.replaceManagedRules(wanted, "the cluster (" + store.describe() + ")");
      // Read before the rules: a change in between makes the next comparison read them again.
      seenVersion = version;
      lastSync = clock.instant();
      first.countDown();
    } catch (Exception e) {
      LOG.debug("comparing the access rules with the cluster's failed: {}", e.toString());
    }
  }

  /** Pushes the pending changes; true when nothing is pending any more. */
  private synchronized boolean push() {
    if (pending.isEmpty()) {
      return true;
    }
    Map<String, String> put = new LinkedHashMap<>();
    Set<String> remove = new HashSet<>();
    Map<String, String> snapshot = new LinkedHashMap<>(pending);
    snapshot.forEach((id, rule) -> {
      if (rule == null) {
        remove.add(id);
      } else {
        put.put(id, rule);
      }
    });
    try {
      await(store.changeRules(put, remove));
    } catch (Exception e) {
      LOG.debug("pushing {} access rule changes to the cluster failed: {}", snapshot.size(), e.toString());
      return false;
    }
    snapshot.forEach((id, rule) -> pending.remove(id, rule));
    if (!snapshot.isEmpty()) {
      LOG.info("{} access rule changes made here pushed to the cluster", snapshot.size());
    }
    return pending.isEmpty();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(ClusterLink.QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Makes the next comparison read the store's rules whatever their version: after an outage, say. */
  synchronized void forgetVersion() {
    seenVersion = "";
  }

  boolean awaitFirst(Duration timeout) {
    try {
      return first.await(Math.min(timeout.toMillis(), WAIT_MILLIS), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  synchronized int pending() {
    return pending.size();
  }

  Instant lastSync() {
    return lastSync;
  }
}
