package io.gatehouse.core.bot;

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
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Tells whether a request claiming to be a known crawler comes from it, without ever making a request
 * thread wait on DNS.
 *
 * <p>{@link #status} answers at once. A User-Agent naming no known crawler is
 * {@link Status.Kind#NOT_A_CRAWLER NOT_A_CRAWLER}. An address inside the crawler's configured
 * published ranges is {@link Status.Kind#VERIFIED VERIFIED} on the spot. Otherwise the answer is
 * whatever a finished verification left in the cache, or {@link Status.Kind#PENDING PENDING} while
 * one runs in the background: forward-confirmed reverse DNS, where the address's PTR name must be one of
 * the operator's documented domains (whole labels: {@code googlebot.com.evil.example} and
 * {@code evilgooglebot.com} are not {@code googlebot.com}) and that name must resolve back to the same
 * address.
 *
 * <p>Only an answer disproves a claim. A name outside the domains, a name that does not resolve back, or
 * an address without any name make the claim an {@link Status.Kind#IMPOSTOR IMPOSTOR}. A timeout,
 * a server failure, a full queue or a closed verifier prove nothing: the claim stays {@code PENDING} (an
 * ordinary visitor) and is tried again later. A crawler whose operator publishes ranges only is never
 * an impostor here: outside its configured ranges it stays unverified.
 *
 * <p>Verifications run on a small bounded pool with a deadline each; results are cached by
 * (crawler, address) in a bounded cache that forgets verified answers after 6 hours, impostors after 1
 * hour and failures after 5 minutes by default, timed by the injected ticker. Concurrent requests for
 * the same (crawler, address) share one verification.
 *
 * <p>This class answers from published ranges and holds the configuration; the rest is done by parts
 * with one job each: {@code CrawlerClaims} reads the claim from the User-Agent, {@code CrawlerHostNames}
 * says which reverse DNS names belong to which crawler, {@code ForwardConfirmedDns} asks DNS, and
 * {@code DnsVerifications} runs that off the request thread with its cache, pool and deadlines.
 *
 * <p>Instances are thread-safe. {@link #close()} stops the background threads.
 */
public final class CrawlerVerifier implements AutoCloseable {

  private final CrawlerClaims claims;
  private final Map<String, List<IntervalIndex<Cidr>>> ranges;
  private final DnsVerifications dns;

  private CrawlerVerifier(Builder b) {
    this.claims = new CrawlerClaims(b.crawlers);
    Map<String, List<IntervalIndex<Cidr>>> r = new HashMap<>();
    b.ranges.forEach((name, list) -> r.put(name, List.copyOf(list)));
    this.ranges = Map.copyOf(r);
    DnsResolver resolver = b.resolver != null ? b.resolver : DnsResolver.system(b.timeout);
    this.dns = new DnsVerifications(new ForwardConfirmedDns(resolver), new DnsVerifications.Limits(b.timeout,
        b.threads, b.queueCapacity, b.maximumSize, b.verifiedFor, b.impostorFor, b.failureRetryAfter, b.ticker));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The name of the built-in crawler whose configuration id is {@code id}, ignoring case, or {@code null}.
   * A crawler's id is its name in lower case with spaces as dashes: {@code googlebot},
   * {@code yahoo-slurp}.
   */
  public static String crawlerNamed(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    String name = null;
    for (Crawler c : KnownCrawlers.defaults()) {
      if (crawlerId(c.name()).equals(wanted)) {
        name = c.name();
      }
    }
    return name;
  }

  /** The configuration ids of the built-in crawlers, in table order (see {@link #crawlerNamed}). */
  public static List<String> crawlerIds() {
    return KnownCrawlers.defaults().stream().map(c -> crawlerId(c.name())).toList();
  }

  private static String crawlerId(String name) {
    return name.toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  /**
   * The networks a published ranges file lists (Google's JSON shape), in an index whose values are the
   * networks themselves, for {@link Builder#publishedRanges}. A file is all or nothing.
   *
   * @throws IOException naming the file and every bad entry (the first ten)
   */
  public static IntervalIndex<Cidr> loadRanges(Path file) throws IOException {
    return PublishedRanges.load(file);
  }

  /**
   * The known crawler a User-Agent claims to be, or {@code null}. Never consults DNS. A name after
   * {@code like}, {@code with}, {@code fake-} and similar words is a comparison, not a claim: feed readers
   * such as Feedly write {@code like FeedFetcher-Google}, and treating that as a claim would refuse them
   * as impostors.
   */
  Crawler claimedCrawler(String userAgent) {
    return claims.claimed(userAgent);
  }

  /**
   * What is known now about the request's crawler claim; starts a background verification when nothing
   * is. Never blocks.
   *
   * @param userAgent the request's User-Agent, possibly {@code null}
   * @param client the client address, or {@code null} when it is unknown (the claim then stays unverified)
   */
  public Status status(String userAgent, IpAddress client) {
    Crawler crawler = claimedCrawler(userAgent);
    if (crawler == null) {
      return Status.NOT_A_CRAWLER;
    }
    Status immediate = immediate(crawler, client);
    return immediate != null ? immediate : dns.status(crawler, client);
  }

  /**
   * Like {@link #status}, but the future completes with the settled status once verification finishes
   * (within the timeout). For tools and explain output; request handling uses {@link #status}.
   */
  public CompletableFuture<Status> verify(String userAgent, IpAddress client) {
    Crawler crawler = claimedCrawler(userAgent);
    if (crawler == null) {
      return CompletableFuture.completedFuture(Status.NOT_A_CRAWLER);
    }
    Status immediate = immediate(crawler, client);
    return immediate != null ? CompletableFuture.completedFuture(immediate) : dns.verify(crawler, client);
  }

  /** Answers that need no DNS: unknown client, published ranges, crawlers without a DNS method. */
  private Status immediate(Crawler crawler, IpAddress client) {
    if (client == null) {
      return Status.pending(crawler.name(), "client address unknown");
    }
    List<IntervalIndex<Cidr>> published = ranges.get(crawler.name());
    if (published != null) {
      for (IntervalIndex<Cidr> index : published) {
        Cidr network = index.get(client);
        if (network != null) {
          return Status.verified(crawler.name(), "inside published range " + network);
        }
      }
    }
    if (!crawler.verifiableByDns()) {
      return Status.pending(crawler.name(), published == null
          ? "verifiable only by published ranges, none configured"
          : client + " is outside the published ranges");
    }
    return null;
  }

  /**
   * Stops the background threads. Verifications not finished stay unverified; {@link #status} keeps
   * answering from the cache and ranges, and {@code PENDING} for the rest.
   */
  @Override
  public void close() {
    dns.close();
  }

  /** The number of verifications running or queued; for tests and metrics. */
  int inFlight() {
    return dns.inFlight();
  }

  /** The number of cached results after pending evictions; for tests and metrics. */
  long cachedCount() {
    return dns.cachedCount();
  }

  /**
   * The category of a crawler, as Cloudflare's {@code cf.verified_bot_category} names it: "Search Engine
   * Crawler", "AI Crawler", "Search Engine Optimization", "Advertising & Marketing", "Feed Fetcher", or
   * "Other" for a crawler configured with published ranges only.
   */
  public static String category(String crawler) {
    return KnownCrawlers.category(crawler);
  }

  /**
   * What is known about a request's claim to come from a known crawler, as {@link CrawlerVerifier} answers
   * at once without waiting on DNS.
   *
   * <p>Immutable and thread-safe.
   *
   * @param kind the state of the claim
   * @param crawler the claimed crawler's name (as in {@code KnownCrawlers}); empty for
   *     {@link Kind#NOT_A_CRAWLER}
   * @param detail how the claim was settled, for events and explain output (a host name, a published
   *     network, or why it failed); may be empty
   */
  public record Status(Kind kind, String crawler, String detail) {

    /** The state of a crawler claim. */
    public enum Kind {
      /** The User-Agent names no known crawler. */
      NOT_A_CRAWLER,
      /**
       * The User-Agent names a known crawler that is not verified yet, or cannot be: treat the request as
       * an ordinary visitor.
       */
      PENDING,
      /** The address is the crawler's, by its published ranges or forward-confirmed reverse DNS. */
      VERIFIED,
      /** DNS answered, and the answer shows the address is not the crawler's. */
      IMPOSTOR,
    }

    /** The status of a request whose User-Agent names no known crawler. */
    public static final Status NOT_A_CRAWLER = new Status(Kind.NOT_A_CRAWLER, "", "");

    public Status {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(crawler, "crawler");
      Objects.requireNonNull(detail, "detail");
      if ((kind == Kind.NOT_A_CRAWLER) != crawler.isEmpty()) {
        throw new IllegalArgumentException("a claim names its crawler, and only a claim does");
      }
    }

    public static Status pending(String crawler, String detail) {
      return new Status(Kind.PENDING, crawler, detail);
    }

    public static Status verified(String crawler, String detail) {
      return new Status(Kind.VERIFIED, crawler, detail);
    }

    public static Status impostor(String crawler, String detail) {
      return new Status(Kind.IMPOSTOR, crawler, detail);
    }

    /** Whether the request is from the crawler it names. */
    public boolean isVerified() {
      return kind == Kind.VERIFIED;
    }

    /** Whether the User-Agent names a known crawler at all. */
    public boolean isClaim() {
      return kind != Kind.NOT_A_CRAWLER;
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
    Builder crawlers(List<Crawler> crawlers) {
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

  /**
   * The two DNS questions crawler verification asks. Implementations must tell "no such record" apart
   * from "could not find out", because only the first can prove a crawler claim false.
   *
   * <p>Implementations must be thread-safe: verifications run concurrently.
   */
  public interface DnsResolver {

    /**
     * The PTR names of an address, as DNS returns them (a trailing dot is allowed).
     *
     * @return the names; empty when DNS answers that the address has none
     * @throws Exception when the question could not be answered (timeout, server failure, no network)
     */
    List<String> reverse(IpAddress address) throws Exception;

    /**
     * The IPv4 and IPv6 addresses of a name.
     *
     * @return the addresses; empty when DNS answers that the name does not exist or has none
     * @throws Exception when the question could not be answered
     */
    List<IpAddress> forward(String name) throws Exception;

    /**
     * A resolver over the JDK's DNS client, asking the system's configured name servers with the given
     * timeout per question. Unlike {@code InetAddress.getCanonicalHostName()}, which returns the address
     * itself both when there is no PTR record and when DNS is down, it reports the two differently.
     */
    static DnsResolver system(Duration timeout) {
      return new JndiDnsResolver("dns:", timeout);
    }
  }
}
