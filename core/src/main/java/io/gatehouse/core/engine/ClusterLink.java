package io.gatehouse.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.core.Status;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.policy.LivePolicy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's link to the cluster: what it sends to the {@link Engine.StateStore} and what it takes
 * from it.
 *
 * <p>Request threads only ever put things in two bounded queues (events; evidence, revocations and
 * shared addresses), which never block: when a queue is full the newest entry is dropped and counted. A
 * thread of the link's own sends them in batches every {@value #FLUSH_MILLIS} ms while the store is up;
 * while it is down they wait in the queues, which are sent when it is back. What other instances
 * broadcast is parsed strictly ({@link ClusterCodec}) and applied to this instance's own state, never
 * sent on. The rules are kept in step by {@link RuleSync}. Only the challenge ({@link #claim}) and the
 * admin pages ({@link #events}) wait on the store, each with a short timeout.
 *
 * <p>Thread-safe.
 */
final class ClusterLink implements Engine.StateStore.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

  static final long FLUSH_MILLIS = 100;
  static final int QUEUE = 10_000;
  static final int EVENTS_PER_BATCH = 500;
  static final int ITEMS_PER_BATCH = 200;
  /** How long a challenge submission waits for the store before deciding with this instance's own state. */
  static final Duration CLAIM_TIMEOUT = Duration.ofMillis(300);
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
  private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

  private final Engine.StateStore store;
  private final String name;
  private final String nodeId;
  private final String instance;
  private final Engine.State state;
  private final ScheduledExecutorService executor;
  private final BlockingQueue<SecurityEvent> events = new ArrayBlockingQueue<>(QUEUE);
  private final BlockingQueue<ClusterCodec.Item> items = new ArrayBlockingQueue<>(QUEUE);
  private final Cache<Long, Boolean> announcedShared;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong lastSkipWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
  private final RuleSync rules;
  private final RateSync rates = new RateSync();
  private volatile int keep = 10_000;
  private volatile String health = "connecting";
  private volatile Instant since;
  private volatile String lastError = "";
  private volatile boolean flushing;

  ClusterLink(Engine.StateStore store, String name, String nodeId, Engine.State state, Duration sharedWindow) {
    this.store = store;
    this.name = name;
    this.nodeId = nodeId;
    this.state = state;
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.instance = HexFormat.of().formatHex(id);
    this.since = state.clock().instant();
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "gatehouse-cluster");
      t.setDaemon(true);
      return t;
    });
    ex.setRemoveOnCancelPolicy(true);
    this.executor = ex;
    this.announcedShared = Caffeine.newBuilder().maximumSize(65_536)
        .expireAfterWrite(sharedWindow.dividedBy(2)).executor(Runnable::run).build();
    this.rules = new RuleSync(store, executor, state.clock());
  }

  /** Connects to the store and starts sending; the rules are kept in step with {@code live}'s from now on. */
  void start(LivePolicy live) {
    rules.attach(live);
    store.start(this);
    executor.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(rules::reconcileNow, RuleSync.RECONCILE_MILLIS, RuleSync.RECONCILE_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Waits, at most {@code timeout}, for the first comparison of the rules with the store's. */
  boolean awaitFirstRuleSync(Duration timeout) {
    return rules.awaitFirst(timeout);
  }

  RuleSync rules() {
    return rules;
  }

  RateSync rates() {
    return rates;
  }

  String nodeId() {
    return nodeId;
  }

  /** How many events the shared log keeps: this instance's {@code gatehouse.events.capacity}. */
  void keepEvents(int capacity) {
    keep = capacity;
  }

  // ---- from request threads: never blocks, never throws

  void event(SecurityEvent e) {
    offer(events, e);
  }

  void evidence(IpAddress ip, long visitor, double points, boolean address, boolean cleared) {
    offer(items, new ClusterCodec.EvidenceItem(ip, visitor, points, address, cleared));
  }

  void revoked(long visitor, Duration lasts) {
    offer(items, new ClusterCodec.RevokeItem(visitor, Math.max(1, lasts.toMillis())));
  }

  /** An address this instance sees as shared; announced once per half window. */
  void shared(IpAddress ip) {
    long key = ip.hostKey();
    if (announcedShared.getIfPresent(key) == null) {
      announcedShared.put(key, Boolean.TRUE);
      offer(items, new ClusterCodec.SharedItem(ip));
    }
  }

  private <T> void offer(BlockingQueue<T> queue, T value) {
    if (!queue.offer(value)) {
      dropped.incrementAndGet();
    }
  }

  /**
   * Claims a challenge token's nonce across the cluster. Waits at most {@link #CLAIM_TIMEOUT}; when the
   * store does not answer in time, the token counts as unclaimed elsewhere (this instance has claimed it
   * already, so it is still redeemed once here).
   */
  boolean claim(String nonce, Duration lasts) {
    if (!health.equals("up")) {
      return true;
    }
    try {
      return store.claim("token:" + nonce, lasts).toCompletableFuture()
          .get(CLAIM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.debug("the store did not answer a token claim within {} ms; deciding locally", CLAIM_TIMEOUT.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (Exception e) {
      LOG.debug("a token claim failed ({}); deciding locally", e.toString());
      return true;
    }
  }

  /**
   * The cluster's events, newest first, with this instance's newest (perhaps not sent yet) merged in; empty
   * when the store cannot be reached within {@link #QUERY_TIMEOUT}.
   */
  Optional<EventLog> events(EventLog local) {
    if (!health.equals("up")) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = store.recentEvents(keep).toCompletableFuture().get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      LOG.debug("reading the cluster's events failed: {}", e.toString());
      return Optional.empty();
    }
    List<SecurityEvent> all = new ArrayList<>(lines.size());
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      try {
        SecurityEvent e = ClusterCodec.event(line);
        if (seen.add(e.rayId() + '\0' + e.action().id() + '\0' + e.ruleId())) {
          all.add(e);
        }
      } catch (IllegalArgumentException e) {
        skip("an event", e);
      }
    }
    for (SecurityEvent e : local.query(EventLog.Query.all(Math.max(1, Math.min(keep, QUEUE))))) {
      if (seen.add(e.rayId() + '\0' + e.action().id() + '\0' + e.ruleId())) {
        all.add(e);
      }
    }
    all.sort(Comparator.comparing(SecurityEvent::time));
    EventLog view = new EventLog(Math.max(1, all.size()), local.maxBytes());
    all.forEach(view::append);
    return Optional.of(view);
  }

  // ---- the link's own thread

  private void flush() {
    if (!health.equals("up") || flushing) {
      return;
    }
    flushing = true;
    try {
      List<SecurityEvent> batch = new ArrayList<>();
      events.drainTo(batch, EVENTS_PER_BATCH);
      if (!batch.isEmpty()) {
        List<String> lines = new ArrayList<>(batch.size());
        for (SecurityEvent e : batch) {
          lines.add(ClusterCodec.event(e));
        }
        send(store.appendEvents(lines, keep), lines.size());
      }
      List<ClusterCodec.Item> some = new ArrayList<>();
      items.drainTo(some, ITEMS_PER_BATCH);
      if (!some.isEmpty()) {
        send(store.broadcast(List.of(ClusterCodec.message(instance, some))), some.size());
      }
      try {
        rates.flush(store, state.nanos(), QUERY_TIMEOUT.toMillis());
      } catch (Exception e) {
        lastError = "synchronising rate limiting counters: " + e;
      }
    } catch (RuntimeException e) {
      LOG.warn("sending to the cluster failed", e);
    } finally {
      flushing = false;
    }
  }

  private void send(CompletionStage<?> stage, int count) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    try {
      f.get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      sent.addAndGet(count);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      dropped.addAndGet(count);
    } catch (Exception e) {
      dropped.addAndGet(count);
      lastError = e.toString();
    }
  }

  @Override
  public void up() {
    if (!health.equals("up")) {
      LOG.info("cluster '{}' up: {} (node {})", name, store.describe(), nodeId);
      health = "up";
      since = state.clock().instant();
    }
    executor.execute(rules::forgetVersion);
    rules.reconcileSoon();
  }

  @Override
  public void down(String why) {
    lastError = why == null ? "" : why;
    if (!health.equals("down")) {
      LOG.warn("cluster '{}' down: {} ({}); deciding with this instance's own state until it is back", name,
          store.describe(), lastError);
      health = "down";
      since = state.clock().instant();
    }
  }

  @Override
  public void rulesChanged() {
    rules.reconcileSoon();
  }

  @Override
  public void received(List<String> messages) {
    for (String line : messages) {
      int[] bad = new int[1];
      ClusterCodec.Message m;
      try {
        m = ClusterCodec.message(line, bad);
      } catch (IllegalArgumentException e) {
        skip("a message", e);
        continue;
      }
      if (bad[0] > 0) {
        skip(bad[0] + " items of a message", null);
      }
      if (m.from().equals(instance)) {
        continue;
      }
      for (ClusterCodec.Item item : m.items()) {
        apply(item);
      }
      received.addAndGet(m.items().size());
    }
  }

  private void apply(ClusterCodec.Item item) {
    if (item instanceof ClusterCodec.EvidenceItem e) {
      if (e.cleared()) {
        state.behaviour().noteClearanceEvidence();
      }
      state.behaviour().add(e.ip(), e.visitor(), e.points(), e.address());
    } else if (item instanceof ClusterCodec.RevokeItem r) {
      state.challenges().revoke(r.visitor(), Duration.ofMillis(r.millis()));
    } else if (item instanceof ClusterCodec.SharedItem s) {
      announcedShared.put(s.ip().hostKey(), Boolean.TRUE);
      state.shared().markShared(s.ip());
    }
  }

  /** Counts an entry that could not be used; logged at most once a minute, so a flood cannot fill logs. */
  void skip(String what, IllegalArgumentException why) {
    long n = skipped.incrementAndGet();
    long now = System.nanoTime();
    long last = lastSkipWarning.get();
    if (now - last >= WARN_INTERVAL_NANOS && lastSkipWarning.compareAndSet(last, now)) {
      LOG.warn("cluster '{}': skipped {} from the store that could not be read{} ({} skipped since start)", name, what,
          why == null ? "" : ": " + why.getMessage(), n);
    }
  }

  Status.Cluster status() {
    return new Status.Cluster(health, store.describe(), name, nodeId, since, lastError, events.size() + items.size(),
        dropped.get(), sent.get(), received.get(), skipped.get(), rules.pending(), rules.lastSync());
  }

  void close() {
    executor.shutdownNow();
    store.close();
  }
}
