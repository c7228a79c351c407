package io.gatehouse.core.policy;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.FailMode;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Source;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.ClientIpResolver;
import io.gatehouse.core.policy.Policy.PageSettings;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.AccessRule;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration key and what it does to the {@link Draft}: one handler per key, each checking its
 * own value and reporting a problem that echoes it. Checks that span several keys are the compiler's.
 */
final class Keys {

  private static final Set<Integer> RENDERED_CODES =
      Set.of(Decision.ACCESS_DENIED, Decision.COUNTRY_BANNED, Decision.FIREWALL_RULE, Decision.RATE_LIMITED);
  private static final List<Source> POINT_SOURCES = Arrays.stream(Source.values())
      .filter(s -> s != Source.NONE && s != Source.INTERNAL_ERROR).toList();

  /** The bounds of a memory budget: below a mebibyte too little fits to be useful. */
  private static final long MIN_SIZE = 1L << 20;
  private static final long MAX_SIZE = 4L << 30;
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,13})(KiB|MiB|GiB)?");

  /** The most bytes of a body the rules may read: a megabyte, eight times what the CDN reads. */
  static final int MAX_INSPECT_BYTES = 1 << 20;

  /** The CDN's managed lists, which a user may define under the same name so that rules paste unchanged. */
  static final List<String> MANAGED_LISTS = List.of("open_proxies", "anonymizer", "vpn", "malware", "botnetcc");

  static final KeyRegistry<Draft> TABLE = new KeyRegistry<Draft>()
      .register("gatehouse.mode", (e, names, d, p) -> set(
          Values.choice(e, p, List.of(Mode.values()), Keys::id), v -> d.mode = v))
      .register("gatehouse.on-error", (e, names, d, p) -> set(
          Values.choice(e, p, List.of(FailMode.values()), Keys::id), v -> d.failMode = v))
      .register("gatehouse.node-id", Keys::nodeId)
      .register("gatehouse.reload.interval", Keys::reloadInterval)
      .register("gatehouse.client-ip.header", Keys::clientIpHeader)
      .register("gatehouse.client-ip.trusted-proxies", Keys::trustedProxies)
      .register("gatehouse.client-ip.expose", (e, names, d, p) -> set(Values.bool(e, p), v -> d.exposeClientIp = v))
      .register("gatehouse.access-rule.ID", Keys::accessRule)
      .register("gatehouse.access-rules.file", (e, names, d, p) -> d.accessRulesFile = d.path(e, p))
      .register("gatehouse.geo.asn-database", (e, names, d, p) -> geoSource(e, d, p, "asn", v -> d.asnDatabase = v))
      .register("gatehouse.geo.country-database", (e, names, d, p) ->
          geoSource(e, d, p, "country", v -> d.countryDatabase = v))
      .register("gatehouse.geo.ip2asn", (e, names, d, p) -> geoSource(e, d, p, "ip2asn", v -> d.ip2asn = v))
      .register("gatehouse.geo.refresh", (e, names, d, p) ->
          set(Values.duration(e, p, Duration.ofHours(1), days(30)), v -> d.geoRefresh = v))
      .register("gatehouse.reputation.feed.NAME.source", Keys::feedSource)
      .register("gatehouse.reputation.feed.NAME.score", (e, names, d, p) ->
          d.feed(names.get(0), e).score = Values.integer(e, p, 1, 100))
      .register("gatehouse.reputation.feed.NAME.format", (e, names, d, p) ->
          d.feed(names.get(0), e).format = Values.choice(e, p, List.of(FeedRegistry.Format.values()),
              FeedRegistry.Format::id))
      .register("gatehouse.reputation.feed.NAME.refresh", (e, names, d, p) ->
          d.feed(names.get(0), e).refresh = Values.duration(e, p, minutes(1), days(7)))
      .register("gatehouse.reputation.feed.NAME.action", (e, names, d, p) ->
          d.feed(names.get(0), e).action = mitigation(e, p, Action.CHALLENGE, Action.BLOCK))
      .register("gatehouse.reputation.cache-dir", (e, names, d, p) -> set(d.path(e, p), v -> d.cacheDir = v.path()))
      .register("gatehouse.reputation.fetch-timeout", (e, names, d, p) ->
          set(Values.duration(e, p, seconds(1), minutes(5)), v -> d.fetchTimeout = v))
      .register("gatehouse.reputation.behaviour.half-life", (e, names, d, p) ->
          set(Values.duration(e, p, minutes(1), days(7)), v -> d.halfLife = v))
      .register("gatehouse.reputation.behaviour.max-tracked", (e, names, d, p) ->
          set(Values.integer(e, p, 1_000, 10_000_000), v -> d.maxTracked = v))
      .register("gatehouse.reputation.behaviour.max-bytes", (e, names, d, p) ->
          set(size(e, p, MIN_SIZE, MAX_SIZE), v -> d.maxTrackedBytes = v))
      .register("gatehouse.reputation.behaviour.points.SOURCE", Keys::points)
      .register("gatehouse.reputation.behaviour.probe-paths", (e, names, d, p) ->
          set(Values.integer(e, p, 2, 1_000), v -> d.probePaths = v))
      .register("gatehouse.reputation.behaviour.probe-window", (e, names, d, p) ->
          set(Values.duration(e, p, seconds(1), days(1)), v -> d.probeWindow = v))
      .register("gatehouse.shared-ip.ranges", (e, names, d, p) -> set(Values.cidrList(e, p), v -> d.sharedRanges = v))
      .register("gatehouse.shared-ip.action", (e, names, d, p) ->
          set(mitigation(e, p, Action.CHALLENGE, Action.BLOCK), v -> d.sharedAction = v))
      .register("gatehouse.shared-ip.detect-visitors", (e, names, d, p) ->
          set(Values.integer(e, p, 2, 64), v -> d.detectVisitors = v))
      .register("gatehouse.shared-ip.detect-window", (e, names, d, p) ->
          set(Values.duration(e, p, minutes(1), days(1)), v -> d.detectWindow = v))
      .register("gatehouse.security-level", (e, names, d, p) -> set(
          Values.choice(e, p, List.of(SecurityLevel.values()), SecurityLevel::id), v -> d.securityLevel = v))
      .register("gatehouse.security-level.action", (e, names, d, p) ->
          set(mitigation(e, p, Action.CHALLENGE, Action.BLOCK), v -> d.securityLevelAction = v))
      .register("gatehouse.challenge.secret", Keys::challengeSecret)
      .register("gatehouse.challenge.ttl", (e, names, d, p) ->
          set(Values.duration(e, p, minutes(1), days(30)), v -> d.challengeTtl = v))
      .register("gatehouse.challenge.difficulty", (e, names, d, p) ->
          set(Values.integer(e, p, 1, 24), v -> d.challengeDifficulty = v))
      .register("gatehouse.challenge.path", Keys::challengePath)
      .register("gatehouse.admin.path", Keys::adminPath)
      .register("gatehouse.admin.token", Keys::adminToken)
      .register("gatehouse.admin.allowed-ips", (e, names, d, p) -> set(Values.cidrList(e, p),
          v -> d.adminAllowedIps = v))
      .register("gatehouse.browser-integrity-check", (e, names, d, p) ->
          set(Values.bool(e, p), v -> d.browserIntegrityCheck = v))
      .register("gatehouse.browser-integrity-check.scripting-clients", (e, names, d, p) ->
          set(Values.bool(e, p), v -> d.flagScriptingClients = v))
      .register("gatehouse.bots.verify-dns", (e, names, d, p) -> set(Values.bool(e, p), v -> d.verifyDns = v))
      .register("gatehouse.bots.dns-timeout", (e, names, d, p) ->
          set(Values.duration(e, p, Duration.ofMillis(100), seconds(30)), v -> d.dnsTimeout = v))
      .register("gatehouse.bots.ranges.CRAWLER", Keys::botRanges)
      .register("gatehouse.list.NAME", (e, names, d, p) -> d.lists.put(names.get(0), e))
      .register("gatehouse.list.cf.NAME", Keys::managedList)
      .register("gatehouse.body.inspect-bytes", (e, names, d, p) ->
          set(Values.integer(e, p, 0, MAX_INSPECT_BYTES), v -> d.bodyInspectBytes = v))
      .register("gatehouse.hmac.NAME", Keys::hmacSecret)
      .register("gatehouse.rule.ID.expression", (e, names, d, p) ->
          d.rule(d.customRules, names.get(0), e).expression = e)
      .register("gatehouse.rule.ID.action", (e, names, d, p) -> d.rule(d.customRules, names.get(0), e).action = e)
      .register("gatehouse.rule.ID.skip", (e, names, d, p) -> d.rule(d.customRules, names.get(0), e).skip = e)
      .register("gatehouse.rule.ID.description", (e, names, d, p) ->
          d.rule(d.customRules, names.get(0), e).description = e)
      .register("gatehouse.config-rule.ID.expression", (e, names, d, p) ->
          d.rule(d.configRules, names.get(0), e).expression = e)
      .register("gatehouse.config-rule.ID.set", (e, names, d, p) -> d.rule(d.configRules, names.get(0), e).set = e)
      .register("gatehouse.rate-limit.ID.expression", (e, names, d, p) ->
          d.rateLimit(names.get(0), e).expression = e)
      .register("gatehouse.rate-limit.ID.characteristics", (e, names, d, p) ->
          d.rateLimit(names.get(0), e).characteristics = e)
      .register("gatehouse.rate-limit.ID.period", (e, names, d, p) -> {
        Draft.RateLimitDraft r = d.rateLimit(names.get(0), e);
        r.periodEntry = e;
        set(Values.duration(e, p, seconds(1), Duration.ofHours(1)), v -> r.period = v);
      })
      .register("gatehouse.rate-limit.ID.requests", (e, names, d, p) ->
          set(Values.integer(e, p, 1, 1_000_000_000), v -> d.rateLimit(names.get(0), e).requests = v))
      .register("gatehouse.rate-limit.ID.mitigation-timeout", Keys::mitigationTimeout)
      .register("gatehouse.rate-limit.ID.action", (e, names, d, p) -> d.rateLimit(names.get(0), e).action = e)
      .register("gatehouse.rate-limit.ID.counting-expression", (e, names, d, p) ->
          d.rateLimit(names.get(0), e).countingExpression = e)
      .register("gatehouse.rate-limit.ID.score-header", Keys::scoreHeader)
      .register("gatehouse.rate-limit.max-keys", (e, names, d, p) ->
          set(Values.integer(e, p, 1_024, 16_777_216), v -> d.rateLimitKeys = v))
      .register("gatehouse.events.capacity", (e, names, d, p) ->
          set(Values.integer(e, p, 1, 10_000_000), v -> d.eventsCapacity = v))
      .register("gatehouse.events.max-bytes", (e, names, d, p) ->
          set(size(e, p, MIN_SIZE, MAX_SIZE), v -> d.eventsMaxBytes = v))
      .register("gatehouse.cluster.redis", Keys::clusterRedis)
      .register("gatehouse.cluster.name", Keys::clusterName)
      .register("gatehouse.page.site-name", (e, names, d, p) -> set(pageText(e, p), v -> d.siteName = v))
      .register("gatehouse.page.contact", (e, names, d, p) -> set(pageText(e, p), v -> d.contact = v))
      .register("gatehouse.page.template.CODE", Keys::template);

  /** A path of one or more plain segments: no empty, encoded or dot-only tricks, and never "/" alone. */
  private static final String PLAIN_PATH = "/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*";
  /** The longest page text: a site's name or a contact line, not a paragraph. */
  static final int MAX_PAGE_TEXT = 200;

  private Keys() {}

  private static Duration seconds(long n) {
    return Duration.ofSeconds(n);
  }

  private static Duration minutes(long n) {
    return Duration.ofMinutes(n);
  }

  private static Duration days(long n) {
    return Duration.ofDays(n);
  }

  /** A number of bytes in {@code [min, max]}, optionally in {@code KiB}, {@code MiB} or {@code GiB}. */
  private static Long size(ConfigSource.Entry e, ConfigException.Collector p, long min, long max) {
    Matcher m = SIZE.matcher(e.value().trim());
    if (!m.matches()) {
      p.add(e, "'" + e.value() + "' is not a size such as 16MiB, 512KiB or 1048576 (bytes); from " + sizeText(min)
          + " to " + sizeText(max));
      return null;
    }
    int shift = m.group(2) == null ? 0 : 10 * (1 + List.of("KiB", "MiB", "GiB").indexOf(m.group(2)));
    long n = Long.parseLong(m.group(1));
    // Compared before shifting, so that no number of digits can overflow.
    if (n > max >> shift || n << shift < min) {
      p.add(e, "'" + e.value() + "' is not a size from " + sizeText(min) + " to " + sizeText(max));
      return null;
    }
    return n << shift;
  }

  private static String sizeText(long bytes) {
    List<String> units = List.of("KiB", "MiB", "GiB");
    for (int i = units.size(); i > 0; i--) {
      if (bytes % (1L << (10 * i)) == 0) {
        return (bytes >> (10 * i)) + units.get(i - 1);
      }
    }
    return Long.toString(bytes);
  }

  /** Hands a value on unless parsing it failed (then the problem is reported already). */
  private static <T> void set(T value, Consumer<T> field) {
    if (value != null) {
      field.accept(value);
    }
  }

  private static String id(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** {@code block} or {@code challenge}, listed in a problem in the order given. */
  private static Action mitigation(ConfigSource.Entry e, ConfigException.Collector p, Action... order) {
    return Values.choice(e, p, List.of(order), Action::id);
  }

  private static void nodeId(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String v = e.value().trim();
    if (v.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) {
      d.nodeId = v;
    } else {
      p.add(e, "'" + e.value()
          + "' is not a node id: 1 to 32 letters, digits and '-', starting with a letter or digit");
    }
  }

  /**
   * A Redis URI: {@code redis://} or {@code rediss://} (TLS), a host, an optional port and database
   * number. A password in it is never echoed in a problem.
   */
  private static void clusterRedis(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String v = e.value().trim();
    URI uri = null;
    try {
      uri = new URI(v);
    } catch (URISyntaxException ex) {
      // Reported below.
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri == null || uri.getRawPath() == null ? "" : uri.getRawPath();
    boolean ok = uri != null && (scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null
        && (uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65_535)
        && (path.isEmpty() || path.equals("/") || path.matches("/[0-9]{1,4}"))
        && uri.getRawQuery() == null && uri.getRawFragment() == null;
    if (ok) {
      d.clusterStore = uri;
      d.clusterStoreEntry = e;
    } else {
      p.add(e, "'" + Policy.ClusterSettings.hidePassword(v) + "' is not a Redis URI such as redis://host:6379/0 or"
          + " rediss://user:password@host:6380/0");
    }
  }

  private static void clusterName(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String v = e.value().trim();
    if (v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      d.clusterName = v;
    } else {
      p.add(e, "'" + e.value() + "' is not a cluster name: 1 to 64 letters, digits, '.', '-' and '_', starting with a"
          + " letter or digit");
    }
  }

  private static void reloadInterval(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    if (e.value().trim().equals("off")) {
      d.reloadInterval = null;
    } else {
      set(Values.duration(e, p, Duration.ofMillis(100), Duration.ofHours(1)), v -> d.reloadInterval = v);
    }
  }

  private static void clientIpHeader(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    ClientIpResolver.Header h =
        Values.choice(e, p, List.of(ClientIpResolver.Header.values()), ClientIpResolver.Header::headerName);
    if (h != null) {
      d.clientIpHeader = h;
      d.clientIpHeaderEntry = e;
    }
  }

  private static void trustedProxies(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    List<Cidr> list = Values.cidrList(e, p);
    if (list != null) {
      d.trustedProxies = list;
      d.trustedProxiesEntry = e;
    }
  }

  private static void accessRule(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    try {
      d.addRule(AccessRule.parse(names.get(0), e.value(), e.location()), e.file(), e.line(), p);
    } catch (IllegalArgumentException ex) {
      p.add(e, ex.getMessage());
    }
  }

  /** A geo database: a file, or an http(s) URL downloaded to the cache directory and refreshed. */
  private static void geoSource(ConfigSource.Entry e, Draft d, ConfigException.Collector p, String kind,
      Consumer<Draft.PathEntry> file) {
    String v = e.value().trim();
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      set(url(e, p, v), u -> d.geoUrls.put(kind, new Draft.GeoUrl(u, e)));
    } else if (lower.contains("://")) {
      p.add(e, "'" + v + "' is neither a file nor an http(s) URL");
    } else {
      file.accept(d.path(e, p));
    }
  }

  /** An http(s) URL with a host, or {@code null} with a problem that says what is wrong with it. */
  private static URI url(ConfigSource.Entry e, ConfigException.Collector p, String v) {
    try {
      URI u = new URI(v);
      if (u.getHost() == null) {
        throw new URISyntaxException(v, "no host");
      }
      return u;
    } catch (URISyntaxException ex) {
      p.add(e, "'" + v + "' is not a URL: " + ex.getReason());
      return null;
    }
  }

  private static void feedSource(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    Draft.FeedDraft feed = d.feed(names.get(0), e);
    feed.sourceEntry = e;
    String v = e.value().trim();
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      set(url(e, p, v), u -> feed.url = u);
    } else if (lower.contains("://")) {
      p.add(e, "'" + v + "' is neither a file nor an http(s) URL");
    } else {
      Draft.PathEntry file = d.path(e, p);
      feed.file = file == null ? null : file.path();
    }
  }

  private static void points(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    Integer v = Values.integer(e, p, 0, 100);
    Source s = Source.fromId(names.get(0));
    if (s == null || !POINT_SOURCES.contains(s)) {
      p.add(e, "'" + names.get(0) + "' is not one of " + String.join(", ", POINT_SOURCES.stream().map(Source::id)
          .toList()));
    } else if (v != null) {
      d.points.put(s, v);
    }
  }

  /** {@code 0} (throttle: refuse only the requests over the rate) or a duration up to a day. */
  private static void mitigationTimeout(ConfigSource.Entry e, List<String> names, Draft d,
      ConfigException.Collector p) {
    Draft.RateLimitDraft r = d.rateLimit(names.get(0), e);
    if (e.value().trim().equals("0")) {
      r.mitigationTimeout = Duration.ZERO;
    } else {
      set(Values.duration(e, p, seconds(1), days(1)), v -> r.mitigationTimeout = v);
    }
  }

  /** A header name as HTTP writes them (a token), kept in lower case. */
  private static void scoreHeader(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String v = e.value().trim();
    if (!v.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")) {
      p.add(e, "'" + e.value() + "' is not a header name");
    } else {
      d.rateLimit(names.get(0), e).scoreHeader = v.toLowerCase(Locale.ROOT);
    }
  }

  private static void challengeSecret(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    if (e.value().length() < 32) {
      p.add(e, "needs at least 32 characters (it has " + e.value().length() + "); use a long random string,"
          + " the same on every instance");
    } else {
      d.challengeSecret = e.value().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static void challengePath(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    // "/" alone is refused too: every POST to the application would be taken for a challenge solution.
    set(plainPath(e, p, "/__gatehouse-challenge"), v -> {
      d.challengePath = v;
      d.challengePathEntry = e;
    });
  }

  private static void adminPath(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    set(plainPath(e, p, "/__gatehouse"), v -> {
      d.adminPath = v;
      d.adminPathEntry = e;
    });
  }

  /** A path of plain segments ({@link #PLAIN_PATH}), or {@code null} with a problem naming {@code example}. */
  private static String plainPath(ConfigSource.Entry e, ConfigException.Collector p, String example) {
    String v = e.value().trim();
    if (!v.matches(PLAIN_PATH)) {
      p.add(e, "'" + v + "' is not a plain path such as " + example);
      return null;
    }
    return v;
  }

  private static void adminToken(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    if (e.value().length() < 16) {
      p.add(e, "needs at least 16 characters (it has " + e.value().length() + "); use a long random string");
    } else {
      d.adminToken = e.value();
    }
  }

  /** A line of text for the pages: at most {@link #MAX_PAGE_TEXT} characters, no control characters. */
  private static String pageText(ConfigSource.Entry e, ConfigException.Collector p) {
    String v = e.value().trim();
    int bad = firstControl(v);
    if (bad >= 0) {
      p.add(e, "has a control character (U+" + String.format("%04X", (int) v.charAt(bad)) + ") at position " + (bad + 1)
          + "; page texts are one line of plain text");
      return null;
    }
    if (v.length() > MAX_PAGE_TEXT) {
      p.add(e, "has " + v.length() + " characters; page texts have at most " + MAX_PAGE_TEXT);
      return null;
    }
    return v;
  }

  /**
   * The index of the first character that has no place in text a person reads: C0 and C1 controls, DEL,
   * and the line and paragraph separators; or -1. {@code allowed} lists controls that may appear.
   */
  static int firstControl(CharSequence s, char... allowed) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
      if (control && !isAllowed(c, allowed)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isAllowed(char c, char[] allowed) {
    for (char a : allowed) {
      if (a == c) {
        return true;
      }
    }
    return false;
  }

  private static void botRanges(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String crawler = CrawlerVerifier.crawlerNamed(names.get(0));
    if (crawler == null) {
      p.add(e, "'" + names.get(0) + "' is not a known crawler: " + String.join(", ", CrawlerVerifier.crawlerIds()));
      return;
    }
    String name = crawler;
    set(d.path(e, p), file -> d.botRanges.put(name, file));
  }

  /** {@code gatehouse.page.template.CODE}: read now, so that an unknown placeholder is a load-time problem. */
  private static void template(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    int code;
    try {
      code = Integer.parseInt(names.get(0));
    } catch (NumberFormatException ex) {
      code = -1;
    }
    if (!RENDERED_CODES.contains(code)) {
      p.add(e, "'" + names.get(0) + "' is not an error code Gatehouse renders: 1009, 1012, 1015 or 1020");
      return;
    }
    Draft.PathEntry file = d.path(e, p);
    if (file == null) {
      return;
    }
    d.stamp(file.path());
    String html;
    try {
      html = Files.readString(file.path(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      p.add(e, "cannot read template: " + DataFiles.describe(ex, file.path()));
      return;
    }
    int bad = firstControl(html, '\t', '\n', '\r', '\f');
    if (bad >= 0) {
      p.add(e, "template " + file.path() + " has a control character (U+"
          + String.format("%04X", (int) html.charAt(bad)) + ") at offset " + bad + "; templates are HTML text");
      return;
    }
    List<String> unknown = PageSettings.unknownPlaceholders(html);
    if (!unknown.isEmpty()) {
      p.add(e, "template " + file.path() + " uses unknown placeholders " + unknown + "; known: "
          + PageSettings.PLACEHOLDERS.stream().sorted().toList());
      return;
    }
    d.templates.put(code, html);
  }

  /** {@code gatehouse.list.cf.NAME}: a list of one's own under the name of one of the CDN's managed lists. */
  private static void managedList(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String name = names.get(0);
    if (!MANAGED_LISTS.contains(name)) {
      p.add(e, "'cf." + name + "' is not one of Cloudflare's managed lists (" + MANAGED_LISTS.stream()
          .map(n -> "cf." + n).collect(java.util.stream.Collectors.joining(", ")) + "); name a list of your own"
          + " gatehouse.list.NAME");
      return;
    }
    d.lists.put("cf." + name, e);
  }

  /** {@code gatehouse.hmac.NAME}: a secret for {@code is_timed_hmac_valid_v0("NAME", ...)}. */
  private static void hmacSecret(ConfigSource.Entry e, List<String> names, Draft d, ConfigException.Collector p) {
    String secret = e.value();
    if (secret.length() < 16 || secret.length() > 1024) {
      p.add(e, "a secret has 16 to 1024 characters; this one has " + secret.length());
      return;
    }
    d.hmacSecrets.put(names.get(0), secret);
  }
}
