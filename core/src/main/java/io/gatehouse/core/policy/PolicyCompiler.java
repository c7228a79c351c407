package io.gatehouse.core.policy;

import io.gatehouse.core.Action;
import io.gatehouse.core.Phase;
import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.ClientIpResolver;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.policy.Policy.AdminSettings;
import io.gatehouse.core.policy.Policy.BotSettings;
import io.gatehouse.core.policy.Policy.ChallengeSettings;
import io.gatehouse.core.policy.Policy.PageSettings;
import io.gatehouse.core.policy.Policy.ReputationSettings;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.ConfigRule;
import io.gatehouse.core.rules.CustomRule;
import io.gatehouse.core.rules.expr.Expression;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a configuration source into a {@link Policy}, in steps: read the properties and interpolate;
 * hand every entry to the handler of its key ({@link Keys}) to fill a {@link Draft}; check what spans
 * several keys; load the files the draft names (geo, lists, rules, feeds, crawler ranges); build.
 * Every problem is collected; if there is any, nothing is built and all of them are thrown together.
 * Loading feeds (large files, URLs) waits until everything else is free of problems.
 */
final class PolicyCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyCompiler.class);

  /** The longest value of one key; rule expressions have a tighter limit of their own. */
  static final int MAX_VALUE_CHARS = 16_384;

  /** Carrier-grade NAT (RFC 6598): always shared. */
  static final Cidr CGNAT = Cidr.parse("100.64.0.0/10");

  private final ConfigSource source;
  private final Map<String, String> environment;
  private final Clock clock;
  private final LongSupplier ticker;
  private final FileCache cache;
  private final FeedRegistry feeds;
  private final Verifiers verifiers;
  private final byte[] fallbackSecret;
  private final Draft draft;
  private final GeoDownloads geoDownloads;
  private int entriesRead;

  PolicyCompiler(ConfigSource source, Map<String, String> environment, Clock clock, LongSupplier ticker,
      FileCache cache, FeedRegistry feeds, Verifiers verifiers, byte[] fallbackSecret, GeoDownloads geoDownloads) {
    this.geoDownloads = geoDownloads;
    this.source = source;
    this.environment = environment;
    this.clock = clock;
    this.ticker = ticker;
    this.cache = cache;
    this.feeds = feeds;
    this.verifiers = verifiers;
    this.fallbackSecret = fallbackSecret;
    this.draft = new Draft(source);
  }

  /** How many key-value entries the configuration held, comments and blank lines aside. */
  int entriesRead() {
    return entriesRead;
  }

  /** The geo URLs the configuration names. */
  java.util.Set<java.net.URI> geoUrls() {
    java.util.Set<java.net.URI> urls = new java.util.HashSet<>();
    draft.geoUrls.values().forEach(u -> urls.add(u.url()));
    return urls;
  }

  /** The files this compilation read (or looked for), stamped as they were just before reading. */
  List<FileStamp> stamps() {
    return List.copyOf(draft.stamps);
  }

  Policy compile() throws ConfigException {
    long started = ticker.getAsLong();
    Draft d = draft;
    source.path().ifPresent(d::stamp);
    ConfigException.Collector problems = new ConfigException.Collector();
    for (ConfigSource.Entry entry : source.entries(environment, problems)) {
      entriesRead++;
      if (entry.value().length() > MAX_VALUE_CHARS) {
        problems.add(entry, "the value has " + entry.value().length() + " characters; at most " + MAX_VALUE_CHARS
            + ": large data belongs in a file (gatehouse.list.NAME=file:..., gatehouse.access-rules.file)");
        continue;
      }
      Keys.TABLE.dispatch(entry, d, problems);
    }
    checkClientIp(d, problems);
    checkPaths(d, problems);
    if (d.accessRulesFile != null) {
      d.stamp(d.accessRulesFile.path());
      String name = d.accessRulesFile.path().toString();
      for (AccessRule r : AccessRulesFile.read(d.accessRulesFile.path(), name, problems)) {
        d.addRule(r, name, lineOf(r.origin()), problems);
      }
    }
    DataFiles data = new DataFiles(cache, d, geoDownloads);
    GeoLookup geo = data.geo(problems);
    NamedListSet lists = RulesCompiler.lists(d, problems);
    List<CustomRule> customRules = RulesCompiler.customRules(d.customRules, lists, problems);
    List<ConfigRule> configRules = RulesCompiler.configRules(d.configRules, lists, problems);
    List<Policy.RateLimit> rateLimits = RateLimitsCompiler.compile(d.rateLimits, lists, problems);
    for (CustomRule r : customRules) {
      ConfigSource.Entry e = d.customRules.get(r.id()).expression;
      data.checkFields(r.expression().fields(), geo, e, problems);
      refuseResponseCode(r.expression(), e, problems);
    }
    for (ConfigRule r : configRules) {
      ConfigSource.Entry e = d.configRules.get(r.id()).expression;
      data.checkFields(r.expression().fields(), geo, e, problems);
      refuseResponseCode(r.expression(), e, problems);
    }
    for (Policy.RateLimit r : rateLimits) {
      Draft.RateLimitDraft rd = d.rateLimits.get(r.id());
      data.checkFields(r.expression().fields(), geo, rd.expression, problems);
      if (r.countingExpression() != null) {
        data.checkFields(r.countingExpression().fields(), geo, rd.countingExpression, problems);
      }
      Set<String> keyFields = new HashSet<>();
      r.characteristics().forEach(c -> keyFields.add(c.kind().field()));
      data.checkFields(keyFields, geo, rd.characteristics, problems);
    }
    for (Draft.Placed placed : d.rules) {
      data.checkTarget(placed, geo, problems);
    }
    List<FeedRegistry.Spec> feedSpecs = feedSpecs(d, problems);
    for (FeedRegistry.Spec f : feedSpecs) {
      // Reading a feed waits for a configuration without problems, but a missing file is known now.
      if (f.file() != null && !Files.isRegularFile(f.file())) {
        problems.add(d.feeds.get(f.name()).sourceEntry, "no such file: " + f.file());
      }
    }
    problems.throwIfAny();

    // Only a configuration without other problems loads feeds: that may read large files or fetch URLs.
    Map<String, String> feedProblems = new LinkedHashMap<>();
    FeedRegistry.Prepared prepared = feeds.prepare(feedSpecs, d.cacheDir, d.fetchTimeout, feedProblems);
    for (Map.Entry<String, String> fp : feedProblems.entrySet()) {
      Draft.FeedDraft fd = d.feeds.get(fp.getKey());
      problems.add(fd == null ? d.feeds.values().iterator().next().sourceEntry : fd.sourceEntry, fp.getValue());
    }
    for (FeedRegistry.Spec f : feedSpecs) {
      if (f.file() != null) {
        d.stamp(f.file());
      }
    }
    Map<String, IntervalIndex<Cidr>> ranges = new LinkedHashMap<>();
    for (Map.Entry<String, Draft.PathEntry> r : d.botRanges.entrySet()) {
      IntervalIndex<Cidr> loaded = data.load(r.getValue(), "bot-ranges", CrawlerVerifier::loadRanges, problems);
      if (loaded != null) {
        ranges.put(r.getKey(), loaded);
      }
    }
    problems.throwIfAny();

    AccessRule.Table accessRules = AccessRule.Table.compile(d.rules.stream().map(Draft.Placed::rule).toList());
    for (AccessRule[] pair : accessRules.shadowed()) {
      LOG.warn("{}: access rule '{}' ({}) never decides: '{}' ({}) has the same target and wins",
          pair[1].origin(), pair[1].id(), pair[1].text(), pair[0].id(), pair[0].origin());
    }
    if (d.challengeSecret == null && d.clusterStore != null) {
      LOG.warn("gatehouse.cluster.redis is set but gatehouse.challenge.secret is not: each instance signs with a"
          + " random secret of its own, so a clearance earned on one is refused by the others; set the same secret"
          + " on every instance");
    } else if (d.challengeSecret == null) {
      LOG.warn("gatehouse.challenge.secret is not set: clearances are signed with a random secret, so they end"
          + " when the application restarts and one instance does not accept another's");
    }
    warnOfBroadTrustedProxies(d);
    BotSettings bots = verifiers.prepare(d.browserIntegrityCheck,
        BrowserIntegrityCheck.builder().flagScriptingClients(d.flagScriptingClients).build(), d.verifyDns,
        d.dnsTimeout, ranges);
    Set<String> fieldsRead = fieldsRead(customRules, configRules, rateLimits);
    Policy policy = new Policy(source, clock.instant(), d.mode, d.failMode, d.nodeId,
        ClientIpResolver.of(d.clientIpHeader, d.trustedProxies), geo, accessRules, reputation(d, feedSpecs),
        challenge(d), new AdminSettings(d.adminPath, d.adminToken, d.adminAllowedIps),
        new PageSettings(d.siteName, d.contact, d.templates), d.eventsCapacity, d.eventsMaxBytes, d.reloadInterval,
        d.accessRulesFile == null ? null : d.accessRulesFile.path(), prepared,
        new Policy.Rules(lists, customRules, configRules, rateLimits, d.rateLimitKeys), bots,
        d.clusterStore == null ? Policy.ClusterSettings.OFF : new Policy.ClusterSettings(d.clusterStore, d.clusterName,
            d.clusterStoreEntry.file(), d.clusterStoreEntry.line()), fieldsRead,
        fieldsRead.stream().anyMatch(f -> f.startsWith("http.request.body.")) ? d.bodyInspectBytes : 0,
        d.exposeClientIp);
    LOG.info("loaded {} in {} ms: {}", source.name(), (ticker.getAsLong() - started) / 1_000_000, policy.summary());
    return policy;
  }

  /** The canonical names of the fields the rules read, every kind of rule together. */
  private static Set<String> fieldsRead(List<CustomRule> custom, List<ConfigRule> configuration,
      List<Policy.RateLimit> rateLimits) {
    Set<String> fields = new HashSet<>();
    custom.forEach(r -> fields.addAll(r.expression().fields()));
    configuration.forEach(r -> fields.addAll(r.expression().fields()));
    for (Policy.RateLimit r : rateLimits) {
      fields.addAll(r.expression().fields());
      if (r.countingExpression() != null) {
        fields.addAll(r.countingExpression().fields());
      }
    }
    return fields;
  }

  /**
   * The challenge is answered for anyone and the admin endpoints for the token holder alone: a path that
   * is both, or one under the other, lets one take the other's requests, and a proxy rule that hides the
   * admin path would hide the challenge from every visitor.
   */
  private static void checkPaths(Draft d, ConfigException.Collector problems) {
    String c = d.challengePath;
    String a = d.adminPath;
    String relation = c.equals(a) ? "is" : c.startsWith(a + "/") ? "is under" : a.startsWith(c + "/") ? "holds" : null;
    if (relation == null) {
      return;
    }
    String message = "the challenge path " + c + " " + relation + " the admin path " + a
        + "; the challenge is public and the admin endpoints are not, so keep them apart";
    ConfigSource.Entry at = d.challengePathEntry != null ? d.challengePathEntry : d.adminPathEntry;
    problems.add(at, message);
  }

  /** The application's answer is not known while a request is being decided. */
  private static void refuseResponseCode(Expression e, ConfigSource.Entry entry, ConfigException.Collector problems) {
    if (e.fields().contains(RateLimitsCompiler.RESPONSE_CODE)) {
      problems.add(entry, RateLimitsCompiler.RESPONSE_CODE + " is known only once the application has answered; only"
          + " a rate limiting rule's counting-expression can read it");
    }
  }

  private static void checkClientIp(Draft d, ConfigException.Collector problems) {
    if (d.clientIpHeader != ClientIpResolver.Header.NONE && d.trustedProxies.isEmpty()) {
      problems.add(d.clientIpHeaderEntry, "needs gatehouse.client-ip.trusted-proxies: the header is read only from"
          + " trusted proxies, so without any it would always be ignored");
    }
    if (d.clientIpHeader == ClientIpResolver.Header.NONE && !d.trustedProxies.isEmpty()) {
      problems.add(d.trustedProxiesEntry, "has no effect without gatehouse.client-ip.header (X-Forwarded-For,"
          + " Forwarded, ...)");
    }
  }

  /**
   * A trusted network this broad holds far more than the site's own proxies: everyone in it is believed
   * about the client address, so they can send any address and escape blocks or borrow allow rules. It is
   * legal (some set-ups filter at the network edge), so it is a warning, not a problem.
   */
  private static void warnOfBroadTrustedProxies(Draft d) {
    List<String> broad = d.trustedProxies.stream()
        .filter(c -> c.prefixLength() < (c.isV4() ? 8 : 16))
        .map(Cidr::toString)
        .toList();
    if (!broad.isEmpty()) {
      LOG.warn("{}: gatehouse.client-ip.trusted-proxies trusts {}: far more than a site's own proxies, and then"
          + " anyone there chooses their own address by sending {}", d.trustedProxiesEntry.location(),
          String.join(", ", broad), d.clientIpHeader.headerName());
    }
  }

  private static List<FeedRegistry.Spec> feedSpecs(Draft d, ConfigException.Collector problems) {
    List<FeedRegistry.Spec> specs = new ArrayList<>();
    for (Map.Entry<String, Draft.FeedDraft> f : d.feeds.entrySet()) {
      Draft.FeedDraft fd = f.getValue();
      if (fd.sourceEntry == null) {
        problems.add(fd.firstEntry, "feed '" + f.getKey() + "' needs gatehouse.reputation.feed." + f.getKey() + ".source");
      } else if (fd.score != null && fd.format != null && fd.refresh != null && (fd.url != null || fd.file != null)) {
        specs.add(new FeedRegistry.Spec(f.getKey(), fd.url, fd.file, fd.score, fd.format, fd.refresh));
      }
    }
    return specs;
  }

  private static ReputationSettings reputation(Draft d, List<FeedRegistry.Spec> feedSpecs) {
    IntervalIndex.Builder<Boolean> shared = IntervalIndex.<Boolean>builder().add(CGNAT, Boolean.TRUE);
    d.sharedRanges.forEach(c -> shared.add(c, Boolean.TRUE));
    Map<String, Action> feedActions = new LinkedHashMap<>();
    d.feeds.forEach((name, f) -> {
      if (f.action != null) {
        feedActions.put(name, f.action);
      }
    });
    return new ReputationSettings(feedSpecs, d.cacheDir, d.fetchTimeout, d.halfLife, d.maxTracked, d.maxTrackedBytes,
        d.points, d.probePaths, d.probeWindow, shared.build(), d.sharedAction, d.detectVisitors, d.detectWindow,
        d.securityLevel, d.securityLevelAction, feedActions);
  }

  private ChallengeSettings challenge(Draft d) {
    return new ChallengeSettings(d.challengeSecret != null ? d.challengeSecret : fallbackSecret,
        d.challengeSecret != null, d.challengeTtl, d.challengeDifficulty, d.challengePath);
  }

  private static int lineOf(String origin) {
    int colon = origin.lastIndexOf(':');
    try {
      return colon < 0 ? 0 : Integer.parseInt(origin.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The phases a skip rule may name. */
  static final List<Phase> SKIPPABLE =
      List.of(Phase.ACCESS_RULES, Phase.CUSTOM_RULES, Phase.RATE_LIMITING, Phase.BROWSER_INTEGRITY_CHECK,
          Phase.SECURITY_LEVEL);
}
