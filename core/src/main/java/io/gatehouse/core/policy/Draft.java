package io.gatehouse.core.policy;

import io.gatehouse.core.Action;
import io.gatehouse.core.FailMode;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Source;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.ClientIpResolver;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.AccessRule;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the configuration says, key by key, before anything is loaded: the one place that holds every
 * setting's default. The handlers of {@link Keys} fill it in; {@link PolicyCompiler} then loads the files
 * it names and builds the policy from it. Confined to one compilation.
 */
final class Draft {

  /** Leading zero bits of the proof of work: about 260,000 hashes on average, a few hundred milliseconds
   * in a browser (slower phones take a second). */
  static final int DEFAULT_DIFFICULTY = 18;

  /** A file named by an entry, resolved against the configuration's directory. */
  record PathEntry(Path path, ConfigSource.Entry entry) {}

  /** A geo database named by an http(s) URL, and the entry that named it. */
  record GeoUrl(java.net.URI url, ConfigSource.Entry entry) {}

  /** An access rule and where it was written. */
  record Placed(AccessRule rule, String file, int line, String key) {}

  /** What {@code gatehouse.rule.ID.*} and {@code gatehouse.config-rule.ID.*} keys said about one rule. */
  static final class RuleDraft {
    ConfigSource.Entry first;
    ConfigSource.Entry expression;
    ConfigSource.Entry action;
    ConfigSource.Entry skip;
    ConfigSource.Entry description;
    ConfigSource.Entry set;
  }

  /** The rate limiting rule being described by {@code gatehouse.rate-limit.ID.*} keys. */
  static final class RateLimitDraft {
    ConfigSource.Entry first;
    ConfigSource.Entry expression;
    ConfigSource.Entry characteristics;
    Duration period;
    ConfigSource.Entry periodEntry;
    Integer requests;
    Duration mitigationTimeout = Duration.ZERO;
    ConfigSource.Entry action;
    ConfigSource.Entry countingExpression;
    String scoreHeader;
  }

  /** The feed being described by {@code gatehouse.reputation.feed.NAME.*} keys. */
  static final class FeedDraft {
    ConfigSource.Entry firstEntry;
    ConfigSource.Entry sourceEntry;
    URI url;
    Path file;
    Integer score = 50;
    FeedRegistry.Format format = FeedRegistry.Format.AUTO;
    Duration refresh = Duration.ofHours(1);
    /** {@code action}, or {@code null} to follow the Security Level's. */
    Action action;
  }

  final ConfigSource source;
  /** The files this compilation read or looked for, stamped as they were just before. */
  final List<FileStamp> stamps = new ArrayList<>();

  Mode mode = Mode.ENFORCE;
  FailMode failMode = FailMode.ALLOW;
  String nodeId = "";
  Duration reloadInterval = Duration.ofSeconds(2);

  ClientIpResolver.Header clientIpHeader = ClientIpResolver.Header.NONE;
  ConfigSource.Entry clientIpHeaderEntry;
  List<Cidr> trustedProxies = List.of();
  ConfigSource.Entry trustedProxiesEntry;
  boolean exposeClientIp;

  final List<Placed> rules = new ArrayList<>();
  final Map<String, Placed> rulesById = new HashMap<>();
  PathEntry accessRulesFile;

  PathEntry asnDatabase;
  PathEntry countryDatabase;
  PathEntry ip2asn;
  /** Geo sources named by URL, by kind ({@code asn}, {@code country}, {@code ip2asn}); see GeoDownloads. */
  final Map<String, GeoUrl> geoUrls = new LinkedHashMap<>();
  Duration geoRefresh = Duration.ofDays(1);

  final Map<String, FeedDraft> feeds = new LinkedHashMap<>();
  Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-feeds");
  Duration fetchTimeout = Duration.ofSeconds(30);
  Duration halfLife = Duration.ofHours(1);
  int maxTracked = 1_000_000;
  long maxTrackedBytes = 16L << 20;
  final Map<Source, Integer> points = new EnumMap<>(Map.of(Source.CUSTOM_RULES, 10,
      Source.BROWSER_INTEGRITY_CHECK, 10, Source.CHALLENGE, 5, Source.PROBING, 25));
  int probePaths = 20;
  Duration probeWindow = Duration.ofMinutes(1);
  List<Cidr> sharedRanges = List.of();
  Action sharedAction = Action.CHALLENGE;
  int detectVisitors = 8;
  Duration detectWindow = Duration.ofMinutes(10);
  SecurityLevel securityLevel = SecurityLevel.MEDIUM;
  // As the CDN's Security Level presents a challenge: a score never blocks unless the owner says so.
  Action securityLevelAction = Action.CHALLENGE;

  boolean browserIntegrityCheck = true;
  boolean flagScriptingClients;
  boolean verifyDns = true;
  Duration dnsTimeout = Duration.ofSeconds(2);
  final Map<String, PathEntry> botRanges = new LinkedHashMap<>();

  final Map<String, ConfigSource.Entry> lists = new LinkedHashMap<>();
  final Map<String, RuleDraft> customRules = new LinkedHashMap<>();
  final Map<String, RuleDraft> configRules = new LinkedHashMap<>();
  final Map<String, RateLimitDraft> rateLimits = new LinkedHashMap<>();
  int rateLimitKeys = 262_144;

  byte[] challengeSecret;
  Duration challengeTtl = Duration.ofMinutes(30);
  int challengeDifficulty = DEFAULT_DIFFICULTY;
  String challengePath = "/__gatehouse-challenge";
  ConfigSource.Entry challengePathEntry;

  String adminPath = "/__gatehouse";
  ConfigSource.Entry adminPathEntry;
  String adminToken;
  List<Cidr> adminAllowedIps = List.of();

  int eventsCapacity = 10_000;
  long eventsMaxBytes = 16L << 20;
  java.net.URI clusterStore;
  ConfigSource.Entry clusterStoreEntry;
  String clusterName = "gatehouse";
  int bodyInspectBytes;
  final Map<String, String> hmacSecrets = new LinkedHashMap<>();
  String siteName = "";
  String contact = "";
  final Map<Integer, String> templates = new LinkedHashMap<>();

  Draft(ConfigSource source) {
    this.source = source;
  }

  /** The custom or configuration rule {@code id} of {@code rules}, made on its first key. */
  RuleDraft rule(Map<String, RuleDraft> rules, String id, ConfigSource.Entry e) {
    RuleDraft r = rules.computeIfAbsent(id, k -> new RuleDraft());
    if (r.first == null) {
      r.first = e;
    }
    return r;
  }

  /** The rate limiting rule {@code id}, made on its first key. */
  RateLimitDraft rateLimit(String id, ConfigSource.Entry e) {
    RateLimitDraft r = rateLimits.computeIfAbsent(id, k -> new RateLimitDraft());
    if (r.first == null) {
      r.first = e;
    }
    return r;
  }

  /** The feed {@code name}, made on its first key. */
  FeedDraft feed(String name, ConfigSource.Entry e) {
    FeedDraft f = feeds.computeIfAbsent(name, k -> new FeedDraft());
    if (f.firstEntry == null) {
      f.firstEntry = e;
    }
    return f;
  }

  /** Adds an access rule, refusing an id used before. */
  void addRule(AccessRule rule, String file, int line, ConfigException.Collector p) {
    String key = file.equals(source.name()) ? "gatehouse.access-rule." + rule.id() : "";
    Placed placed = new Placed(rule, file, line, key);
    Placed earlier = rulesById.putIfAbsent(rule.id(), placed);
    if (earlier != null) {
      p.add(file, line, key, "access rule id '" + rule.id() + "' is already used at " + earlier.file + ":"
          + earlier.line);
      return;
    }
    rules.add(placed);
  }

  /** Notes that {@code path} is read, so that a change to it reloads the configuration. */
  void stamp(Path path) {
    stamps.add(FileStamp.of(path));
  }

  /** A file path value, resolved against the configuration's directory; {@code file:} allowed. */
  PathEntry path(ConfigSource.Entry e, ConfigException.Collector p) {
    String spec = e.value().trim();
    if (spec.startsWith("file:")) {
      spec = spec.substring(5);
    }
    if (spec.isEmpty()) {
      p.add(e, "needs a file path");
      return null;
    }
    try {
      return new PathEntry(source.resolve(spec), e);
    } catch (InvalidPathException ex) {
      p.add(e, "'" + spec + "' is not a file path");
      return null;
    }
  }
}
