package io.gatehouse.core;

import io.gatehouse.core.config.ConfigEntry;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigProblems;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.config.Interpolator;
import io.gatehouse.core.config.KeyRegistry;
import io.gatehouse.core.config.PropertiesReader;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.bot.Crawler;
import io.gatehouse.core.bot.KnownCrawlers;
import io.gatehouse.core.bot.PublishedRanges;
import io.gatehouse.core.challenge.Clearances;
import io.gatehouse.core.geo.AsnInfo;
import io.gatehouse.core.geo.GeoFiles;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.geo.IndexedGeo;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.AccessRules;
import io.gatehouse.core.reputation.FeedFormat;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.FeedSpec;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.AccessRulesFile;
import io.gatehouse.core.rules.ConfigRule;
import io.gatehouse.core.rules.CustomRule;
import io.gatehouse.core.rules.NamedListSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a configuration source into a {@link Policy}: reads the properties, interpolates, hands every
 * entry to the handler of its key, loads the files the entries name, checks what spans several keys,
 * and builds the stages. Every problem is collected; if there is any, nothing is built and all of them
 * are thrown together.
 */
final class PolicyCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");
  private static final Set<Integer> RENDERED_CODES =
      Set.of(ErrorCodes.ACCESS_DENIED, ErrorCodes.COUNTRY_BANNED, ErrorCodes.FIREWALL_RULE);
  static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);
  /** Leading zero bits of the proof of work: about 260,000 hashes on average, a few hundred milliseconds in a browser (slower phones take a second). */
  static final int DEFAULT_DIFFICULTY = 18;

  /** Every configuration key, and what it does to the draft. */
  static final KeyRegistry<Draft> KEYS = new KeyRegistry<Draft>()
      .register("gatehouse.mode", (e, n, d, p) -> {
        String v = Values.oneOf(e, p, "enforce", "simulate");
        if (v != null) {
          d.mode = v.equals("enforce") ? Mode.ENFORCE : Mode.SIMULATE;
        }
      })
      .register("gatehouse.on-error", (e, n, d, p) -> {
        String v = Values.oneOf(e, p, "allow", "block");
        if (v != null) {
          d.failMode = v.equals("allow") ? FailMode.ALLOW : FailMode.BLOCK;
        }
      })
      .register("gatehouse.node-id", (e, n, d, p) -> {
        String v = e.value().trim();
        if (v.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) {
          d.nodeId = v;
        } else {
          p.add(e, "'" + e.value() + "' is not a node id: 1 to 32 letters, digits and '-', starting with a letter or digit");
        }
      })
      .register("gatehouse.reload.interval", (e, n, d, p) -> {
        if (e.value().trim().equals("off")) {
          d.reloadInterval = null;
        } else {
          d.reloadInterval = Values.duration(e, p);
        }
      })
      .register("gatehouse.client-ip.header", (e, n, d, p) -> {
        ClientIpResolver.Header h = ClientIpResolver.Header.fromName(e.value());
        if (h == null) {
          p.add(e, "'" + e.value() + "' is not one of " + ClientIpResolver.headerNames());
        } else {
          d.clientIpHeader = h;
          d.clientIpHeaderEntry = e;
        }
      })
      .register("gatehouse.client-ip.trusted-proxies", (e, n, d, p) -> {
        List<Cidr> list = Values.cidrList(e, p);
        if (list != null) {
          d.trustedProxies = list;
          d.trustedProxiesEntry = e;
        }
      })
      .register("gatehouse.access-rule.ID", (e, n, d, p) -> {
        try {
          d.addRule(AccessRule.parse(n.get(0), e.value(), e.location()), e.file(), e.line(), p);
        } catch (IllegalArgumentException ex) {
          p.add(e, ex.getMessage());
        }
      })
      .register("gatehouse.access-rules.file", (e, n, d, p) -> d.accessRulesFile = d.path(e, p))
      .register("gatehouse.geo.asn-database", (e, n, d, p) -> d.asnDatabase = d.path(e, p))
      .register("gatehouse.geo.country-database", (e, n, d, p) -> d.countryDatabase = d.path(e, p))
      .register("gatehouse.geo.ip2asn", (e, n, d, p) -> d.ip2asn = d.path(e, p))
      .register("gatehouse.reputation.feed.NAME.source", (e, n, d, p) -> d.feed(n.get(0), e).source(e, d, p))
      .register("gatehouse.reputation.feed.NAME.score", (e, n, d, p) -> d.feed(n.get(0), e).score = Values.integer(e, p, 1, 100))
      .register("gatehouse.reputation.feed.NAME.format", (e, n, d, p) -> {
        FeedFormat f = FeedFormat.fromId(e.value());
        if (f == null) {
          p.add(e, "'" + e.value() + "' is not one of auto, plain, spamhaus-drop, csv, tor-exits");
        }
        d.feed(n.get(0), e).format = f;
      })
      .register("gatehouse.reputation.feed.NAME.refresh", (e, n, d, p) -> d.feed(n.get(0), e).refresh = Values.duration(e, p))
      .register("gatehouse.reputation.cache-dir", (e, n, d, p) -> {
        Draft.PathEntry dir = d.path(e, p);
        if (dir != null) {
          d.cacheDir = dir.path();
        }
      })
      .register("gatehouse.reputation.fetch-timeout", (e, n, d, p) -> d.fetchTimeout = Values.duration(e, p))
      .register("gatehouse.reputation.behaviour.half-life", (e, n, d, p) -> d.halfLife = Values.duration(e, p))
      .register("gatehouse.reputation.behaviour.max-tracked", (e, n, d, p) ->
          d.maxTracked = Values.integer(e, p, 1_000, 100_000_000))
      .register("gatehouse.reputation.behaviour.points.SOURCE", (e, n, d, p) -> {
        Integer v = Values.integer(e, p, 0, 100);
        String name = n.get(0);
        if (name.equals("probing")) {
          d.probingPoints = v;
          return;
        }
        Source s = Source.fromId(name);
        if (s == null || s == Source.NONE || s == Source.INTERNAL_ERROR) {
          p.add(e, "'" + name + "' is not one of access_rules, custom_rules, browser_integrity_check, security_level,"
              + " challenge, probing");
        } else if (v != null) {
          d.points.put(s, v);
        }
      })
      .register("gatehouse.reputation.behaviour.probe-paths", (e, n, d, p) -> d.probePaths = Values.integer(e, p, 2, 1_000))
      .register("gatehouse.reputation.behaviour.probe-window", (e, n, d, p) -> d.probeWindow = Values.duration(e, p))
      .register("gatehouse.shared-ip.ranges", (e, n, d, p) -> {
        List<Cidr> list = Values.cidrList(e, p);
        if (list != null) {
          d.sharedRanges = list;
        }
      })
      .register("gatehouse.shared-ip.action", (e, n, d, p) -> d.sharedAction = actionOf(Values.oneOf(e, p, "challenge", "block")))
      .register("gatehouse.security-level", (e, n, d, p) -> {
        SecurityLevel l = SecurityLevel.fromId(e.value());
        if (l == null) {
          p.add(e, "'" + e.value() + "' is not one of off, essentially_off, low, medium, high, under_attack");
        } else {
          d.securityLevel = l;
        }
      })
      .register("gatehouse.security-level.action", (e, n, d, p) ->
          d.securityLevelAction = actionOf(Values.oneOf(e, p, "block", "challenge")))
      .register("gatehouse.challenge.secret", (e, n, d, p) -> {
        if (e.value().length() < 32) {
          p.add(e, "needs at least 32 characters (it has " + e.value().length() + "); use a long random string,"
              + " the same on every instance");
        } else {
          d.challengeSecret = e.value().getBytes(StandardCharsets.UTF_8);
        }
      })
      .register("gatehouse.challenge.ttl", (e, n, d, p) -> d.challengeTtl = Values.duration(e, p))
      .register("gatehouse.challenge.difficulty", (e, n, d, p) -> d.challengeDifficulty = Values.integer(e, p, 1, 32))
      .register("gatehouse.challenge.path", (e, n, d, p) -> {
        String v = e.value().trim();
        if (!v.matches("/[A-Za-z0-9._~/-]*") || v.contains("//")) {
          p.add(e, "'" + v + "' is not a plain path starting with /");
        } else {
          d.challengePath = v;
        }
      })
      .register("gatehouse.admin.path", (e, n, d, p) -> {
        String v = e.value().trim();
        if (!v.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
          p.add(e, "'" + v + "' is not a plain path such as /__gatehouse");
        } else {
          d.adminPath = v;
        }
      })
      .register("gatehouse.admin.token", (e, n, d, p) -> {
        if (e.value().length() < 16) {
          p.add(e, "needs at least 16 characters (it has " + e.value().length() + "); use a long random string");
        } else {
          d.adminToken = e.value();
        }
      })
      .register("gatehouse.admin.allowed-ips", (e, n, d, p) -> {
        List<Cidr> list = Values.cidrList(e, p);
        if (list != null) {
          d.adminAllowedIps = list;
        }
      })
      .register("gatehouse.browser-integrity-check", (e, n, d, p) -> {
        Boolean v = Values.bool(e, p);
        if (v != null) {
          d.browserIntegrityCheck = v;
        }
      })
      .register("gatehouse.browser-integrity-check.scripting-clients", (e, n, d, p) -> {
        Boolean v = Values.bool(e, p);
        if (v != null) {
          d.flagScriptingClients = v;
        }
      })
      .register("gatehouse.bots.verify-dns", (e, n, d, p) -> {
        Boolean v = Values.bool(e, p);
        if (v != null) {
          d.verifyDns = v;
        }
      })
      .register("gatehouse.bots.dns-timeout", (e, n, d, p) -> {
        Duration v = Values.duration(e, p);
        if (v != null) {
          d.dnsTimeout = v;
        }
      })
      .register("gatehouse.bots.ranges.CRAWLER", (e, n, d, p) -> {
        String crawler = crawlerNamed(n.get(0));
        if (crawler == null) {
          p.add(e, "'" + n.get(0) + "' is not a known crawler: " + crawlerIds());
          return;
        }
        Draft.PathEntry file = d.path(e, p);
        if (file != null) {
          d.botRanges.put(crawler, file);
        }
      })
      .register("gatehouse.list.NAME", (e, n, d, p) -> d.lists.put(n.get(0), e))
      .register("gatehouse.rule.ID.expression", (e, n, d, p) -> d.rule(d.customRules, n.get(0), e).expression = e)
      .register("gatehouse.rule.ID.action", (e, n, d, p) -> d.rule(d.customRules, n.get(0), e).action = e)
      .register("gatehouse.rule.ID.skip", (e, n, d, p) -> d.rule(d.customRules, n.get(0), e).skip = e)
      .register("gatehouse.rule.ID.description", (e, n, d, p) -> d.rule(d.customRules, n.get(0), e).description = e)
      .register("gatehouse.config-rule.ID.expression", (e, n, d, p) -> d.rule(d.configRules, n.get(0), e).expression = e)
      .register("gatehouse.config-rule.ID.set", (e, n, d, p) -> d.rule(d.configRules, n.get(0), e).set = e)
      .register("gatehouse.events.capacity", (e, n, d, p) -> {
        Integer v = Values.integer(e, p, 1, 10_000_000);
        if (v != null) {
          d.eventsCapacity = v;
        }
      })
      .register("gatehouse.page.site-name", (e, n, d, p) -> d.siteName = e.value().trim())
      .register("gatehouse.page.contact", (e, n, d, p) -> d.contact = e.value().trim())
      .register("gatehouse.page.template.CODE", PolicyCompiler::template);

  /** Carrier-grade NAT (RFC 6598): always shared. */
  static final Cidr CGNAT = Cidr.parse("100.64.0.0/10");

  private final ConfigSource source;
  private final Map<String, String> environment;
  private final Clock clock;
  private final FileCache cache;
  private final Services services;
  private final List<FileStamp> stamps = new ArrayList<>();

  PolicyCompiler(ConfigSource source, Map<String, String> environment, Clock clock, FileCache cache,
      Services services) {
    this.source = source;
    this.environment = environment;
    this.clock = clock;
    this.cache = cache;
    this.services = services;
  }

  private static Action actionOf(String word) {
    return word == null ? null : word.equals("block") ? Action.BLOCK : Action.CHALLENGE;
  }

  /** The files this compilation read (or looked for), stamped as they were just before reading. */
  List<FileStamp> stamps() {
    return List.copyOf(stamps);
  }

  Policy compile() throws ConfigException {
    long started = System.nanoTime();
    source.path().ifPresent(p -> stamps.add(FileStamp.of(p)));
    String text = source.read();
    ConfigProblems problems = new ConfigProblems();
    List<ConfigEntry> entries = PropertiesReader.read(source.name(), text, problems);
    entries = Interpolator.apply(entries, environment, problems);
    Draft d = new Draft(source, stamps);
    for (ConfigEntry entry : entries) {
      KEYS.dispatch(entry, d, problems);
    }
    if (d.clientIpHeader != ClientIpResolver.Header.NONE && d.trustedProxies.isEmpty()) {
      problems.add(d.clientIpHeaderEntry, "needs gatehouse.client-ip.trusted-proxies: the header is read only from"
          + " trusted proxies, so without any it would always be ignored");
    }
    if (d.clientIpHeader == ClientIpResolver.Header.NONE && !d.trustedProxies.isEmpty()) {
      problems.add(d.trustedProxiesEntry, "has no effect without gatehouse.client-ip.header (X-Forwarded-For,"
          + " Forwarded, ...)");
    }
    if (d.accessRulesFile != null) {
      stamps.add(FileStamp.of(d.accessRulesFile.path));
      String name = d.accessRulesFile.path.toString();
      for (AccessRule r : AccessRulesFile.read(d.accessRulesFile.path, name, problems)) {
        d.addRule(r, name, lineOf(r.origin()), problems);
      }
    }
    GeoLookup geo = loadGeo(d, problems);
    NamedListSet lists = RulesCompiler.lists(d.lists, source, stamps, problems);
    List<CustomRule> customRules = RulesCompiler.customRules(d.customRules, lists, problems);
    List<ConfigRule> configRules = RulesCompiler.configRules(d.configRules, lists, problems);
    for (CustomRule r : customRules) {
      checkGeo(r.expression().fields(), geo, d.customRules.get(r.id()).expression, problems);
    }
    for (ConfigRule r : configRules) {
      checkGeo(r.expression().fields(), geo, d.configRules.get(r.id()).expression, problems);
    }
    for (Draft.Placed placed : d.rules) {
      AccessRule r = placed.rule;
      boolean needsAsn = r.target() == AccessRule.Target.ASN;
      boolean needsCountry = r.target() == AccessRule.Target.COUNTRY || r.target() == AccessRule.Target.CONTINENT;
      if (needsAsn && !geo.hasAsn()) {
        problems.add(placed.file, placed.line, placed.key, "asn rules need AS data: set gatehouse.geo.asn-database"
            + " or gatehouse.geo.ip2asn");
      } else if (needsCountry && !geo.hasCountry()) {
        problems.add(placed.file, placed.line, placed.key, r.target().id() + " rules need country data: set"
            + " gatehouse.geo.country-database or gatehouse.geo.ip2asn");
      }
    }
    List<FeedSpec> feeds = new ArrayList<>();
    for (Map.Entry<String, Draft.FeedDraft> f : d.feeds.entrySet()) {
      Draft.FeedDraft fd = f.getValue();
      if (fd.sourceEntry == null) {
        problems.add(fd.firstEntry, "feed '" + f.getKey() + "' needs gatehouse.reputation.feed." + f.getKey() + ".source");
      } else if (fd.score != null && fd.format != null && fd.refresh != null && (fd.url != null || fd.file != null)) {
        feeds.add(new FeedSpec(f.getKey(), fd.url, fd.file, fd.score, fd.format, fd.refresh));
      }
    }
    problems.throwIfAny();

    // Only a configuration without other problems loads feeds: that may read large files or fetch URLs.
    Map<String, String> feedProblems = new LinkedHashMap<>();
    Duration fetchTimeout = d.fetchTimeout == null ? Duration.ofSeconds(30) : d.fetchTimeout;
    FeedRegistry.Prepared prepared = services.feeds().prepare(feeds, d.cacheDir, fetchTimeout, feedProblems);
    for (Map.Entry<String, String> fp : feedProblems.entrySet()) {
      Draft.FeedDraft fd = d.feeds.get(fp.getKey());
      problems.add(fd == null ? d.feeds.values().iterator().next().sourceEntry : fd.sourceEntry, fp.getValue());
    }
    for (FeedSpec f : feeds) {
      if (f.file() != null) {
        stamps.add(FileStamp.of(f.file()));
      }
    }
    Map<String, IntervalIndex<Cidr>> ranges = new LinkedHashMap<>();
    for (Map.Entry<String, Draft.PathEntry> r : d.botRanges.entrySet()) {
      IntervalIndex<Cidr> loaded = load(r.getValue(), "bot-ranges", PublishedRanges::load, problems);
      if (loaded != null) {
        ranges.put(r.getKey(), loaded);
      }
    }
    problems.throwIfAny();

    List<AccessRule> ruleList = d.rules.stream().map(x -> x.rule).toList();
    AccessRules accessRules = AccessRules.compile(ruleList);
    for (AccessRule[] pair : accessRules.shadowed()) {
      LOG.warn("{}: access rule '{}' ({}) never decides: '{}' ({}) has the same target and wins",
          pair[1].origin(), pair[1].id(), pair[1].text(), pair[0].id(), pair[0].origin());
    }

    IntervalIndex.Builder<Boolean> shared = IntervalIndex.<Boolean>builder().add(CGNAT, Boolean.TRUE);
    d.sharedRanges.forEach(c -> shared.add(c, Boolean.TRUE));
    ReputationSettings reputation = new ReputationSettings(feeds, d.cacheDir, fetchTimeout,
        d.halfLife == null ? Duration.ofHours(1) : d.halfLife, d.maxTracked == null ? 1_000_000 : d.maxTracked,
        d.points, d.probingPoints == null ? 25 : d.probingPoints, d.probePaths == null ? 20 : d.probePaths,
        d.probeWindow == null ? Duration.ofMinutes(1) : d.probeWindow, shared.build(),
        d.sharedAction == null ? Action.CHALLENGE : d.sharedAction, d.securityLevel,
        d.securityLevelAction == null ? Action.BLOCK : d.securityLevelAction);

    if (d.challengeSecret == null) {
      LOG.warn("gatehouse.challenge.secret is not set: clearances are signed with a random secret, so they end"
          + " when the application restarts and one instance does not accept another's");
    }
    ChallengeSettings challenge = new ChallengeSettings(
        new Clearances(d.challengeSecret != null ? d.challengeSecret : services.challenges().randomSecret()),
        d.challengeSecret != null, d.challengeTtl == null ? Duration.ofMinutes(30) : d.challengeTtl,
        d.challengeDifficulty == null ? DEFAULT_DIFFICULTY : d.challengeDifficulty, d.challengePath);

    List<Stage> stages = new ArrayList<>();
    if (!configRules.isEmpty()) {
      stages.add(new ConfigurationRulesStage(configRules));
    }
    stages.add(new AccessRulesStage(accessRules, customRules.stream()
        .filter(r -> r.action() == CustomRule.Action.SKIP && r.skips().contains(Phase.ACCESS_RULES)).toList()));
    if (!customRules.isEmpty()) {
      stages.add(new CustomRulesStage(customRules));
    }
    stages.add(new BrowserIntegrityStage());
    stages.add(new SecurityLevelStage());
    BotSettings bots = services.verifiers().prepare(
        BrowserIntegrityCheck.builder().flagScriptingClients(d.flagScriptingClients).build(), d.verifyDns,
        d.dnsTimeout, ranges);

    Policy policy = new Policy(source, clock.instant(), d.mode, d.failMode, d.nodeId,
        ClientIpResolver.of(d.clientIpHeader, d.trustedProxies), geo, accessRules, reputation, challenge,
        new AdminSettings(d.adminPath, d.adminToken, d.adminAllowedIps),
        new PageSettings(d.siteName, d.contact, d.templates), d.eventsCapacity, d.reloadInterval,
        d.accessRulesFile == null ? null : d.accessRulesFile.path, stages, prepared,
        new Policy.Rules(lists, customRules, configRules, d.browserIntegrityCheck), bots);
    LOG.info("loaded {} in {} ms: {}", source.name(), (System.nanoTime() - started) / 1_000_000, policy.summary());
    return policy;
  }

  /** The crawler whose configuration id ({@code googlebot}, {@code yahoo-slurp}) is {@code id}, or null. */
  static String crawlerNamed(String id) {
    for (Crawler c : KnownCrawlers.defaults()) {
      if (crawlerId(c.name()).equals(id.toLowerCase(java.util.Locale.ROOT))) {
        return c.name();
      }
    }
    return null;
  }

  static String crawlerId(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
  }

  static String crawlerIds() {
    return String.join(", ", KnownCrawlers.defaults().stream().map(c -> crawlerId(c.name())).toList());
  }

  /** A rule that reads the AS or the country needs data for it, or it would silently never match. */
  private static void checkGeo(Set<String> fields, GeoLookup geo, ConfigEntry e, ConfigProblems problems) {
    if (fields.contains("ip.src.asnum") && !geo.hasAsn()) {
      problems.add(e, "ip.src.asnum needs AS data: set gatehouse.geo.asn-database or gatehouse.geo.ip2asn");
    }
    if ((fields.contains("ip.src.country") || fields.contains("ip.src.continent")) && !geo.hasCountry()) {
      problems.add(e, "ip.src.country and ip.src.continent need country data: set gatehouse.geo.country-database"
          + " or gatehouse.geo.ip2asn");
    }
  }

  private static int lineOf(String origin) {
    int colon = origin.lastIndexOf(':');
    try {
      return colon < 0 ? 0 : Integer.parseInt(origin.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private GeoLookup loadGeo(Draft d, ConfigProblems problems) {
    if (d.asnDatabase != null && d.ip2asn != null) {
      problems.add(d.ip2asn.entry, "choose one source of AS data: gatehouse.geo.asn-database is set too");
    }
    IntervalIndex<AsnInfo> asns = null;
    IntervalIndex<String> countries = null;
    List<String> sources = new ArrayList<>();
    if (d.ip2asn != null) {
      GeoFiles.Ip2Asn data = load(d.ip2asn, "ip2asn", GeoFiles::ip2asn, problems);
      if (data != null) {
        asns = data.asns();
        countries = data.countries();
        sources.add("iptoasn " + d.ip2asn.path.getFileName());
      }
    }
    if (d.asnDatabase != null) {
      asns = load(d.asnDatabase, "mmdb-asn", GeoFiles::maxMindAsn, problems);
      sources.add("ASN " + d.asnDatabase.path.getFileName());
    }
    if (d.countryDatabase != null) {
      // A country database wins over the countries of an iptoasn file: it is the more precise source.
      countries = load(d.countryDatabase, "mmdb-country", GeoFiles::maxMindCountry, problems);
      sources.add("country " + d.countryDatabase.path.getFileName());
    }
    if (asns == null && countries == null) {
      return GeoLookup.NONE;
    }
    return new IndexedGeo(asns, countries, String.join(", ", sources));
  }

  private <T> T load(Draft.PathEntry p, String kind, FileCache.Loader<T> loader, ConfigProblems problems) {
    stamps.add(FileStamp.of(p.path));
    try {
      return cache.get(kind, p.path, loader);
    } catch (IOException e) {
      problems.add(p.entry, e.getMessage());
      return null;
    }
  }

  private static void template(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    int code;
    try {
      code = Integer.parseInt(names.get(0));
    } catch (NumberFormatException ex) {
      code = -1;
    }
    if (!RENDERED_CODES.contains(code)) {
      p.add(e, "'" + names.get(0) + "' is not an error code Gatehouse renders: 1009, 1012 or 1020");
      return;
    }
    Draft.PathEntry file = d.path(e, p);
    if (file == null) {
      return;
    }
    d.stamps.add(FileStamp.of(file.path));
    String html;
    try {
      html = Files.readString(file.path, StandardCharsets.UTF_8);
    } catch (IOException ex) {
      p.add(e, "cannot read template " + file.path + ": " + ex.getClass().getSimpleName());
      return;
    }
    Matcher m = PLACEHOLDER.matcher(html);
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      if (!PageSettings.PLACEHOLDERS.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    if (!unknown.isEmpty()) {
      p.add(e, "template " + file.path + " uses unknown placeholders " + unknown + "; known: "
          + PageSettings.PLACEHOLDERS.stream().sorted().toList());
      return;
    }
    d.templates.put(code, html);
  }

  /** What the handlers fill in, with the defaults of every key. */
  static final class Draft {
    record PathEntry(Path path, ConfigEntry entry) {}

    record Placed(AccessRule rule, String file, int line, String key) {}

    final ConfigSource source;
    final List<FileStamp> stamps;
    Mode mode = Mode.ENFORCE;
    FailMode failMode = FailMode.ALLOW;
    String nodeId = "";
    Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
    ClientIpResolver.Header clientIpHeader = ClientIpResolver.Header.NONE;
    ConfigEntry clientIpHeaderEntry;
    List<Cidr> trustedProxies = List.of();
    ConfigEntry trustedProxiesEntry;
    final List<Placed> rules = new ArrayList<>();
    final Map<String, Placed> rulesById = new HashMap<>();
    PathEntry accessRulesFile;
    PathEntry asnDatabase;
    PathEntry countryDatabase;
    PathEntry ip2asn;
    final Map<String, FeedDraft> feeds = new LinkedHashMap<>();
    boolean browserIntegrityCheck = true;
    boolean flagScriptingClients;
    boolean verifyDns = true;
    Duration dnsTimeout = Duration.ofSeconds(2);
    final Map<String, PathEntry> botRanges = new LinkedHashMap<>();
    final Map<String, ConfigEntry> lists = new LinkedHashMap<>();
    final Map<String, RulesCompiler.RuleDraft> customRules = new LinkedHashMap<>();
    final Map<String, RulesCompiler.RuleDraft> configRules = new LinkedHashMap<>();

    RulesCompiler.RuleDraft rule(Map<String, RulesCompiler.RuleDraft> rules, String id, ConfigEntry e) {
      RulesCompiler.RuleDraft r = rules.computeIfAbsent(id, k -> new RulesCompiler.RuleDraft());
      if (r.first == null) {
        r.first = e;
      }
      return r;
    }
    Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-feeds");
    Duration fetchTimeout;
    Duration halfLife;
    Integer maxTracked;
    final Map<Source, Integer> points = new HashMap<>(Map.of(Source.CUSTOM_RULES, 10,
        Source.BROWSER_INTEGRITY_CHECK, 10, Source.CHALLENGE, 5));
    Integer probingPoints;
    Integer probePaths;
    Duration probeWindow;
    List<Cidr> sharedRanges = List.of();
    Action sharedAction;
    SecurityLevel securityLevel = SecurityLevel.MEDIUM;
    Action securityLevelAction;
    byte[] challengeSecret;
    Duration challengeTtl;
    Integer challengeDifficulty;
    String challengePath = "/__gatehouse/challenge";
    String adminPath = "/__gatehouse";
    String adminToken;
    List<Cidr> adminAllowedIps = List.of();
    int eventsCapacity = 10_000;
    String siteName = "";
    String contact = "";
    final Map<Integer, String> templates = new LinkedHashMap<>();

    Draft(ConfigSource source, List<FileStamp> stamps) {
      this.source = source;
      this.stamps = stamps;
    }

    /** The feed being described by {@code gatehouse.reputation.feed.NAME.*} keys. */
    static final class FeedDraft {
      ConfigEntry firstEntry;
      ConfigEntry sourceEntry;
      java.net.URI url;
      Path file;
      Integer score = 50;
      FeedFormat format = FeedFormat.AUTO;
      Duration refresh = Duration.ofHours(1);

      void source(ConfigEntry e, Draft d, ConfigProblems p) {
        sourceEntry = e;
        String v = e.value().trim();
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
          try {
            java.net.URI u = new java.net.URI(v);
            if (u.getHost() == null) {
              throw new java.net.URISyntaxException(v, "no host");
            }
            url = u;
          } catch (java.net.URISyntaxException ex) {
            p.add(e, "'" + v + "' is not a URL: " + ex.getReason());
          }
        } else if (lower.contains("://")) {
          p.add(e, "'" + v + "' is neither a file nor an http(s) URL");
        } else {
          PathEntry pe = d.path(e, p);
          file = pe == null ? null : pe.path();
        }
      }
    }

    FeedDraft feed(String name, ConfigEntry e) {
      FeedDraft f = feeds.computeIfAbsent(name, k -> new FeedDraft());
      if (f.firstEntry == null) {
        f.firstEntry = e;
      }
      return f;
    }

    void addRule(AccessRule rule, String file, int line, ConfigProblems p) {
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

    /** A file path value, resolved against the configuration's directory; {@code file:} allowed. */
    PathEntry path(ConfigEntry e, ConfigProblems p) {
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
}
