package io.gatehouse.benchmarks;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A fully loaded configuration, written to a directory: what a busy site would run. By default 100,000
 * access rules (addresses, networks, AS numbers, countries), two feeds totalling 1,000,000 ranges, 100
 * custom rules of every kind of expression ({@link Size#withRules} for more or fewer), 400,000 iptoasn
 * ranges for AS and country, configuration rules, and trusted-proxy client addresses. Reproducible: every
 * run writes the same files.
 *
 * <p>The sample requests are chosen so each is decided where its name says: {@link #allowed()} passes
 * every phase (and pays for the geo and reputation lookups), {@link #blockedByAccessRule()},
 * {@link #blockedByReputation()} and {@link #blockedByIntegrityCheck()} stop where they should.
 */
final class FullPolicy {

  static final String ALLOWED_IP = "192.0.2.10";
  static final String RULE_BLOCKED_IP = "203.0.113.66";
  static final String LISTED_IP = "198.51.100.77";
  static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";

  private FullPolicy() {}

  /**
   * Sizes of the parts; {@link #FULL} is the benchmark's, {@link #SMALL} a quick check that it runs. The
   * custom rules are {@link #expression(int)} for 0 to {@code customRules - 1}, at most
   * {@link #MAX_CUSTOM_RULES}.
   */
  record Size(int accessRules, int feedRanges, int customRules, int geoRanges) {
    Size {
      if (accessRules < 0 || feedRanges < 0 || geoRanges < 0) {
        throw new IllegalArgumentException("negative size: " + accessRules + " access rules, " + feedRanges
            + " feed ranges, " + geoRanges + " geo ranges");
      }
      if (customRules < 0 || customRules > MAX_CUSTOM_RULES) {
        throw new IllegalArgumentException(customRules + " custom rules; expected 0 to " + MAX_CUSTOM_RULES);
      }
    }

    /** The same sizes with {@code customRules} custom rules, the first of them those of this size. */
    Size withRules(int customRules) {
      return new Size(accessRules, feedRanges, customRules, geoRanges);
    }
  }

  /** The most custom rules a policy is written with; {@link #expression(int)} is checked that far. */
  static final int MAX_CUSTOM_RULES = 100_000;

  static final Size FULL = new Size(100_000, 1_000_000, 100, 400_000);
  static final Size SMALL = new Size(1_000, 10_000, 100, 4_000);

  /** Writes the configuration into {@code dir} and returns the properties file. */
  static Path write(Path dir, Size size) {
    try {
      Random r = new Random(20261125L);
      writeAccessRules(dir.resolve("access-rules.json"), size.accessRules(), r);
      writeFeed(dir.resolve("feed-a.netset"), size.feedRanges() * 7 / 10, r, "198.51.100.0/24");
      writeFeed(dir.resolve("feed-b.netset"), size.feedRanges() - size.feedRanges() * 7 / 10, r, null);
      writeGeo(dir.resolve("ip2asn.tsv"), size.geoRanges(), r);
      StringBuilder p = new StringBuilder();
      p.append("""
          gatehouse.reload.interval=off
          gatehouse.client-ip.header=X-Forwarded-For
          gatehouse.client-ip.trusted-proxies=127.0.0.1, 10.255.0.0/16
          gatehouse.access-rules.file=access-rules.json
          gatehouse.geo.ip2asn=ip2asn.tsv
          gatehouse.reputation.feed.a.source=feed-a.netset
          gatehouse.reputation.feed.a.score=60
          gatehouse.reputation.feed.a.action=block
          gatehouse.reputation.feed.b.source=feed-b.netset
          gatehouse.reputation.feed.b.score=30
          gatehouse.reputation.cache-dir=cache
          gatehouse.security-level=medium
          gatehouse.challenge.secret=benchmark-secret-benchmark-secret-0123
          gatehouse.access-rule.blocked=block ip %s "benchmark: blocked address"
          gatehouse.access-rule.embargo=block country KP
          gatehouse.access-rule.hoster=challenge asn 64999
          gatehouse.list.partners=198.18.0.0/15, 2001:db8:feed::/48
          gatehouse.list.bad_agents=string: masscan/1.3, zgrab/0.x
          gatehouse.config-rule.api.expression=starts_with(http.request.uri.path, "/api/")
          gatehouse.config-rule.api.set=security_level=low
          gatehouse.config-rule.pay.expression=http.request.uri.path eq "/checkout/pay"
          gatehouse.config-rule.pay.set=security_level=high, security_level_action=challenge
          """.formatted(RULE_BLOCKED_IP));
      for (int i = 0; i < size.customRules(); i++) {
        p.append("gatehouse.rule.r").append(i).append(".expression=").append(expression(i)).append('\n');
        p.append("gatehouse.rule.r").append(i).append(".action=").append(i % 10 == 9 ? "log" : "block").append('\n');
      }
      Path config = dir.resolve("gatehouse.properties");
      Files.writeString(config, p.toString());
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code i}th custom rule: ten kinds of expression that sites write, in turn, each made distinct
   * by {@code i}; none matches the allowed request. Rule {@code i} is the same whatever the number of
   * rules, so the first hundred are always those of the figures measured with a hundred.
   */
  static String expression(int i) {
    if (i < 0) {
      throw new IllegalArgumentException("rule " + i + ": expected a number from 0");
    }
    return switch (i % 10) {
      case 0 -> "http.request.uri.path eq \"/wp-admin/setup-config-" + i + ".php\"";
      case 1 -> "starts_with(http.request.uri.path, \"/internal/" + i + "/\") and not ip.src in $partners";
      case 2 -> "http.user_agent contains \"scanner-" + i + "\"";
      case 3 -> "http.request.uri.query matches \"(?i)(union.+select|<script)" + i + "\"";
      case 4 -> "any(http.request.headers[\"x-debug-" + i + "\"][*] eq \"1\")";
      // Octets wrap so that every i gives valid addresses (policies carry up to 100,000); below 100 they
      // are i and i + 100, as they always were, so the policy's rules are unchanged.
      case 5 -> "ip.src in {198.19." + i % 256 + ".0/24 203.0.113." + (100 + i % 156) + " " + ipv6Network(i) + "}";
      case 6 -> "ip.src.country in {\"KP\" \"IR\"} and http.request.method eq \"POST\" and http.request.uri.path contains \"/upload" + i + "\"";
      case 7 -> "http.host wildcard \"*.internal-" + i + ".example\"";
      case 8 -> "cf.threat_score gt 80 and http.request.method in {\"POST\" \"PUT\"} and ends_with(http.request.uri.path, \"/" + i + "\")";
      default -> "lower(url_decode(http.request.uri.path)) contains \"/../" + i + "\" or http.user_agent in $bad_agents";
    };
  }

  /**
   * A network of rule {@code i}'s own: below 10,000, i's decimal digits read as a hexadecimal group
   * ({@code 2001:db8:9999::/48}), as it always was; beyond, where the digits would no longer fit a
   * group, a /80 under {@code 2001:db8:ffff::}, which no group of decimal digits reaches.
   */
  private static String ipv6Network(int i) {
    if (i < 10_000) {
      return "2001:db8:" + i + "::/48";
    }
    return "2001:db8:ffff:" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/80";
  }

  static void writeAccessRules(Path file, int count, Random r) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\"rules\": [\n");
      for (int i = 0; i < count; i++) {
        // Addresses and /24s over 10.0.0.0/8 and 172.16.0.0/12, AS numbers now and then.
        String action = i % 20 == 0 ? "allow" : i % 20 == 1 ? "log" : "block";
        String target;
        String value;
        if (i % 50 == 0) {
          target = "asn";
          value = Integer.toString(65000 + i / 50);
        } else {
          target = "ip";
          int base = i % 2 == 0 ? 0x0a00_0000 : 0xac10_0000;
          int span = i % 2 == 0 ? 1 << 24 : 1 << 20;
          int a = base + r.nextInt(span);
          value = i % 5 == 0 ? ip(a & 0xffff_ff00) + "/24" : ip(a);
        }
        w.write("  {\"id\": \"m" + i + "\", \"action\": \"" + action + "\", \"target\": \"" + target + "\", \"value\": \""
            + value + "\"}" + (i + 1 < count ? "," : "") + "\n");
      }
      w.write("]}\n");
    }
  }

  private static void writeFeed(Path file, int count, Random r, String extra) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("# synthetic feed for benchmarks\n");
      if (extra != null) {
        w.write(extra + "\n");
      }
      for (int i = 0; i < count; i++) {
        int a = r.nextInt();
        int first = (a >>> 24);
        if (first == 192 || first == 198 || first == 203 || first == 10 || first == 127 || first == 0) {
          a ^= 0x4000_0000; // keep out of the sample requests' ranges
        }
        int prefix = 24 + r.nextInt(9);
        int mask = prefix == 32 ? -1 : ~((1 << (32 - prefix)) - 1);
        w.write(ip(a & mask) + (prefix == 32 ? "" : "/" + prefix) + "\n");
      }
    }
  }

  static void writeGeo(Path file, int count, Random r) throws IOException {
    String[] countries = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "CN", "NL", "SE", "AU", "CA", "KP"};
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long start = 0x0100_0000L;
      long end = 0xdfff_ffffL;
      long step = (end - start) / count;
      for (int i = 0; i < count; i++) {
        long first = start + i * step;
        long last = first + step - 1;
        int asn = 1000 + r.nextInt(60_000);
        String country = countries[r.nextInt(countries.length - 1)];
        w.write(ip((int) first) + "\t" + ip((int) last) + "\t" + asn + "\t" + country + "\tAS-" + asn + "\n");
      }
    }
  }

  static String ip(int a) {
    return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
  }

  static Gatehouse engine(Path config) {
    try {
      return Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** A browser's request, as a trusted proxy forwards it. */
  static RequestFacts request(String client, String path, String userAgent) {
    RequestFacts.Builder b = RequestFacts.builder().peer("10.255.0.7").method("GET").scheme("https")
        .host("shop.example").uri(path)
        .header("Host", "shop.example")
        .header("User-Agent", userAgent)
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")
        .header("Accept-Language", "en-GB,en;q=0.9")
        .header("Accept-Encoding", "gzip, deflate, br, zstd")
        .header("sec-ch-ua", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"")
        .header("sec-ch-ua-mobile", "?0")
        .header("sec-ch-ua-platform", "\"Windows\"")
        .header("Sec-Fetch-Dest", "document")
        .header("Sec-Fetch-Mode", "navigate")
        .header("Sec-Fetch-Site", "same-origin")
        .header("Upgrade-Insecure-Requests", "1")
        .header("Cookie", "session=0123456789abcdef; theme=dark")
        .header("X-Forwarded-For", client)
        .header("X-Forwarded-Proto", "https");
    return b.build();
  }

  static RequestFacts allowed() {
    return request(ALLOWED_IP, "/products/123?ref=home", BROWSER);
  }

  static RequestFacts blockedByAccessRule() {
    return request(RULE_BLOCKED_IP, "/products/123", BROWSER);
  }

  static RequestFacts blockedByReputation() {
    return request(LISTED_IP, "/products/123", BROWSER);
  }

  static RequestFacts blockedByIntegrityCheck() {
    return request(ALLOWED_IP, "/products/123", "sqlmap/1.7.2#stable (https://sqlmap.org)");
  }
}
