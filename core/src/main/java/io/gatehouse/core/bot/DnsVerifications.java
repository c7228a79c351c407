package io.gatehouse.core.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.core.bot.ForwardConfirmedDns.Outcome;
import io.gatehouse.core.net.IpAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ForwardConfirmedDns} off the request thread and remembers what it found, so that a request
 * never waits on DNS and DNS is not asked again for every request.
 *
 * <p>Verifications run on a small bounded pool with a bounded queue and a deadline each; a full queue is
 * refused rather than queued without limit, because every queued verification is one an attacker can
 * cause by changing address. Results are cached by (crawler, address) in a bounded cache, each kind of
 * outcome for its own time on the injected ticker: a timeout or server failure is kept briefly so that an
 * outage is not asked about on every request, while a refusal (full queue, closed) is not kept at all, so
 * a later request tries again. Concurrent requests for the same (crawler, address) share one
 * verification.
 *
 * <p>Thread-safe. {@link #close()} stops the background threads.
 */
final class DnsVerifications implements AutoCloseable {

  // Logged under the public entry's name, the one operators configure logging for.
  private static final Logger LOG = LoggerFactory.getLogger(CrawlerVerifier.class);

  /**
   * How verifications run and how long their outcomes are kept.
   *
   * @param ticker the monotonic clock, in nanoseconds, that times cache expiry
   */
  record Limits(Duration timeout, int threads, int queueCapacity, long maximumSize, Duration verifiedFor,
      Duration impostorFor, Duration failureRetryAfter, LongSupplier ticker) {}

  private final ForwardConfirmedDns dns;
  private final Duration timeout;
  private final Cache<Key, Outcome> cache;
  private final ConcurrentHashMap<Key, Attempt> inFlight = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicBoolean closed = new AtomicBoolean();

  DnsVerifications(ForwardConfirmedDns dns, Limits limits) {
    this.dns = dns;
    this.timeout = limits.timeout();
    Duration verifiedFor = limits.verifiedFor();
    Duration impostorFor = limits.impostorFor();
    Duration failureRetry = limits.failureRetryAfter();
    LongSupplier ticker = limits.ticker();
    this.cache = Caffeine.newBuilder()
        .maximumSize(limits.maximumSize())
        .ticker(ticker::getAsLong)
        .executor(Runnable::run)
        .expireAfter(Expiry.writing((Key k, Outcome o) -> switch (o.kind()) {
          case VERIFIED -> verifiedFor;
          case IMPOSTOR -> impostorFor;
          case FAILED -> failureRetry;
        }))
        .build();
    this.workers = new ThreadPoolExecutor(limits.threads(), limits.threads(), 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queueCapacity()), daemonThreads("gatehouse-crawler-dns-"),
        new ThreadPoolExecutor.AbortPolicy());
    this.workers.allowCoreThreadTimeOut(true);
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("gatehouse-crawler-dns-deadline-"));
    this.timer.setRemoveOnCancelPolicy(true);
  }

  /** What is known now about {@code client} being {@code crawler}'s, starting a verification if nothing is. */
  CrawlerVerifier.Status status(Crawler crawler, IpAddress client) {
    Key key = new Key(crawler.name(), client);
    Outcome cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached.status(crawler);
    }
    if (closed.get()) {
      return CrawlerVerifier.Status.pending(crawler.name(), "verifier closed");
    }
    Attempt attempt = start(key, crawler);
    return attempt.result.isDone() ? attempt.result.join().status(crawler)
        : CrawlerVerifier.Status.pending(crawler.name(), "verifying " + client);
  }

  /** Like {@link #status}, completing with the settled status once the verification finishes. */
  CompletableFuture<CrawlerVerifier.Status> verify(Crawler crawler, IpAddress client) {
    Key key = new Key(crawler.name(), client);
    Outcome cached = cache.getIfPresent(key);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached.status(crawler));
    }
    return start(key, crawler).result.thenApply(o -> o.status(crawler));
  }

  /** The running verification for this key, starting one if there is none. */
  private Attempt start(Key key, Crawler crawler) {
    Attempt mine = new Attempt();
    Attempt running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    // A verification may have finished between the cache miss and our registration.
    Outcome cached = cache.getIfPresent(key);
    if (cached != null) {
      inFlight.remove(key, mine);
      mine.result.complete(cached);
      return mine;
    }
    try {
      Future<?> task = workers.submit(() -> settle(key, mine, dns.check(crawler, key.address()), true));
      mine.deadline = timer.schedule(() -> {
        if (!mine.result.isDone()) {
          settle(key, mine, Outcome.failed("no answer within " + timeout.toMillis() + " ms"), true);
          task.cancel(true); // frees the thread if the resolver responds to interruption
        }
      }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Queue full or closed: prove nothing and remember nothing, so a later request tries again.
      settle(key, mine, Outcome.failed(closed.get() ? "verifier closed" : "verification queue full"), false);
    }
    return mine;
  }

  /** Records an outcome once per attempt: the first of the lookup and its deadline wins. */
  private void settle(Key key, Attempt attempt, Outcome outcome, boolean remember) {
    if (!attempt.settled.compareAndSet(false, true)) {
      return;
    }
    if (remember && !closed.get()) {
      cache.put(key, outcome);
    }
    inFlight.remove(key, attempt);
    Future<?> deadline = attempt.deadline;
    if (deadline != null) {
      deadline.cancel(false);
    }
    attempt.result.complete(outcome);
  }

  /** Stops the background threads; verifications not finished settle as failures, remembered nowhere. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Map.Entry<Key, Attempt> e : inFlight.entrySet()) {
      settle(e.getKey(), e.getValue(), Outcome.failed("verifier closed"), false);
    }
    workers.shutdownNow();
    timer.shutdownNow();
  }

  /** The number of verifications running or queued. */
  int inFlight() {
    return inFlight.size();
  }

  /** The number of cached results after pending evictions. */
  long cachedCount() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> LOG.warn("crawler verification thread failed", e));
      return t;
    };
  }

  private record Key(String crawler, IpAddress address) {}

  private static final class Attempt {
    final CompletableFuture<Outcome> result = new CompletableFuture<>();
    final AtomicBoolean settled = new AtomicBoolean();
    volatile Future<?> deadline;
  }
}
