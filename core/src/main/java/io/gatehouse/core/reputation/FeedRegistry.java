package io.gatehouse.core.reputation;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured reputation feeds, refreshed in the background, and the one index that answers which
 * of them list an address. Every feed's data is merged into a single {@link IntervalIndex} of
 * {@link Hit}s, rebuilt off the request path whenever a feed changes, so scoring a request is one
 * binary search however many feeds there are.
 *
 * <p>Feeds outlive configuration reloads: a reload that keeps a feed's settings keeps its data and its
 * schedule. A reload is prepared (feeds loaded, nothing started) while the configuration compiles and
 * committed only if it is applied.
 *
 * <p>Thread-safe.
 */
public final class FeedRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.reputation");

  /** Feeds loaded for a configuration that is not applied yet. */
  public static final class Prepared {
    final Map<String, LiveFeed> feeds;

    Prepared(Map<String, LiveFeed> feeds) {
      this.feeds = feeds;
    }
  }

  /**
   * One configured feed ({@code gatehouse.reputation.feed.NAME.*}).
   *
   * @param name the feed's name
   * @param url the {@code http(s)} URL it is fetched from, or {@code null} for a file
   * @param file the file it is read from, or {@code null} for a URL
   * @param score the threat score of a listed address (CSV lines carry their own)
   * @param format the format
   * @param refresh how often it is fetched or re-read
   */
  public record Spec(String name, URI url, Path file, int score, Format format, Duration refresh) {

    public Spec {
      Objects.requireNonNull(name, "name");
      if ((url == null) == (file == null)) {
        throw new IllegalArgumentException("a feed has a URL or a file, not both or neither");
      }
    }

    /** The URL or file, as text. */
    public String source() {
      return url != null ? url.toString() : file.toString();
    }
  }

  /**
   * The feeds that list one address, and the score they give it (the highest of theirs). Shared between
   * all addresses listed by the same feeds with the same scores.
   *
   * @param score the highest listing score
   * @param listings every feed that lists the address, with its score, in configuration order
   */
  public record Hit(int score, List<Listing> listings) {

    /** One feed's listing. */
    public record Listing(String feed, int score) {
      @Override
      public String toString() {
        return feed + " " + score;
      }
    }

    public Hit {
      listings = List.copyOf(listings);
    }

    /** The names of the listing feeds. */
    public List<String> feeds() {
      return listings.stream().map(Listing::feed).toList();
    }

    /** Both hits together, the result interned in {@code interned} so equal combinations share one object. */
    static Hit combine(Hit a, Hit b, Map<List<Listing>, Hit> interned) {
      List<Listing> all = new ArrayList<>(a.listings.size() + b.listings.size());
      all.addAll(a.listings);
      all.addAll(b.listings);
      return interned.computeIfAbsent(all, l -> new Hit(Math.max(a.score, b.score), l));
    }

    @Override
    public String toString() {
      return listings.toString();
    }
  }

  private final Clock clock;
  private final LongSupplier ticker;
  // Made for the first URL feed only: a client starts a selector thread, which an application with file
  // feeds alone has no use for, and which would outlive a web application's undeploy.
  private HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Map<LiveFeed, ScheduledFuture<?>> schedules = new IdentityHashMap<>();
  private Map<String, LiveFeed> feeds = Map.of();
  private volatile IntervalIndex<Hit> combined = IntervalIndex.empty();
  private volatile Set<String> torFeeds = Set.of();

  /**
   * @param clock load and refresh times
   * @param ticker a monotonic clock in nanoseconds, for timing loads
   */
  public FeedRegistry(Clock clock, LongSupplier ticker) {
    this.ticker = ticker;
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-feeds");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads the feeds of a configuration without starting anything: feeds whose settings are unchanged are
   * reused as they are. A file feed that cannot be read or holds nothing usable is reported under its
   * name; a URL that cannot be fetched (and has no copy on disk) starts empty and is retried.
   */
  public synchronized Prepared prepare(List<Spec> specs, Path cacheDir, Duration timeout,
      Map<String, String> problemsByFeed) {
    Map<String, LiveFeed> next = new LinkedHashMap<>();
    boolean needsCache = specs.stream().anyMatch(s -> s.url() != null);
    if (needsCache && cacheDir != null) {
      try {
        Files.createDirectories(cacheDir);
      } catch (IOException e) {
        problemsByFeed.put("", "cannot create the feed cache directory " + cacheDir + ": " + e.getMessage());
        return new Prepared(next);
      }
    }
    for (Spec spec : specs) {
      LiveFeed live = feeds.values().stream().filter(f -> f.sameAs(spec, cacheDir, timeout)).findFirst().orElse(null);
      if (live == null) {
        live = new LiveFeed(spec, spec.url() != null ? http() : null, timeout, cacheDir, clock);
        try {
          live.initialLoad();
        } catch (IOException e) {
          problemsByFeed.put(spec.name(), e.getMessage());
          continue;
        }
      }
      next.put(spec.name(), live);
    }
    return new Prepared(next);
  }

  /** Makes a prepared set of feeds the live one: starts new schedules, stops the dropped ones. */
  public synchronized void commit(Prepared prepared) {
    Map<String, LiveFeed> old = feeds;
    feeds = prepared.feeds;
    for (LiveFeed f : old.values()) {
      if (!feeds.containsValue(f)) {
        ScheduledFuture<?> s = schedules.remove(f);
        if (s != null) {
          s.cancel(false);
        }
      }
    }
    for (LiveFeed f : feeds.values()) {
      if (!schedules.containsKey(f) && !scheduler.isShutdown()) {
        long every = f.spec.refresh().toMillis();
        schedules.put(f, scheduler.scheduleWithFixedDelay(() -> refresh(f), every, every, TimeUnit.MILLISECONDS));
      }
    }
    rebuild();
  }

  /** Refreshes one feed now (also what the schedule runs). */
  void refresh(LiveFeed f) {
    try {
      if (f.refresh()) {
        rebuild();
      }
    } catch (RuntimeException e) {
      LOG.warn("feed {}: refresh failed", f.spec.name(), e);
    }
  }

  /** Refreshes every feed now, in the calling thread; for the admin API and tests. */
  public void refreshAll() {
    List<LiveFeed> all;
    synchronized (this) {
      all = new ArrayList<>(feeds.values());
    }
    boolean changed = false;
    for (LiveFeed f : all) {
      changed |= f.refresh();
    }
    if (changed) {
      rebuild();
    }
  }

  private synchronized void rebuild() {
    long started = ticker.getAsLong();
    Map<List<Hit.Listing>, Hit> interned = new HashMap<>();
    IntervalIndex.Builder<Hit> b = IntervalIndex.merging((x, y) -> Hit.combine(x, y, interned));
    int ranges = 0;
    Set<String> tor = new HashSet<>();
    for (LiveFeed f : feeds.values()) {
      String name = f.spec.name();
      if (f.data().format() == Format.TOR_EXITS) {
        tor.add(name);
      }
      Map<Integer, Hit> byScore = new HashMap<>();
      IntervalIndex<Integer> scores = f.data().scores();
      scores.forEach((first, last, score) -> b.add(first, last, byScore.computeIfAbsent(score,
          s -> interned.computeIfAbsent(List.of(new Hit.Listing(name, s)), l -> new Hit(s, l)))));
      ranges += scores.sizeV4() + scores.sizeV6();
    }
    combined = b.build();
    torFeeds = Set.copyOf(tor);
    if (!feeds.isEmpty()) {
      LOG.info("reputation: {} feeds, {} ranges merged into {} in {} ms", feeds.size(), ranges,
          combined.sizeV4() + combined.sizeV6(), (ticker.getAsLong() - started) / 1_000_000);
    }
  }

  /** The feeds that list {@code ip}, or {@code null}. Never blocks. */
  public Hit lookup(IpAddress ip) {
    return ip == null ? null : combined.get(ip);
  }

  /** Whether {@code ip} is listed by a feed of Tor exits ({@code tor-exits}, given or detected). Never blocks. */
  public boolean isTorExit(IpAddress ip) {
    Set<String> tor = torFeeds;
    if (tor.isEmpty() || ip == null) {
      return false;
    }
    Hit hit = combined.get(ip);
    if (hit != null) {
      for (Hit.Listing listing : hit.listings()) {
        if (tor.contains(listing.feed())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every feed's status, in configuration order. */
  public synchronized List<Status> status() {
    List<Status> out = new ArrayList<>();
    for (LiveFeed f : feeds.values()) {
      out.add(f.status());
    }
    return out;
  }

  @Override
  public synchronized void close() {
    scheduler.shutdownNow();
    // Java 17's client has no close(): its selector thread ends once the client is unreachable.
    http = null;
  }

  private HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
          .build();
    }
    return http;
  }

  /** The formats a reputation feed may be written in. */
  public enum Format {
    /** Decide from the content. */
    AUTO,
    /** One address or network per line; {@code #} or {@code ;} start comments (FireHOL netsets and the like). */
    PLAIN,
    /** Spamhaus DROP: {@code CIDR ; SBLnnnnnn}, header lines starting with {@code ;}. */
    SPAMHAUS_DROP,
    /** {@code address-or-network,score} per line; the score (1..100) replaces the feed's. */
    CSV,
    /** Tor's {@code exit-addresses}: {@code ExitAddress <ip> <timestamp>} lines within node records. */
    TOR_EXITS;

    /** The name used in configuration: the constant's name in lower case, with {@code -} for {@code _}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format named {@code id}, or {@code null}. */
    public static Format fromId(String id) {
      for (Format f : values()) {
        if (f.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      return null;
    }
  }

  /**
   * What a feed holds and how its last refreshes went, for status pages and logs.
   *
   * @param name the feed's name
   * @param source its URL or file
   * @param format the format its content was read as
   * @param score its configured score
   * @param entries lines that listed an address or network
   * @param ranges disjoint address ranges after merging
   * @param rejected lines that were not used
   * @param rejectedSample the first rejected lines with numbers and reasons
   * @param loadedAt when the data in use was loaded, or null if never
   * @param loadedFrom where it came from: {@code file}, {@code url}, {@code cache} (the last good copy on
   *     disk, used while the URL could not be fetched), or {@code none}
   * @param lastAttempt when a refresh was last tried, or null
   * @param lastError why the last refresh failed, or null when it did not
   */
  public record Status(String name, String source, String format, int score, int entries, int ranges,
      int rejected, List<Rejected> rejectedSample, Instant loadedAt, String loadedFrom, Instant lastAttempt,
      String lastError) {

    /**
     * A feed line that was not used, and why. Rejected lines are counted and reported, never dropped in
     * silence: a feed whose format changed under it must be noticed.
     *
     * @param line the line number, from 1
     * @param text the line, cut to 120 characters
     * @param reason why it was rejected
     */
    public record Rejected(int line, String text, String reason) {

      @Override
      public String toString() {
        return "line " + line + ": " + reason + ": '" + text + "'";
      }
    }

    public Status {
      rejectedSample = List.copyOf(rejectedSample);
    }
  }
}
