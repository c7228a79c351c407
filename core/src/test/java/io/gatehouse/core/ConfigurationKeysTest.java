package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration key with a value that makes no sense, and the exact problem reported for it:
 * {@code file:line: key: message}. Each row is a configuration file of its own; a key that is only
 * checked together with another (a feed's score with its source, a rule's action with its expression)
 * gets that companion on another line, so the nonsense value is the only problem. In the expected text
 * {@code {config}} stands for the configuration file and {@code {dir}} for its directory, against which
 * relative file names are resolved.
 */
class ConfigurationKeysTest {

  private static final String DROP_FEED = "gatehouse.reputation.feed.drop.source=https://www.spamhaus.org/drop/drop.txt\n";
  private static final String ADMIN_RULE = "gatehouse.rule.admin.expression=http.request.uri.path eq \"/admin\"\n";
  private static final String RATE_LIMIT = "gatehouse.rate-limit.login.expression=http.request.uri.path eq \"/login\"\n"
      + "gatehouse.rate-limit.login.period=1m\ngatehouse.rate-limit.login.requests=5\n";
  private static final String API_RULE =
      "gatehouse.config-rule.api.expression=starts_with(http.request.uri.path, \"/api/\")\n";

  static Stream<Arguments> keys() {
    return Stream.of(
        row("gatehouse.rate-limit.ID.expression", "gatehouse.rate-limit.login.expression=http.response.code eq 401\n"
                + RATE_LIMIT.substring(RATE_LIMIT.indexOf('\n') + 1),
            "{config}:1: gatehouse.rate-limit.login.expression: http.response.code is known only once the application"
                + " has answered; read it in gatehouse.rate-limit.login.counting-expression"),
        row("gatehouse.rate-limit.ID.characteristics",
            RATE_LIMIT + "gatehouse.rate-limit.login.characteristics=ip.source",
            "{config}:4: gatehouse.rate-limit.login.characteristics: 'ip.source' is not a characteristic: ip.src,"
                + " cf.unique_visitor_id, http.request.headers[\"name\"], http.request.cookies[\"name\"],"
                + " http.request.uri.args[\"name\"], http.request.uri.path, http.host, ip.src.asnum, ip.src.country"),
        row("gatehouse.rate-limit.ID.period", RATE_LIMIT.replace("period=1m", "period=1 minute"),
            "{config}:2: gatehouse.rate-limit.login.period: '1 minute' is not a duration such as 45s, 30m, 1h, 7d or"
                + " PT30M; from 1s to 1h"),
        row("gatehouse.rate-limit.ID.requests", RATE_LIMIT.replace("requests=5", "requests=0"),
            "{config}:3: gatehouse.rate-limit.login.requests: '0' is not a whole number from 1 to 1000000000"),
        row("gatehouse.rate-limit.ID.mitigation-timeout",
            RATE_LIMIT + "gatehouse.rate-limit.login.mitigation-timeout=2d",
            "{config}:4: gatehouse.rate-limit.login.mitigation-timeout: '2d' is not a duration from 1s to 1d"),
        row("gatehouse.rate-limit.ID.action", RATE_LIMIT + "gatehouse.rate-limit.login.action=allow",
            "{config}:4: gatehouse.rate-limit.login.action: 'allow' is not one of block, challenge, log"),
        row("gatehouse.rate-limit.ID.counting-expression",
            RATE_LIMIT + "gatehouse.rate-limit.login.counting-expression=http.response.code eq \"401\"",
            "{config}:4:70: gatehouse.rate-limit.login.counting-expression: expected an Integer after 'eq', found"
                + " the string \"401\"; write it without quotes\n"
                + "  http.response.code eq \"401\"\n"
                + "                        ^"),
        row("gatehouse.rate-limit.ID.score-header", RATE_LIMIT + "gatehouse.rate-limit.login.score-header=X Cost",
            "{config}:4: gatehouse.rate-limit.login.score-header: 'X Cost' is not a header name"),
        row("gatehouse.rate-limit.max-keys", "gatehouse.rate-limit.max-keys=10",
            "{config}:1: gatehouse.rate-limit.max-keys: '10' is not a whole number from 1024 to 16777216"),
        row("gatehouse.mode", "gatehouse.mode=sometimes",
            "{config}:1: gatehouse.mode: 'sometimes' is not one of enforce, simulate"),
        row("gatehouse.on-error", "gatehouse.on-error=ignore",
            "{config}:1: gatehouse.on-error: 'ignore' is not one of allow, block"),
        row("gatehouse.node-id", "gatehouse.node-id=fra 1",
            "{config}:1: gatehouse.node-id: 'fra 1' is not a node id: 1 to 32 letters, digits and '-', starting with"
                + " a letter or digit"),
        row("gatehouse.reload.interval", "gatehouse.reload.interval=2",
            "{config}:1: gatehouse.reload.interval: '2' is not a duration such as 45s, 30m, 1h, 7d or PT30M;"
                + " from 100ms to 1h"),
        row("gatehouse.client-ip.header", "gatehouse.client-ip.header=X-Client-IP",
            "{config}:1: gatehouse.client-ip.header: 'X-Client-IP' is not one of none, X-Forwarded-For, Forwarded,"
                + " X-Real-IP, CF-Connecting-IP, True-Client-IP"),
        row("gatehouse.client-ip.expose", "gatehouse.client-ip.expose=yes",
            "{config}:1: gatehouse.client-ip.expose: 'yes' is not on, off, true or false"),
        row("gatehouse.client-ip.trusted-proxies", "gatehouse.client-ip.trusted-proxies=10.0.0.0/33",
            "{config}:1: gatehouse.client-ip.trusted-proxies: '10.0.0.0/33' is not a network: the prefix length must"
                + " be 0..32"),
        row("gatehouse.access-rule.ID", "gatehouse.access-rule.office=permit ip 203.0.113.0/24",
            "{config}:1: gatehouse.access-rule.office: 'permit' is not an access rule action: allow, block, challenge"
                + " or log"),
        row("gatehouse.access-rules.file", "gatehouse.access-rules.file=file:",
            "{config}:1: gatehouse.access-rules.file: needs a file path"),
        row("gatehouse.geo.refresh", "gatehouse.geo.refresh=daily",
            "{config}:1: gatehouse.geo.refresh: 'daily' is not a duration such as 45s, 30m, 1h, 7d or PT30M; from 1h to 30d"),
        row("gatehouse.geo.asn-database", "gatehouse.geo.asn-database=GeoLite2-ASN.mmdb",
            "{config}:1: gatehouse.geo.asn-database: no such file: {dir}/GeoLite2-ASN.mmdb"),
        row("gatehouse.geo.country-database", "gatehouse.geo.country-database=GeoLite2-Country.mmdb",
            "{config}:1: gatehouse.geo.country-database: no such file: {dir}/GeoLite2-Country.mmdb"),
        row("gatehouse.geo.ip2asn", "gatehouse.geo.ip2asn=ip2asn-combined.tsv",
            "{config}:1: gatehouse.geo.ip2asn: no such file: {dir}/ip2asn-combined.tsv"),
        row("gatehouse.reputation.feed.NAME.source", "gatehouse.reputation.feed.drop.source=drop.txt",
            "{config}:1: gatehouse.reputation.feed.drop.source: no such file: {dir}/drop.txt"),
        row("gatehouse.reputation.feed.NAME.score", DROP_FEED + "gatehouse.reputation.feed.drop.score=high",
            "{config}:2: gatehouse.reputation.feed.drop.score: 'high' is not a whole number from 1 to 100"),
        row("gatehouse.reputation.feed.NAME.format", DROP_FEED + "gatehouse.reputation.feed.drop.format=xml",
            "{config}:2: gatehouse.reputation.feed.drop.format: 'xml' is not one of auto, plain, spamhaus-drop, csv,"
                + " tor-exits"),
        row("gatehouse.reputation.feed.NAME.refresh", DROP_FEED + "gatehouse.reputation.feed.drop.refresh=hourly",
            "{config}:2: gatehouse.reputation.feed.drop.refresh: 'hourly' is not a duration such as 45s, 30m, 1h,"
                + " 7d or PT30M; from 1m to 7d"),
        row("gatehouse.reputation.feed.NAME.action", DROP_FEED + "gatehouse.reputation.feed.drop.action=deny",
            "{config}:2: gatehouse.reputation.feed.drop.action: 'deny' is not one of challenge, block"),
        row("gatehouse.reputation.cache-dir", "gatehouse.reputation.cache-dir=",
            "{config}:1: gatehouse.reputation.cache-dir: needs a file path"),
        row("gatehouse.reputation.fetch-timeout", "gatehouse.reputation.fetch-timeout=30",
            "{config}:1: gatehouse.reputation.fetch-timeout: '30' is not a duration such as 45s, 30m, 1h, 7d or PT30M;"
                + " from 1s to 5m"),
        row("gatehouse.reputation.behaviour.half-life", "gatehouse.reputation.behaviour.half-life=99999999d",
            "{config}:1: gatehouse.reputation.behaviour.half-life: '99999999d' is not a duration from 1m to 7d"),
        row("gatehouse.reputation.behaviour.max-tracked", "gatehouse.reputation.behaviour.max-tracked=1e6",
            "{config}:1: gatehouse.reputation.behaviour.max-tracked: '1e6' is not a whole number from 1000 to"
                + " 10000000"),
        row("gatehouse.reputation.behaviour.max-bytes", "gatehouse.reputation.behaviour.max-bytes=512KiB",
            "{config}:1: gatehouse.reputation.behaviour.max-bytes: '512KiB' is not a size from 1MiB to 4GiB"),
        row("gatehouse.reputation.behaviour.points.SOURCE", "gatehouse.reputation.behaviour.points.access_rules=lots",
            "{config}:1: gatehouse.reputation.behaviour.points.access_rules: 'lots' is not a whole number from 0 to"
                + " 100"),
        row("gatehouse.reputation.behaviour.probe-paths", "gatehouse.reputation.behaviour.probe-paths=1",
            "{config}:1: gatehouse.reputation.behaviour.probe-paths: '1' is not a whole number from 2 to 1000"),
        row("gatehouse.reputation.behaviour.probe-window", "gatehouse.reputation.behaviour.probe-window=-1m",
            "{config}:1: gatehouse.reputation.behaviour.probe-window: '-1m' is not a duration such as 45s, 30m,"
                + " 1h, 7d or PT30M; from 1s to 1d"),
        row("gatehouse.shared-ip.ranges", "gatehouse.shared-ip.ranges=100.64.0.0/10, carrier-nat",
            "{config}:1: gatehouse.shared-ip.ranges: 'carrier-nat' is not an IP address literal"),
        row("gatehouse.shared-ip.action", "gatehouse.shared-ip.action=allow",
            "{config}:1: gatehouse.shared-ip.action: 'allow' is not one of challenge, block"),
        row("gatehouse.shared-ip.detect-visitors", "gatehouse.shared-ip.detect-visitors=1",
            "{config}:1: gatehouse.shared-ip.detect-visitors: '1' is not a whole number from 2 to 64"),
        row("gatehouse.shared-ip.detect-window", "gatehouse.shared-ip.detect-window=soon",
            "{config}:1: gatehouse.shared-ip.detect-window: 'soon' is not a duration such as 45s, 30m, 1h, 7d or PT30M;"
                + " from 1m to 1d"),
        row("gatehouse.security-level", "gatehouse.security-level=paranoid",
            "{config}:1: gatehouse.security-level: 'paranoid' is not one of off, essentially_off, low, medium, high,"
                + " under_attack"),
        row("gatehouse.security-level.action", "gatehouse.security-level.action=log",
            "{config}:1: gatehouse.security-level.action: 'log' is not one of challenge, block"),
        row("gatehouse.challenge.secret", "gatehouse.challenge.secret=changeme",
            "{config}:1: gatehouse.challenge.secret: needs at least 32 characters (it has 8); use a long random"
                + " string, the same on every instance"),
        row("gatehouse.challenge.ttl", "gatehouse.challenge.ttl=999999999999d",
            "{config}:1: gatehouse.challenge.ttl: '999999999999d' is not a duration from 1m to 30d"),
        row("gatehouse.challenge.difficulty", "gatehouse.challenge.difficulty=64",
            "{config}:1: gatehouse.challenge.difficulty: '64' is not a whole number from 1 to 24"),
        row("gatehouse.challenge.path", "gatehouse.challenge.path=/__gatehouse-challenge//x",
            "{config}:1: gatehouse.challenge.path: '/__gatehouse-challenge//x' is not a plain path such as"
                + " /__gatehouse-challenge"),
        row("gatehouse.admin.path", "gatehouse.admin.path=__gatehouse",
            "{config}:1: gatehouse.admin.path: '__gatehouse' is not a plain path such as /__gatehouse"),
        row("gatehouse.admin.token", "gatehouse.admin.token=admin",
            "{config}:1: gatehouse.admin.token: needs at least 16 characters (it has 5); use a long random string"),
        row("gatehouse.admin.allowed-ips", "gatehouse.admin.allowed-ips=localhost",
            "{config}:1: gatehouse.admin.allowed-ips: 'localhost' is not an IP address literal"),
        row("gatehouse.browser-integrity-check", "gatehouse.browser-integrity-check=yes",
            "{config}:1: gatehouse.browser-integrity-check: 'yes' is not on, off, true or false"),
        row("gatehouse.browser-integrity-check.scripting-clients",
            "gatehouse.browser-integrity-check.scripting-clients=sometimes",
            "{config}:1: gatehouse.browser-integrity-check.scripting-clients: 'sometimes' is not on, off, true or"
                + " false"),
        row("gatehouse.bots.verify-dns", "gatehouse.bots.verify-dns=1",
            "{config}:1: gatehouse.bots.verify-dns: '1' is not on, off, true or false"),
        row("gatehouse.bots.dns-timeout", "gatehouse.bots.dns-timeout=2 seconds",
            "{config}:1: gatehouse.bots.dns-timeout: '2 seconds' is not a duration such as 45s, 30m, 1h, 7d or PT30M;"
                + " from 100ms to 30s"),
        row("gatehouse.bots.ranges.CRAWLER", "gatehouse.bots.ranges.googlebot=googlebot.json",
            "{config}:1: gatehouse.bots.ranges.googlebot: no such file: {dir}/googlebot.json"),
        row("gatehouse.list.NAME", "gatehouse.list.bad_agents=file:bad-agents.txt",
            "{config}:1: gatehouse.list.bad_agents: cannot read list file: no such file: {dir}/bad-agents.txt"),
        row("gatehouse.list.cf.NAME", "gatehouse.list.cf.proxies=file:proxies.txt",
            "{config}:1: gatehouse.list.cf.proxies: 'cf.proxies' is not one of Cloudflare's managed lists"
                + " (cf.open_proxies, cf.anonymizer, cf.vpn, cf.malware, cf.botnetcc); name a list of your own"
                + " gatehouse.list.NAME"),
        row("gatehouse.body.inspect-bytes", "gatehouse.body.inspect-bytes=2000000",
            "{config}:1: gatehouse.body.inspect-bytes: '2000000' is not a whole number from 0 to 1048576"),
        row("gatehouse.hmac.NAME", "gatehouse.hmac.downloads=short",
            "{config}:1: gatehouse.hmac.downloads: a secret has 16 to 1024 characters; this one has 5"),
        row("gatehouse.rule.ID.expression",
            "gatehouse.rule.admin.expression=http.request.uri.path eq\ngatehouse.rule.admin.action=block",
            "{config}:1:57: gatehouse.rule.admin.expression: expected a String after 'eq', found the end of the"
                + " expression\n"
                + "  http.request.uri.path eq\n"
                + "                          ^"),
        row("gatehouse.rule.ID.action", ADMIN_RULE + "gatehouse.rule.admin.action=deny",
            "{config}:2: gatehouse.rule.admin.action: 'deny' is not one of block, challenge, allow, skip, log"),
        row("gatehouse.rule.ID.skip",
            ADMIN_RULE + "gatehouse.rule.admin.action=skip\ngatehouse.rule.admin.skip=everything",
            "{config}:3: gatehouse.rule.admin.skip: 'everything' is not one of access_rules, custom_rules, rate_limiting,"
                + " browser_integrity_check, security_level"),
        row("gatehouse.rule.ID.description",
            ADMIN_RULE + "gatehouse.rule.admin.action=block\ngatehouse.rule.admin.description=${ADMIN_RULE_NOTE}",
            "{config}:3: gatehouse.rule.admin.description: environment variable ADMIN_RULE_NOTE is not set (write"
                + " ${ADMIN_RULE_NOTE:default} to give a default)"),
        row("gatehouse.config-rule.ID.expression",
            "gatehouse.config-rule.api.expression=starts_with(http.request.uri.path \"/api/\")\n"
                + "gatehouse.config-rule.api.set=security_level=high",
            "{config}:1:72: gatehouse.config-rule.api.expression: expected ',' or ')' after an argument of"
                + " starts_with(), found the string \"/api/\"\n"
                + "  starts_with(http.request.uri.path \"/api/\")\n"
                + "                                    ^"),
        row("gatehouse.config-rule.ID.set", API_RULE + "gatehouse.config-rule.api.set=security_level=extreme",
            "{config}:2: gatehouse.config-rule.api.set: 'extreme' is not a value of security_level"),
        row("gatehouse.cluster.redis", "gatehouse.cluster.redis=http://app:s3cret@redis.internal:6379/0",
            "{config}:1: gatehouse.cluster.redis: 'http://app:***@redis.internal:6379/0' is not a Redis URI such as"
                + " redis://host:6379/0 or rediss://user:password@host:6380/0"),
        row("gatehouse.cluster.name", "gatehouse.cluster.name=shop cluster",
            "{config}:1: gatehouse.cluster.name: 'shop cluster' is not a cluster name: 1 to 64 letters, digits, '.',"
                + " '-' and '_', starting with a letter or digit"),
        row("gatehouse.events.capacity", "gatehouse.events.capacity=unlimited",
            "{config}:1: gatehouse.events.capacity: 'unlimited' is not a whole number from 1 to 10000000"),
        row("gatehouse.events.max-bytes", "gatehouse.events.max-bytes=16MB",
            "{config}:1: gatehouse.events.max-bytes: '16MB' is not a size such as 16MiB, 512KiB or 1048576 (bytes);"
                + " from 1MiB to 4GiB"),
        row("gatehouse.page.site-name", "gatehouse.page.site-name=${SITE_NAME}",
            "{config}:1: gatehouse.page.site-name: environment variable SITE_NAME is not set (write"
                + " ${SITE_NAME:default} to give a default)"),
        row("gatehouse.page.contact", "gatehouse.page.contact=${SUPPORT_EMAIL}",
            "{config}:1: gatehouse.page.contact: environment variable SUPPORT_EMAIL is not set (write"
                + " ${SUPPORT_EMAIL:default} to give a default)"),
        row("gatehouse.page.template.CODE", "gatehouse.page.template.1020=blocked.html",
            "{config}:1: gatehouse.page.template.1020: cannot read template: no such file: {dir}/blocked.html"));
  }

  /** A key pattern, the configuration file that gives an instance of it a nonsense value, and the problem. */
  private static Arguments row(String pattern, String properties, String problem) {
    return Arguments.of(pattern, properties, problem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void aNonsenseValueIsReportedWithFileLineKeyAndMessage(String pattern, String properties, String problem,
      @TempDir Path dir) throws IOException {
    Path config = dir.resolve("gatehouse.properties");
    Files.writeString(config, properties + "\n");
    String expected = problem.replace("{config}", config.toString()).replace("{dir}", dir.toString());

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false)
            .environment(Map.of()).build())
        .satisfies(e -> {
          assertThat(e.problems()).extracting(ConfigException.Problem::toString).containsExactly(expected);
          assertThat(e.problems().get(0).key()).as("the key of the problem is an instance of %s", pattern)
              .matches(instancesOf(pattern));
        });
  }

  @Test
  void everyKeyPatternHasExactlyOneRowInTheTable() {
    List<String> tabled = keys().map(row -> (String) row.get()[0]).toList();
    assertThat(tabled).as("key patterns with more than one row").doesNotHaveDuplicates();
    assertThat(tabled).as("the rows of ConfigurationKeysTest.keys() against Gatehouse.configurationKeys()")
        .containsExactlyInAnyOrderElementsOf(Gatehouse.configurationKeys());
  }

  /** The keys a pattern stands for: a segment in capitals ({@code ID}, {@code NAME}) is a name. */
  private static Pattern instancesOf(String pattern) {
    return Pattern.compile(Stream.of(pattern.split("\\."))
        .map(s -> s.matches("[A-Z]+") ? "[A-Za-z0-9_-]{1,64}" : Pattern.quote(s))
        .collect(Collectors.joining("\\.")));
  }
}
