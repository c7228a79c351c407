package io.gatehouse.core.policy;

import io.gatehouse.core.Action;
import io.gatehouse.core.ErrorCodes;
import io.gatehouse.core.FailMode;
import io.gatehouse.core.Mode;
import io.gatehouse.core.Source;
import io.gatehouse.core.bot.CrawlerVerifier;
import io.gatehouse.core.config.ConfigEntry;
import io.gatehouse.core.config.ConfigProblems;
import io.gatehouse.core.config.Values;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.ClientIpResolver;
import io.gatehouse.core.policy.Policy.PageSettings;
import io.gatehouse.core.reputation.FeedFormat;
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
      Set.of(ErrorCodes.ACCESS_DENIED, ErrorCodes.COUNTRY_BANNED, ErrorCodes.FIREWALL_RULE);
  private static final List<Source> POINT_SOURCES = Arrays.stream(Source.values())
      .filter(s -> s != Source.NONE && s != Source.INTERNAL_ERROR).toList();

  /** The bounds of a memory budget: below a mebibyte too little fits to be useful. */
  private static final long MIN_SIZE = 1L << 20;
  private static final long MAX_SIZE = 4L << 30;
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,13})(KiB|MiB|GiB)?");

  static final KeyRegistry<Draft> TABLE = new KeyRegistry<Draft>()
      .register("gatehouse.mode", (e, names, d, p) -> set(
          Values.choice(e, p, List.of(Mode.values()), Keys::id), v -> d.mode = v))
      .register("gatehouse.on-error", (e, names, d, p) -> set(
          Values.choice(e, p, List.of(FailMode.values()), Keys::id), v -> d.failMode = v))
      .register("gatehouse.node-id", Keys::nodeId)
      .register("gatehouse.reload.interval", Keys::reloadInterval)
      .register("gatehouse.client-ip.header", Keys::clientIpHeader)
      .register("gatehouse.client-ip.trusted-proxies", Keys::trustedProxies)
      .register("gatehouse.access-rule.ID", Keys::accessRule)
      .register("gatehouse.access-rules.file", (e, names, d, p) -> d.accessRulesFile = d.path(e, p))
      .register("gatehouse.geo.asn-database", (e, names, d, p) -> d.asnDatabase = d.path(e, p))
      .register("gatehouse.geo.country-database", (e, names, d, p) -> d.countryDatabase = d.path(e, p))
      .register("gatehouse.geo.ip2asn", (e, names, d, p) -> d.ip2asn = d.path(e, p))
      .register("gatehouse.reputation.feed.NAME.source", Keys::feedSource)
      .register("gatehouse.reputation.feed.NAME.score", (e, names, d, p) ->
          d.feed(names.get(0), e).score = Values.integer(e, p, 1, 100))
      .register("gatehouse.reputation.feed.NAME.format", (e, names, d, p) ->
          d.feed(names.get(0), e).format = Values.choice(e, p, List.of(FeedFormat.values()), FeedFormat::id))
      .register("gatehouse.reputation.feed.NAME.refresh", (e, names, d, p) ->
          d.feed(names.get(0), e).refresh = Values.duration(e, p))
      .register("gatehouse.reputation.feed.NAME.action", (e, names, d, p) ->
          d.feed(names.get(0), e).action = mitigation(e, p, Action.CHALLENGE, Action.BLOCK))
      .register("gatehouse.reputation.cache-dir", (e, names, d, p) -> set(d.path(e, p), v -> d.cacheDir = v.path()))
      .register("gatehouse.reputation.fetch-timeout", (e, names, d, p) ->
          set(Values.duration(e, p), v -> d.fetchTimeout = v))
      .register("gatehouse.reputation.behaviour.half-life", (e, names, d, p) ->
          set(Values.duration(e, p), v -> d.halfLife = v))
      .register("gatehouse.reputation.behaviour.max-tracked", (e, names, d, p) ->
          set(Values.integer(e, p, 1_000, 100_000_000), v -> d.maxTracked = v))
      .register("gatehouse.reputation.behaviour.max-bytes", (e, names, d, p) ->
          set(size(e, p, MIN_SIZE, MAX_SIZE), v -> d.maxTrackedBytes = v))
      .register("gatehouse.reputation.behaviour.points.SOURCE", Keys::points)
      .register("gatehouse.reputation.behaviour.probe-paths", (e, names, d, p) ->
          set(Values.integer(e, p, 2, 1_000), v -> d.probePaths = v))
      .register("gatehouse.reputation.behaviour.probe-window", (e, names, d, p) ->
          set(Values.duration(e, p), v -> d.probeWindow = v))
      .register("gatehouse.shared-ip.ranges", (e, names, d, p) -> set(Values.cidrList(e, p), v -> d.sharedRanges = v))
      .register("gatehouse.shared-ip.action", (e, names, d, p) ->
          set(mitigation(e, p, Action.CHALLENGE, Action.BLOCK), v -> d.sharedAction = v))
      .register("gatehouse.shared-ip.detect-visitors", (e, names, d, p) ->
          set(Values.integer(e, p, 2, 64), v -> d.detectVisitors = v))
      .register("gatehouse.shared-ip.detect-window", (e, names, d, p) ->
          set(Values.duration(e, p), v -> d.detectWindow = v))
      .register("gatehouse.security-level", (e, names, d, p) -> set(
          Values.choice(e, p, List.of(SecurityLevel.values()), SecurityLevel::id), v -> d.securityLevel = v))
      .register("gatehouse.security-level.action", (e, names, d, p) ->
          set(mitigation(e, p, Action.CHALLENGE, Action.BLOCK), v -> d.securityLevelAction = v))
      .register("gatehouse.challenge.secret", Keys::challengeSecret)
      .register("gatehouse.challenge.ttl", (e, names, d, p) -> set(Values.duration(e, p), v -> d.challengeTtl = v))
      .register("gatehouse.challenge.difficulty", (e, names, d, p) ->
          set(Values.integer(e, p, 1, 32), v -> d.challengeDifficulty = v))
      .register("gatehouse.challenge.path", Keys::challengePath)
      .register("gatehouse.admin.path", Keys::adminPath)
      .register("gatehouse.admin.token", Keys::adminToken)
      .register("gatehouse.admin.allowed-ips", (e, names, d, p) -> set(Values.cidrList(e, p), v -> d.adminAllowedIps = v))
      .register("gatehouse.browser-integrity-check", (e, names, d, p) ->
          set(Values.bool(e, p), v -> d.browserIntegrityCheck = v))
      .register("gatehouse.browser-integrity-check.scripting-clients", (e, names, d, p) ->
          set(Values.bool(e, p), v -> d.flagScriptingClients = v))
      .register("gatehouse.bots.verify-dns", (e, names, d, p) -> set(Values.bool(e, p), v -> d.verifyDns = v))
      .register("gatehouse.bots.dns-timeout", (e, names, d, p) -> set(Values.duration(e, p), v -> d.dnsTimeout = v))
      .register("gatehouse.bots.ranges.CRAWLER", Keys::botRanges)
      .register("gatehouse.list.NAME", (e, names, d, p) -> d.lists.put(names.get(0), e))
      .register("gatehouse.rule.ID.expression", (e, names, d, p) -> d.rule(d.customRules, names.get(0), e).expression = e)
      .register("gatehouse.rule.ID.action", (e, names, d, p) -> d.rule(d.customRules, names.get(0), e).action = e)
      .register("gatehouse.rule.ID.skip", (e, names, d, p) -> d.rule(d.customRules, names.get(0), e).skip = e)
      .register("gatehouse.rule.ID.description", (e, names, d, p) ->
          d.rule(d.customRules, names.get(0), e).description = e)
      .register("gatehouse.config-rule.ID.expression", (e, names, d, p) ->
          d.rule(d.configRules, names.get(0), e).expression = e)
      .register("gatehouse.config-rule.ID.set", (e, names, d, p) -> d.rule(d.configRules, names.get(0), e).set = e)
      .register("gatehouse.events.capacity", (e, names, d, p) ->
          set(Values.integer(e, p, 1, 10_000_000), v -> d.eventsCapacity = v))
      .register("gatehouse.events.max-bytes", (e, names, d, p) ->
          set(size(e, p, MIN_SIZE, MAX_SIZE), v -> d.eventsMaxBytes = v))
      .register("gatehouse.page.site-name", (e, names, d, p) -> d.siteName = e.value().trim())
      .register("gatehouse.page.contact", (e, names, d, p) -> d.contact = e.value().trim())
      .register("gatehouse.page.template.CODE", Keys::template);

  private Keys() {}

  /** A number of bytes in {@code [min, max]}, optionally in {@code KiB}, {@code MiB} or {@code GiB}. */
  private static Long size(ConfigEntry e, ConfigProblems p, long min, long max) {
    Matcher m = SIZE.matcher(e.value().trim());
    if (m.matches()) {
      int shift = m.group(2) == null ? 0 : 10 * (1 + List.of("KiB", "MiB", "GiB").indexOf(m.group(2)));
      long n = Long.parseLong(m.group(1));
      // Compared before shifting, so that no number of digits can overflow.
      if (n <= max >> shift && n << shift >= min) {
        return n << shift;
      }
    }
    p.add(e, "'" + e.value() + "' is not a size from " + sizeText(min) + " to " + sizeText(max)
        + ", such as 16MiB, 512KiB or 1048576 (bytes)");
    return null;
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
  private static Action mitigation(ConfigEntry e, ConfigProblems p, Action... order) {
    return Values.choice(e, p, List.of(order), Action::id);
  }

  private static void nodeId(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    String v = e.value().trim();
    if (v.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) {
      d.nodeId = v;
    } else {
      p.add(e, "'" + e.value() + "' is not a node id: 1 to 32 letters, digits and '-', starting with a letter or digit");
    }
  }

  private static void reloadInterval(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    if (e.value().trim().equals("off")) {
      d.reloadInterval = null;
    } else {
      set(Values.duration(e, p), v -> d.reloadInterval = v);
    }
  }

  private static void clientIpHeader(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    ClientIpResolver.Header h =
        Values.choice(e, p, List.of(ClientIpResolver.Header.values()), ClientIpResolver.Header::headerName);
    if (h != null) {
      d.clientIpHeader = h;
      d.clientIpHeaderEntry = e;
    }
  }

  private static void trustedProxies(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    List<Cidr> list = Values.cidrList(e, p);
    if (list != null) {
      d.trustedProxies = list;
      d.trustedProxiesEntry = e;
    }
  }

  private static void accessRule(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    try {
      d.addRule(AccessRule.parse(names.get(0), e.value(), e.location()), e.file(), e.line(), p);
    } catch (IllegalArgumentException ex) {
      p.add(e, ex.getMessage());
    }
  }

  private static void feedSource(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    Draft.FeedDraft feed = d.feed(names.get(0), e);
    feed.sourceEntry = e;
    String v = e.value().trim();
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        URI u = new URI(v);
        if (u.getHost() == null) {
          throw new URISyntaxException(v, "no host");
        }
        feed.url = u;
      } catch (URISyntaxException ex) {
        p.add(e, "'" + v + "' is not a URL: " + ex.getReason());
      }
    } else if (lower.contains("://")) {
      p.add(e, "'" + v + "' is neither a file nor an http(s) URL");
    } else {
      Draft.PathEntry file = d.path(e, p);
      feed.file = file == null ? null : file.path();
    }
  }

  private static void points(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    Integer v = Values.integer(e, p, 0, 100);
    Source s = Source.fromId(names.get(0));
    if (s == null || !POINT_SOURCES.contains(s)) {
      p.add(e, "'" + names.get(0) + "' is not one of " + String.join(", ", POINT_SOURCES.stream().map(Source::id)
          .toList()));
    } else if (v != null) {
      d.points.put(s, v);
    }
  }

  private static void challengeSecret(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    if (e.value().length() < 32) {
      p.add(e, "needs at least 32 characters (it has " + e.value().length() + "); use a long random string,"
          + " the same on every instance");
    } else {
      d.challengeSecret = e.value().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static void challengePath(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    String v = e.value().trim();
    if (!v.matches("/[A-Za-z0-9._~/-]*") || v.contains("//")) {
      p.add(e, "'" + v + "' is not a plain path starting with /");
    } else {
      d.challengePath = v;
    }
  }

  private static void adminPath(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    String v = e.value().trim();
    if (!v.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
      p.add(e, "'" + v + "' is not a plain path such as /__gatehouse");
    } else {
      d.adminPath = v;
    }
  }

  private static void adminToken(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    if (e.value().length() < 16) {
      p.add(e, "needs at least 16 characters (it has " + e.value().length() + "); use a long random string");
    } else {
      d.adminToken = e.value();
    }
  }

  private static void botRanges(ConfigEntry e, List<String> names, Draft d, ConfigProblems p) {
    String crawler = CrawlerVerifier.crawlerNamed(names.get(0));
    if (crawler == null) {
      p.add(e, "'" + names.get(0) + "' is not a known crawler: " + String.join(", ", CrawlerVerifier.crawlerIds()));
      return;
    }
    String name = crawler;
    set(d.path(e, p), file -> d.botRanges.put(name, file));
  }

  /** {@code gatehouse.page.template.CODE}: read now, so that an unknown placeholder is a load-time problem. */
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
    d.stamp(file.path());
    String html;
    try {
      html = Files.readString(file.path(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      p.add(e, "cannot read template " + file.path() + ": " + ex.getClass().getSimpleName());
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
}
