package io.gatehouse.core.policy;

import io.gatehouse.core.Action;
import io.gatehouse.core.FailMode;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Source;
import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.ClientIpResolver;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.ConfigRule;
import io.gatehouse.core.rules.CustomRule;
import io.gatehouse.core.rules.RuleAction;
import io.gatehouse.core.rules.expr.Expression;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything requests are judged by, compiled from one configuration: settings, rule sets and geo
 * data. The engine builds its pipeline from it. A reload compiles a new policy and swaps it in whole, so every request is
 * judged by exactly one configuration, never by half of one.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Policy {

  private final ConfigSource source;
  private final Instant loadedAt;
  private final Mode mode;
  private final FailMode failMode;
  private final String nodeId;
  private final ClusterSettings cluster;
  private final ClientIpResolver clientIpResolver;
  private final GeoLookup geo;
  private final AccessRule.Table accessRules;
  private final ReputationSettings reputation;
  private final ChallengeSettings challenge;
  private final AdminSettings admin;
  private final PageSettings pages;
  private final int eventsCapacity;
  private final long eventsMaxBytes;
  private final Duration reloadInterval;
  private final Path accessRulesFile;
  private final FeedRegistry.Prepared feeds;
  private final Rules rules;
  private final BotSettings bots;
  private final int bodyInspectBytes;
  private final Set<String> fieldsRead;
  private final boolean exposeClientIp;

  /**
   * The rules-language part of a policy.
   *
   * @param lists the named lists
   * @param custom the custom rules, in file order
   * @param configuration the configuration rules, in file order
   * @param rateLimits the rate limiting rules, in file order
   * @param rateLimitKeys how many rate limiting counters are kept at most ({@code gatehouse.rate-limit.max-keys})
   */
  public record Rules(Expression.Lists lists, List<CustomRule> custom, List<ConfigRule> configuration,
      List<RateLimit> rateLimits, int rateLimitKeys) {
    public Rules {
      custom = List.copyOf(custom);
      configuration = List.copyOf(configuration);
      rateLimits = List.copyOf(rateLimits);
    }
  }

  /**
   * A rate limiting rule ({@code gatehouse.rate-limit.ID.*}): requests that match {@code expression} are
   * counted per key, the key made of the {@code characteristics}' values, over a sliding {@code period};
   * a key over {@code requests} is refused for {@code mitigationTimeout}, or (zero) only its requests over
   * the rate are.
   *
   * @param countingExpression which requests count, read once the application has answered (it may use
   *     {@code http.response.code}); {@code null}: every matching request counts when it arrives
   * @param scoreHeader a response header whose number is what a request counts, or {@code null} for 1
   * @param origin {@code file:line} of the rule's expression
   */
  public record RateLimit(String id, Expression expression, List<Characteristic> characteristics, Duration period,
      int requests, Duration mitigationTimeout, RuleAction action, Expression countingExpression,
      String scoreHeader, String origin) {

    public RateLimit {
      characteristics = List.copyOf(characteristics);
    }

    /** Whether a request counts when it arrives, rather than once the application has answered. */
    public boolean countsOnArrival() {
      return countingExpression == null && scoreHeader == null;
    }
  }

  /**
   * What a rate limiting counter is kept for: one part of its key.
   *
   * @param kind the field
   * @param name the header, cookie or query argument named, or {@code ""}
   */
  public record Characteristic(Kind kind, String name) {

    /** The fields a key can be made of. */
    public enum Kind {
      IP_SRC("ip.src"),
      VISITOR("cf.unique_visitor_id"),
      HEADER("http.request.headers"),
      COOKIE("http.request.cookies"),
      QUERY_ARG("http.request.uri.args"),
      PATH("http.request.uri.path"),
      HOST("http.host"),
      ASN("ip.src.asnum"),
      COUNTRY("ip.src.country");

      private final String field;

      Kind(String field) {
        this.field = field;
      }

      /** The field as the rules language names it. */
      public String field() {
        return field;
      }

      /** Whether the field is a map, read with {@code ["name"]}. */
      public boolean named() {
        return this == HEADER || this == COOKIE || this == QUERY_ARG;
      }
    }

    /** As written in configuration: {@code ip.src}, {@code http.request.headers["x-api-key"]}. */
    @Override
    public String toString() {
      return kind.named() ? kind.field() + "[\"" + name + "\"]" : kind.field();
    }
  }

  Policy(ConfigSource source, Instant loadedAt, Mode mode, FailMode failMode, String nodeId,
      ClientIpResolver clientIpResolver, GeoLookup geo, AccessRule.Table accessRules, ReputationSettings reputation,
      ChallengeSettings challenge, AdminSettings admin, PageSettings pages, int eventsCapacity, long eventsMaxBytes,
      Duration reloadInterval, Path accessRulesFile, FeedRegistry.Prepared feeds, Rules rules, BotSettings bots,
      ClusterSettings cluster, Set<String> fieldsRead, int bodyInspectBytes, boolean exposeClientIp) {
    this.source = source;
    this.loadedAt = loadedAt;
    this.mode = mode;
    this.failMode = failMode;
    this.nodeId = nodeId;
    this.clientIpResolver = clientIpResolver;
    this.geo = geo;
    this.accessRules = accessRules;
    this.reputation = reputation;
    this.challenge = challenge;
    this.admin = admin;
    this.pages = pages;
    this.eventsCapacity = eventsCapacity;
    this.eventsMaxBytes = eventsMaxBytes;
    this.reloadInterval = reloadInterval;
    this.accessRulesFile = accessRulesFile;
    this.feeds = feeds;
    this.rules = rules;
    this.bots = bots;
    this.cluster = cluster;
    this.exposeClientIp = exposeClientIp;
    this.bodyInspectBytes = bodyInspectBytes;
    this.fieldsRead = Set.copyOf(fieldsRead);
  }

  /**
   * The canonical names of the fields some rule reads ({@code ip.src}, {@code cf.edge.server_ip}, ...), so
   * that an adapter can leave out of the request's facts what no rule needs. Unmodifiable.
   */
  public Set<String> fieldsRead() {
    return fieldsRead;
  }

  /**
   * How many bytes of a request body to buffer for the rules: {@code gatehouse.body.inspect-bytes} when a
   * rule reads {@code http.request.body.*}, else 0, so that no request waits for a body no rule reads.
   */
  public int bodyInspectBytes() {
    return bodyInspectBytes;
  }

  /** Sharing state with other instances ({@code gatehouse.cluster.*}). */
  public ClusterSettings cluster() {
    return cluster;
  }

  /**
   * {@code gatehouse.client-ip.expose}: whether the application sees the resolved client as the request's
   * remote address and scheme.
   */
  public boolean exposeClientIp() {
    return exposeClientIp;
  }

  /** The Browser Integrity Check and crawler verification. */
  public BotSettings bots() {
    return bots;
  }

  /** Lists, custom rules and configuration rules. */
  public Rules rules() {
    return rules;
  }

  /** Where this policy's configuration came from. */
  public ConfigSource source() {
    return source;
  }

  /** When this policy was compiled. */
  public Instant loadedAt() {
    return loadedAt;
  }

  /** {@code gatehouse.mode}: whether mitigations are carried out. */
  public Mode mode() {
    return mode;
  }

  /** {@code gatehouse.on-error}: what an internal failure does. */
  public FailMode failMode() {
    return failMode;
  }

  /** {@code gatehouse.node-id}, or the empty string. */
  public String nodeId() {
    return nodeId;
  }

  /** How the client address is found ({@code gatehouse.client-ip.*}). */
  public ClientIpResolver clientIpResolver() {
    return clientIpResolver;
  }

  /** AS and country data ({@code gatehouse.geo.*}); {@link GeoLookup#NONE} when none is configured. */
  public GeoLookup geo() {
    return geo;
  }

  /** The IP Access Rules, from properties and the managed file. */
  public AccessRule.Table accessRules() {
    return accessRules;
  }

  /** Reputation feeds, behaviour, shared addresses and the Security Level. */
  public ReputationSettings reputation() {
    return reputation;
  }

  /** The challenge: secret, clearance lifetime, difficulty, path. */
  public ChallengeSettings challenge() {
    return challenge;
  }

  /** The admin endpoints: path, token, allowed addresses. */
  public AdminSettings admin() {
    return admin;
  }

  /** The feeds loaded for this policy, committed when it is put in force. */
  FeedRegistry.Prepared preparedFeeds() {
    return feeds;
  }

  /** What error pages show. */
  public PageSettings pages() {
    return pages;
  }

  /** {@code gatehouse.events.capacity}. */
  public int eventsCapacity() {
    return eventsCapacity;
  }

  /** {@code gatehouse.events.max-bytes}. */
  public long eventsMaxBytes() {
    return eventsMaxBytes;
  }

  /** How often configuration files are checked for changes, or {@code null} when they are not. */
  public Duration reloadInterval() {
    return reloadInterval;
  }

  /** {@code gatehouse.access-rules.file}, resolved, or {@code null}. */
  public Path accessRulesFile() {
    return accessRulesFile;
  }

  /** A one-line summary for logs and status. */
  public String summary() {
    int rules = accessRules.size();
    String geoText = geo == GeoLookup.NONE ? "no geo data" : "geo from " + geo;
    int feedCount = reputation.feeds().size();
    int custom = this.rules.custom().size();
    return (rules == 1 ? "1 access rule" : rules + " access rules") + ", "
        + (custom == 1 ? "1 custom rule" : custom + " custom rules") + ", "
        + (feedCount == 1 ? "1 feed" : feedCount + " feeds") + ", " + geoText + ", security level "
        + reputation.securityLevel().id() + ", mode " + mode.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The reputation and Security Level part of a policy ({@code gatehouse.reputation.*},
   * {@code gatehouse.shared-ip.*}, {@code gatehouse.security-level*}).
   *
   * @param feeds the configured feeds
   * @param cacheDir where fetched feeds are kept
   * @param fetchTimeout how long a feed fetch may take
   * @param halfLife how fast behaviour points decay
   * @param maxTracked how many visitors' behaviour is kept, and how many addresses'
   * @param maxTrackedBytes how much heap the behaviour kept may take, visitors and addresses together
   * @param points the points each source adds to the address's behaviour: a mitigation by a phase, a
   *     failed challenge, probing (many 403/404 on distinct paths)
   * @param probePaths how many distinct paths count as probing
   * @param probeWindow within how long
   * @param sharedRanges shared egress addresses (carrier-grade NAT and configured ranges)
   * @param sharedAction what a feed listing, unless its feed says otherwise, does to a shared address
   * @param detectVisitors distinct browser signatures within {@code detectWindow} that mark an address shared
   * @param detectWindow the window of that detection
   * @param securityLevel the default level
   * @param securityLevelAction what a visitor's own score over the level does, and a feed's listing unless
   *     the feed says otherwise
   * @param feedActions the feeds whose {@code action} is configured, with it
   */
  public record ReputationSettings(List<FeedRegistry.Spec> feeds, Path cacheDir, Duration fetchTimeout,
      Duration halfLife, int maxTracked, long maxTrackedBytes, Map<Source, Integer> points, int probePaths, Duration probeWindow,
      IntervalIndex<Boolean> sharedRanges, Action sharedAction, int detectVisitors, Duration detectWindow,
      SecurityLevel securityLevel, Action securityLevelAction, Map<String, Action> feedActions) {

    public ReputationSettings {
      feeds = List.copyOf(feeds);
      points = Map.copyOf(points);
      feedActions = Map.copyOf(feedActions);
    }

    /**
     * What a listing by {@code feed} does to an address over the level: the feed's own action, or for a
     * shared address {@code sharedAction}, or the level's action in force for the request.
     */
    public Action feedAction(String feed, boolean shared, Action levelAction) {
      Action own = feedActions.get(feed);
      return own != null ? own : shared ? sharedAction : levelAction;
    }

    /** Whether the address is a configured shared egress (carrier-grade NAT included). */
    public boolean isShared(IpAddress ip) {
      return ip != null && sharedRanges.get(ip) != null;
    }

    /** The behaviour points a mitigation by {@code source} is worth. */
    public int pointsFor(Source source) {
      return points.getOrDefault(source, 0);
    }
  }

  /**
   * The challenge part of a policy ({@code gatehouse.challenge.*}).
   *
   * @param secret the key clearances and tokens are signed with: the configured secret or the engine's
   *     random one
   * @param configuredSecret whether a secret was configured (instances then accept each other's clearances)
   * @param ttl how long a clearance lasts
   * @param difficulty leading zero bits the proof of work needs
   * @param path where the challenge page posts its solution
   */
  public record ChallengeSettings(byte[] secret, boolean configuredSecret, Duration ttl, int difficulty,
      String path) {

    public ChallengeSettings {
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }
  }

  /**
   * The Browser Integrity Check and crawler verification part of a policy
   * ({@code gatehouse.browser-integrity-check*}, {@code gatehouse.bots.*}).
   *
   * @param browserIntegrityCheck {@code gatehouse.browser-integrity-check}: whether the check runs unless a
   *     configuration rule says otherwise
   * @param check the heuristics, with their options
   * @param verifyDns whether claimed crawlers are verified by forward-confirmed reverse DNS
   * @param dnsTimeout the deadline for one verification
   * @param ranges published address ranges by crawler name, loaded from the configured files
   * @param verifier the verifier for these settings; kept across reloads that do not change them
   */
  public record BotSettings(boolean browserIntegrityCheck, BrowserIntegrityCheck check, boolean verifyDns, Duration dnsTimeout,
      Map<String, IntervalIndex<Cidr>> ranges, CrawlerVerifier verifier) {

    public BotSettings {
      ranges = Map.copyOf(ranges);
    }

    /** Whether a verifier made for {@code other} would be the same as this one's. */
    boolean sameVerification(boolean otherVerifyDns, Duration otherTimeout, Map<String, IntervalIndex<Cidr>> otherRanges) {
      if (verifyDns != otherVerifyDns || !dnsTimeout.equals(otherTimeout) || ranges.size() != otherRanges.size()) {
        return false;
      }
      for (Map.Entry<String, IntervalIndex<Cidr>> e : ranges.entrySet()) {
        // Unchanged files come back from the file cache as the very same index.
        if (otherRanges.get(e.getKey()) != e.getValue()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The admin endpoints' part of a policy ({@code gatehouse.admin.*}). The endpoints exist only when a
   * token is configured.
   *
   * @param path where the endpoints live
   * @param token the bearer token, or {@code null} when the endpoints are off
   * @param allowedIps client networks allowed to reach them; empty means any
   */
  public record AdminSettings(String path, String token, List<Cidr> allowedIps) {

    public AdminSettings {
      allowedIps = List.copyOf(allowedIps);
    }

    public boolean enabled() {
      return token != null;
    }

    /**
     * Whether an {@code Authorization} header value is {@code Bearer} with the token: how the endpoints
     * authenticate, and how the engine knows an admin request it must not refuse for reputation.
     */
    public boolean authorizes(String authorization) {
      return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
          && tokenMatches(authorization.substring(7).trim());
    }

    /** Whether {@code presented} is the token, compared in constant time. */
    public boolean tokenMatches(String presented) {
      if (token == null || presented == null) {
        return false;
      }
      return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a client at {@code ip} may reach the endpoints. */
    public boolean allows(IpAddress ip) {
      if (allowedIps.isEmpty()) {
        return true;
      }
      return ip != null && allowedIps.stream().anyMatch(c -> c.contains(ip));
    }
  }

  /**
   * What the error pages show besides the decision: the site's name, a contact, and templates that
   * replace the built-in page for an error code.
   *
   * @param siteName shown in the page's title and text; empty to use the request's host
   * @param contact an e-mail address, URL or sentence telling a visitor whom to ask; may be empty
   * @param templates HTML templates by error code, with {@code {{placeholder}}}s from {@link #PLACEHOLDERS}
   */
  public record PageSettings(String siteName, String contact, Map<Integer, String> templates) {

    /**
     * The placeholders a template may use; each is replaced by an HTML-escaped value.
     */
    public static final Set<String> PLACEHOLDERS = Set.of(
        "error_code", "error_name", "title", "ray_id", "timestamp", "client_ip", "host", "path",
        "site_name", "contact", "what_happened", "what_can_i_do");

    /** The placeholder grammar: {@code {{name}}}, spaces allowed inside the braces. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

    public PageSettings {
      siteName = siteName == null ? "" : siteName;
      contact = contact == null ? "" : contact;
      templates = Map.copyOf(templates);
    }

    /** The placeholders {@code template} uses that are not in {@link #PLACEHOLDERS}, in order. */
    public static List<String> unknownPlaceholders(String template) {
      Matcher m = PLACEHOLDER.matcher(template);
      List<String> unknown = new ArrayList<>();
      while (m.find()) {
        if (!PLACEHOLDERS.contains(m.group(1))) {
          unknown.add(m.group(1));
        }
      }
      return unknown;
    }

    /** {@code template} with each {@code {{name}}} replaced by {@code value(name)}, taken literally. */
    public static String fill(String template, Function<String, String> value) {
      return PLACEHOLDER.matcher(template).replaceAll(r -> Matcher.quoteReplacement(value.apply(r.group(1))));
    }

    public static PageSettings defaults() {
      return new PageSettings("", "", Map.of());
    }
  }

  /**
   * Sharing state with other instances ({@code gatehouse.cluster.*}). Read when the engine starts: a
   * reload that changes them takes effect at the next start.
   *
   * @param store the store's URI ({@code gatehouse.cluster.redis}), or {@code null}: this instance keeps its
   *     state to itself
   * @param name the key prefix in the store ({@code gatehouse.cluster.name})
   * @param file where {@code store} was set, for a problem found when the store is opened
   * @param line the line it was set on
   */
  public record ClusterSettings(java.net.URI store, String name, String file, int line) {

    /** No cluster: the instance keeps its state in its own memory. */
    public static final ClusterSettings OFF = new ClusterSettings(null, "gatehouse", "", 0);

    /** Whether state is shared. */
    public boolean enabled() {
      return store != null;
    }

    /** The store's URI with any password replaced by {@code ***}, fit for logs and status pages. */
    public String describe() {
      return store == null ? "off" : hidePassword(store.toString());
    }

    /** {@code uri} with the password of its user information, or the whole of it, replaced by {@code ***}. */
    public static String hidePassword(String uri) {
      return uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/]*:)?[^@/]*@", "$1$2***@");
    }
  }
}
