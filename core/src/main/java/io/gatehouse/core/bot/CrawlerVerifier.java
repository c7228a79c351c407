package io.gatehouse.core.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * Tells whether a request claiming to be a known crawler comes from it, without ever making a request
 * thread wait on DNS.
 *
 * <p>{@link #status} answers at once. A User-Agent naming no known crawler is
 * {@link CrawlerStatus.Kind#NOT_A_CRAWLER NOT_A_CRAWLER}. An address inside the crawler's configured
 * published ranges is {@link CrawlerStatus.Kind#VERIFIED VERIFIED} on the spot. Otherwise the answer is
 * whatever a finished verification left in the cache, or {@link CrawlerStatus.Kind#PENDING PENDING} while
 * one runs in the background: forward-confirmed reverse DNS, where the address's PTR name must be one of
 * the operator's documented domains (whole labels: {@code googlebot.com.evil.example} and
 * {@code evilgooglebot.com} are not {@code googlebot.com}) and that name must resolve back to the same
 * address.
 *
 * <p>Only an answer disproves a claim. A name outside the domains, a name that does not resolve back, or
 * an address without any name make the claim an {@link CrawlerStatus.Kind#IMPOSTOR IMPOSTOR}. A timeout,
 * a server failure, a full queue or a closed verifier prove nothing: the claim stays {@code PENDING} (an
 * ordinary visitor) and is tried again later. A crawler whose operator publishes ranges only is never
 * an impostor here: outside its configured ranges it stays unverified.
 *
 * <p>Verifications run on a small bounded pool with a deadline each; results are cached by
 * (crawler, address) in a bounded cache that forgets verified answers after 6 hours, impostors after 1
 * hour and failures after 5 minutes by default, timed by the injected ticker. Concurrent requests for
 * the same (crawler, address) share one verification.
 *
 * <p>Instances are thread-safe. {@link #close()} stops the background threads.
 */
public final class CrawlerVerifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CrawlerVerifier.class);
  private static final int MAX_NAMES = 8;
  private static final List<String> COMPARISON_WORDS = List.of("like", "with", "fake", "not", "unlike", "than", "as");

  private final PhraseMatcher<Crawler> claims;
  private final Map<String, List<IntervalIndex<Cidr>>> ranges;
  private final DnsResolver resolver;
  private final Duration timeout;
  private final Cache<Key, Outcome> cache;
  private final ConcurrentHashMap<Key, Attempt> inFlight = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CrawlerVerifier(Builder b) {
    PhraseMatcher.Builder<Crawler> matcher = PhraseMatcher.builder(ScannerSignatures.MAX_SCAN);
    for (Crawler crawler : b.crawlers) {
      for (String token : crawler.userAgentTokens()) {
        matcher.add(token, crawler);
      }
    }
    this.claims = matcher.build();
    Map<String, List<IntervalIndex<Cidr>>> r = new HashMap<>();
    b.ranges.forEach((name, list) -> r.put(name, List.copyOf(list)));
    this.ranges = Map.copyOf(r);
    this.resolver = b.resolver != null ? b.resolver : DnsResolver.system(b.timeout);
    this.timeout = b.timeout;
    Duration verifiedFor = b.verifiedFor;
    Duration impostorFor = b.impostorFor;
    Duration failureRetry = b.failureRetryAfter;
    LongSupplier ticker = b.ticker;
    this.cache = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .ticker(ticker::getAsLong)
        .executor(Runnable::run)
        .expireAfter(Expiry.writing((Key k, Outcome o) -> switch (o.kind()) {
          case VERIFIED -> verifiedFor;
          case IMPOSTOR -> impostorFor;
          case FAILED -> failureRetry;
        }))
        .build();
    this.workers = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(b.queueCapacity), daemonThreads("gatehouse-crawler-dns-"),
        new ThreadPoolExecutor.AbortPolicy());
    this.workers.allowCoreThreadTimeOut(true);
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("gatehouse-crawler-dns-deadline-"));
    this.timer.setRemoveOnCancelPolicy(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The known crawler a User-Agent claims to be, or {@code null}. Never consults DNS. A name after
   * {@code like}, {@code with}, {@code fake-} and similar words is a comparison, not a claim: feed readers
   * such as Feedly write {@code like FeedFetcher-Google}, and treating that as a claim would refuse them
   * as impostors.
   */
  public Crawler claimedCrawler(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    if (userAgent.length() > 1_024) {
      return scanClaim(userAgent);
    }
    // Few distinct User-Agents reach a site; remember each one's claim (NONE for no claim).
    Crawler c = claimsByAgent.get(userAgent, claimScanner);
    return c == NONE ? null : c;
  }

  private static final Crawler NONE = new Crawler("none", List.of("none"), List.of());
  private final Cache<String, Crawler> claimsByAgent = Caffeine.newBuilder().maximumSize(4_096)
      .executor(Runnable::run).build();
  private final java.util.function.Function<String, Crawler> claimScanner = ua -> {
    Crawler c = scanClaim(ua);
    return c == null ? NONE : c;
  };

  private Crawler scanClaim(String userAgent) {
    Crawler[] found = new Crawler[1];
    claims.scan(userAgent, (text, match) -> {
      if (comparison(text, match.start())) {
        return true;
      }
      found[0] = match.value();
      return false;
    });
    return found[0];
  }

  /** Whether the word before {@code start} (across spaces and hyphens) makes the name a comparison. */
  private static boolean comparison(CharSequence text, int start) {
    int k = start - 1;
    while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '-')) {
      k--;
    }
    int end = k + 1;
    while (k >= 0 && PhraseMatcher.isLetter(text.charAt(k)) && end - k <= 8) {
      k--;
    }
    if (k >= 0 && PhraseMatcher.isAlnum(text.charAt(k))) {
      return false;
    }
    String word = text.subSequence(k + 1, end).toString().toLowerCase(Locale.ROOT);
    return COMPARISON_WORDS.contains(word);
  }

  /**
   * What is known now about the request's crawler claim; starts a background verification when nothing
   * is. Never blocks.
   *
   * @param userAgent the request's User-Agent, possibly {@code null}
   * @param client the client address, or {@code null} when it is unknown (the claim then stays unverified)
   */
  public CrawlerStatus status(String userAgent, IpAddress client) {
    Crawler crawler = claimedCrawler(userAgent);
    if (crawler == null) {
      return CrawlerStatus.NOT_A_CRAWLER;
    }
    CrawlerStatus immediate = immediate(crawler, client);
    if (immediate != null) {
      return immediate;
    }
    Key key = new Key(crawler.name(), client);
    Outcome cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached.status(crawler);
    }
    if (closed.get()) {
      return CrawlerStatus.pending(crawler.name(), "verifier closed");
    }
    Attempt attempt = start(key, crawler);
    return attempt.result.isDone() ? attempt.result.join().status(crawler)
        : CrawlerStatus.pending(crawler.name(), "verifying " + client);
  }

  /**
   * Like {@link #status}, but the future completes with the settled status once verification finishes
   * (within the timeout). For tools and explain output; request handling uses {@link #status}.
   */
  public CompletableFuture<CrawlerStatus> verify(String userAgent, IpAddress client) {
    Crawler crawler = claimedCrawler(userAgent);
    if (crawler == null) {
      return CompletableFuture.completedFuture(CrawlerStatus.NOT_A_CRAWLER);
    }
    CrawlerStatus immediate = immediate(crawler, client);
    if (immediate != null) {
      return CompletableFuture.completedFuture(immediate);
    }
    Key key = new Key(crawler.name(), client);
    Outcome cached = cache.getIfPresent(key);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached.status(crawler));
    }
    return start(key, crawler).result.thenApply(o -> o.status(crawler));
  }

  /** Answers that need no DNS: unknown client, published ranges, crawlers without a DNS method. */
  private CrawlerStatus immediate(Crawler crawler, IpAddress client) {
    if (client == null) {
      return CrawlerStatus.pending(crawler.name(), "client address unknown");
    }
    List<IntervalIndex<Cidr>> published = ranges.get(crawler.name());
    if (published != null) {
      for (IntervalIndex<Cidr> index : published) {
        Cidr network = index.get(client);
        if (network != null) {
          return CrawlerStatus.verified(crawler.name(), "inside published range " + network);
        }
      }
    }
    if (!crawler.verifiableByDns()) {
      return CrawlerStatus.pending(crawler.name(), published == null
          ? "verifiable only by published ranges, none configured"
          : client + " is outside the published ranges");
    }
    return null;
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
      Future<?> task = workers.submit(() -> settle(key, mine, lookup(crawler, key.address()), true));
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

  /** Forward-confirmed reverse DNS for one address. */
  private Outcome lookup(Crawler crawler, IpAddress address) {
    List<String> names;
    try {
      names = resolver.reverse(address);
    } catch (Exception e) {
      return Outcome.failed("reverse lookup of " + address + " failed: " + describe(e));
    }
    if (names == null || names.isEmpty()) {
      return Outcome.impostor(address + " has no reverse DNS name");
    }
    String outside = null;
    String unconfirmed = null;
    String failure = null;
    int looked = 0;
    for (String raw : names) {
      if (looked++ == MAX_NAMES) {
        break;
      }
      String name = normalize(raw);
      if (name == null || !underDomains(name, crawler.reverseDnsDomains())) {
        if (outside == null) {
          outside = name == null ? "'" + UserAgents.printable(String.valueOf(raw)) + "'" : name;
        }
        continue;
      }
      List<IpAddress> addresses;
      try {
        addresses = resolver.forward(name);
      } catch (Exception e) {
        failure = "forward lookup of " + name + " failed: " + describe(e);
        continue;
      }
      if (addresses != null && addresses.contains(address)) {
        return Outcome.verified(name);
      }
      if (unconfirmed == null) {
        unconfirmed = name;
      }
    }
    if (failure != null) {
      return Outcome.failed(failure);
    }
    if (unconfirmed != null) {
      return Outcome.impostor(unconfirmed + " does not resolve back to " + address);
    }
    return Outcome.impostor(address + " resolves to " + outside + ", not under "
        + String.join(", ", crawler.reverseDnsDomains()));
  }

  private static String describe(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt(); // cancelled at the deadline or on close
    }
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    return UserAgents.printable(text);
  }

  /** A PTR name in lower case without its trailing dot, or {@code null} when it is not a host name. */
  static String normalize(String name) {
    if (name == null) {
      return null;
    }
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    n = n.toLowerCase(Locale.ROOT);
    return isHostName(n) ? n : null;
  }

  /** Whether {@code name} is one of {@code domains} or ends in {@code .} and one of them. */
  static boolean underDomains(String name, List<String> domains) {
    for (String domain : domains) {
      if (name.equals(domain)
          || (name.length() > domain.length() + 1 && name.endsWith(domain)
              && name.charAt(name.length() - domain.length() - 1) == '.')) {
        return true;
      }
    }
    return false;
  }

  /** Letters, digits, hyphens and underscores in dot-separated labels of 1-63 characters, 253 at most. */
  static boolean isHostName(String name) {
    if (name == null || name.isEmpty() || name.length() > 253) {
      return false;
    }
    int label = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
      } else if (PhraseMatcher.isAlnum(c) || c == '-' || c == '_') {
        if (++label > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return label > 0;
  }

  /**
   * Stops the background threads. Verifications not finished stay unverified; {@link #status} keeps
   * answering from the cache and ranges, and {@code PENDING} for the rest.
   */
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

  /** The number of verifications running or queued; for tests and metrics. */
  int inFlight() {
    return inFlight.size();
  }

  /** The number of cached results after pending evictions; for tests and metrics. */
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

  /** A finished verification. */
  private record Outcome(Kind kind, String detail) {
    enum Kind { VERIFIED, IMPOSTOR, FAILED }

    static Outcome verified(String host) {
      return new Outcome(Kind.VERIFIED, host);
    }

    static Outcome impostor(String why) {
      return new Outcome(Kind.IMPOSTOR, why);
    }

    static Outcome failed(String why) {
      return new Outcome(Kind.FAILED, why);
    }

    CrawlerStatus status(Crawler crawler) {
      return switch (kind) {
        case VERIFIED -> CrawlerStatus.verified(crawler.name(), detail);
        case IMPOSTOR -> CrawlerStatus.impostor(crawler.name(), detail);
        case FAILED -> CrawlerStatus.pending(crawler.name(), detail + "; will retry");
      };
    }
  }

  /** Configures a verifier. Not thread-safe. */
  public static final class Builder {
    private List<Crawler> crawlers = KnownCrawlers.defaults();
    private final Map<String, List<IntervalIndex<Cidr>>> ranges = new LinkedHashMap<>();
    private DnsResolver resolver;
    private Duration timeout = Duration.ofSeconds(2);
    private int threads = 2;
    private int queueCapacity = 256;
    private long maximumSize = 10_000;
    private Duration verifiedFor = Duration.ofHours(6);
    private Duration impostorFor = Duration.ofHours(1);
    private Duration failureRetryAfter = Duration.ofMinutes(5);
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /** The crawler table; {@link KnownCrawlers#defaults()} unless set. Names must be unique. */
    public Builder crawlers(List<Crawler> crawlers) {
      List<Crawler> copy = List.copyOf(crawlers);
      Map<String, Crawler> seen = new HashMap<>();
      for (Crawler c : copy) {
        if (seen.put(c.name(), c) != null) {
          throw new IllegalArgumentException("crawler '" + c.name() + "' is listed twice");
        }
      }
      this.crawlers = copy;
      return this;
    }

    /** The DNS resolver; {@link DnsResolver#system} with the timeout unless set. */
    public Builder resolver(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Addresses of {@code crawler} verified without DNS. May be called several times per crawler. */
    public Builder publishedRanges(String crawler, IntervalIndex<Cidr> published) {
      Objects.requireNonNull(published, "published");
      ranges.computeIfAbsent(Objects.requireNonNull(crawler, "crawler"), k -> new ArrayList<>()).add(published);
      return this;
    }

    /**
     * Loads a ranges file for {@code crawler} (see {@link PublishedRanges}).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public Builder publishedRangesFile(String crawler, Path file) throws IOException {
      return publishedRanges(crawler, PublishedRanges.load(file));
    }

    /** The deadline for one verification, DNS questions included; 2 seconds unless set. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** Background threads; 2 unless set. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be 1..64, not " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Verifications that may wait for a thread; more are refused (and retried on a later request). */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be positive, not " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** Cached (crawler, address) results; 10,000 unless set. */
    public Builder maximumSize(long size) {
      if (size < 1) {
        throw new IllegalArgumentException("maximum size must be positive, not " + size);
      }
      this.maximumSize = size;
      return this;
    }

    /** How long a verified address stays verified; 6 hours unless set. */
    public Builder verifiedFor(Duration d) {
      this.verifiedFor = positive(d, "verifiedFor");
      return this;
    }

    /** How long an impostor stays one; 1 hour unless set. */
    public Builder impostorFor(Duration d) {
      this.impostorFor = positive(d, "impostorFor");
      return this;
    }

    /** How long after a failed lookup (timeout, server failure) to try again; 5 minutes unless set. */
    public Builder failureRetryAfter(Duration d) {
      this.failureRetryAfter = positive(d, "failureRetryAfter");
      return this;
    }

    /** The monotonic clock, in nanoseconds, that times cache expiry; {@link System#nanoTime} unless set. */
    public Builder ticker(LongSupplier nanos) {
      this.ticker = Objects.requireNonNull(nanos, "nanos");
      return this;
    }

    /**
     * Builds the verifier and starts nothing yet: threads start with the first verification.
     *
     * @throws IllegalArgumentException if ranges name a crawler that is not in the table
     */
    public CrawlerVerifier build() {
      for (String name : ranges.keySet()) {
        if (crawlers.stream().noneMatch(c -> c.name().equals(name))) {
          throw new IllegalArgumentException("published ranges for unknown crawler '" + name + "'; known: "
              + crawlers.stream().map(Crawler::name).toList());
        }
      }
      return new CrawlerVerifier(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + d);
      }
      return d;
    }
  }
}
