package io.gatehouse.core.bot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.bot.BrowserIntegrityCheck.Result.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Browser Integrity Check: named heuristics over a request's User-Agent and headers that refuse
 * what no real browser sends — no User-Agent, a security tool's signature, a value no software writes,
 * a browser claim contradicted by the headers, a search-engine claim that DNS disproves — and record
 * softer signals (a scripting client, a headless browser, an unverified crawler claim) without refusing.
 *
 * <p>Every failing heuristic is chosen so that real browsers never fail it: a false positive locks a
 * person out, so a check that would also catch some browsers is a signal, not a failure. The reasoning
 * for each is in the package documentation.
 *
 * <p>A crawler verified as the one it names skips the check entirely. The check never waits: crawler
 * verification is done beforehand by {@link CrawlerVerifier}, which answers at once.
 *
 * <p>Instances are immutable and thread-safe; build one per configuration and share it.
 */
public final class BrowserIntegrityCheck {

  /** No User-Agent header, or only blanks. */
  public static final String MISSING_USER_AGENT = "missing_user_agent";
  /** A known security scanner or attack tool; the detail names the tool. */
  public static final String SCANNER_SIGNATURE = "scanner_signature";
  /** A User-Agent no software writes: control characters, absurd length, a counterfeit Mozilla token. */
  public static final String MALFORMED_USER_AGENT = "malformed_user_agent";
  /** Claims a mainstream browser but lacks a header that browser always sends. */
  public static final String BROWSER_HEADER_MISMATCH = "browser_header_mismatch";
  /** Claims a known crawler, and DNS shows the address is not that crawler's. */
  public static final String FAKE_SEARCH_ENGINE_BOT = "fake_search_engine_bot";
  /** An HTTP library or command-line client; fails only with {@code flagScriptingClients}. */
  public static final String SCRIPTING_CLIENT = "scripting_client";
  /** A headless browser (HeadlessChrome, PhantomJS): a signal, never a failure. */
  public static final String HEADLESS_BROWSER = "headless_browser";
  /** Claims a known crawler not verified yet: a signal; the request is judged as an ordinary visitor. */
  public static final String UNVERIFIED_CRAWLER = "unverified_crawler";

  private static final List<String> HEURISTICS = List.of(MISSING_USER_AGENT, MALFORMED_USER_AGENT,
      SCANNER_SIGNATURE, FAKE_SEARCH_ENGINE_BOT, BROWSER_HEADER_MISMATCH, SCRIPTING_CLIENT, HEADLESS_BROWSER,
      UNVERIFIED_CRAWLER);

  private final boolean flagScriptingClients;
  // Everything the heuristics read from the User-Agent alone, by User-Agent. Sites see few distinct
  // User-Agents, so most requests cost one hash lookup instead of several scans; a flood of random ones
  // only churns this cache, bounded in entries and bytes.
  private final Cache<String, Profile> profiles = Caffeine.newBuilder().maximumWeight(UserAgents.CACHE_BYTES)
      .weigher((String ua, Profile p) -> UserAgents.cacheWeight(ua)).executor(Runnable::run).build();
  private final Function<String, Profile> profiler = BrowserIntegrityCheck::profile;

  /** What the User-Agent alone says: each field a finding's detail, or {@code null}. */
  private record Profile(String malformed, String tool, String scriptingClient, String headless,
      String claimedBrowser) {
    boolean clean() {
      return malformed == null && tool == null && scriptingClient == null && headless == null;
    }
  }

  private static Profile profile(String ua) {
    return new Profile(UserAgents.malformed(ua), ScannerSignatures.find(ua), UserAgents.scriptingClient(ua),
        UserAgents.headless(ua), UserAgents.claimedBrowser(ua));
  }

  private BrowserIntegrityCheck(Builder b) {
    this.flagScriptingClients = b.flagScriptingClients;
  }

  /** The check with default options: scripting clients are a signal, not a failure. */
  public static BrowserIntegrityCheck defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every heuristic's name, in the order they run. The names are stable: events and docs use them. */
  public static List<String> heuristics() {
    return HEURISTICS;
  }

  /** The User-Agents whose profile is remembered now, and their weight in bytes (for tests). */
  long[] cached() {
    profiles.cleanUp();
    return new long[] {profiles.estimatedSize(),
        profiles.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L)};
  }

  /** Whether scripting clients fail the check rather than being recorded. */
  public boolean flagScriptingClients() {
    return flagScriptingClients;
  }

  /**
   * Runs every heuristic over the request.
   *
   * @param facts the request
   * @param crawler what {@link CrawlerVerifier} says about the request's crawler claim
   * @return every finding; {@link Result#CLEAN} for a verified crawler
   */
  public Result check(RequestFacts facts, CrawlerVerifier.Status crawler) {
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(crawler, "crawler");
    if (crawler.isVerified()) {
      return Result.CLEAN;
    }
    String ua = facts.header("User-Agent");
    if (ua == null || UserAgents.isBlank(ua)) {
      String detail = ua == null ? "no User-Agent header" : "blank User-Agent header";
      return Result.of(List.of(new Finding(MISSING_USER_AGENT, detail, true)));
    }
    // A huge User-Agent is not worth a cache entry; it is malformed anyway.
    Profile p = ua.length() > UserAgents.MAX_LENGTH ? profile(ua) : profiles.get(ua, profiler);
    boolean noClaim = crawler.kind() == CrawlerVerifier.Status.Kind.NOT_A_CRAWLER;
    String mismatch = noClaim ? headerMismatch(facts, p.claimedBrowser()) : null;
    if (p.clean() && mismatch == null && noClaim) {
      return Result.CLEAN;
    }
    List<Finding> findings = new ArrayList<>(2);
    if (p.malformed() != null) {
      findings.add(new Finding(MALFORMED_USER_AGENT, p.malformed(), true));
    }
    if (p.tool() != null) {
      findings.add(new Finding(SCANNER_SIGNATURE, p.tool(), true));
    }
    switch (crawler.kind()) {
      case IMPOSTOR -> findings.add(new Finding(FAKE_SEARCH_ENGINE_BOT,
          "claims " + crawler.crawler() + suffix(crawler.detail()), true));
      case PENDING -> findings.add(new Finding(UNVERIFIED_CRAWLER,
          "claims " + crawler.crawler() + suffix(crawler.detail()), false));
      case NOT_A_CRAWLER -> {
        if (mismatch != null) {
          findings.add(new Finding(BROWSER_HEADER_MISMATCH, mismatch, true));
        }
      }
      default -> { }
    }
    if (p.scriptingClient() != null) {
      findings.add(new Finding(SCRIPTING_CLIENT, p.scriptingClient(), flagScriptingClients));
    }
    if (p.headless() != null) {
      findings.add(new Finding(HEADLESS_BROWSER, p.headless(), false));
    }
    return Result.of(findings);
  }

  private static String suffix(String detail) {
    return detail.isEmpty() ? "" : "; " + detail;
  }

  /**
   * A mainstream browser claim contradicted by the headers, or {@code null}. Every Chrome, Firefox,
   * Safari, Edge and Opera sends {@code Accept} on every GET and HEAD: navigations and subresources carry
   * their type list, and fetch() and XMLHttpRequest add {@code Accept: *}{@code /*} when the page sets
   * none (the Fetch standard requires it; a page can change the value but not remove the header).
   * WebSocket handshakes, the one GET without it, carry {@code Upgrade} and are left alone, as are range
   * requests (download resumption and media players are browser components outside the page loader)
   * and other methods (CORS preflights, report uploads).
   */
  private static String headerMismatch(RequestFacts facts, String browser) {
    if (browser == null) {
      return null;
    }
    String method = facts.method();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return null;
    }
    if (facts.hasHeader("Accept") || facts.hasHeader("Upgrade") || facts.hasHeader("Range")) {
      return null;
    }
    return "claims " + browser + " but sent no Accept header";
  }

  /**
   * What the Browser Integrity Check found about one request.
   *
   * <p>Immutable and thread-safe.
   *
   * @param failed whether any finding is failing: the request is to be refused with error 1012
   * @param findings every failing finding and signal, in the order the heuristics ran
   */
  public record Result(boolean failed, List<Finding> findings) {

    /** Nothing found. */
    public static final Result CLEAN = new Result(false, List.of());

    public Result {
      findings = List.copyOf(findings);
      boolean anyFailing = findings.stream().anyMatch(Finding::failing);
      if (failed != anyFailing) {
        throw new IllegalArgumentException("failed must say whether a finding is failing");
      }
    }

    /** A result holding these findings, failed when one of them is. */
    public static Result of(List<Finding> findings) {
      return findings.isEmpty() ? CLEAN : new Result(findings.stream().anyMatch(Finding::failing), findings);
    }

    /** The first failing finding, the one an event names as the reason; {@code null} when none failed. */
    public Finding firstFailure() {
      for (Finding f : findings) {
        if (f.failing()) {
          return f;
        }
      }
      return null;
    }

    /**
     * One thing a heuristic noticed about a request. A failing finding is a reason to refuse the request
     * (error 1012); a non-failing one is a signal, recorded in events and explain output but deciding
     * nothing.
     *
     * <p>Immutable and thread-safe.
     *
     * @param heuristic the heuristic's stable snake_case name, as listed by
     *     {@link BrowserIntegrityCheck#heuristics()}
     * @param detail what was seen, for people: printable ASCII, never the raw header value
     * @param failing whether this finding fails the check
     */
    public record Finding(String heuristic, String detail, boolean failing) {

      public Finding {
        Objects.requireNonNull(heuristic, "heuristic");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /** Options for the check. Not thread-safe. */
  public static final class Builder {
    private boolean flagScriptingClients;

    private Builder() {}

    /**
     * Whether HTTP libraries and command-line clients ({@code curl}, {@code python-requests},
     * {@code Go-http-client}, ...) fail the check. Off by default: APIs, webhooks and monitoring use
     * them legitimately, so they are recorded as a signal unless a site serves people only.
     */
    public Builder flagScriptingClients(boolean flag) {
      this.flagScriptingClients = flag;
      return this;
    }

    public BrowserIntegrityCheck build() {
      return new BrowserIntegrityCheck(this);
    }
  }
}
