package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom rules, configuration rules and lists, through the engine. */
class CustomRulesTest {

  static Gatehouse engine(String properties) throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.text("r.properties", properties)).environment(Map.of())
        .watchFiles(false).build();
  }

  static Decision decide(Gatehouse g, String ip, String method, String uri, String ua) {
    return g.decide(RequestFacts.builder().peer(ip).method(method).host("shop.example").uri(uri)
        .header("User-Agent", ua).build());
  }

  static Decision get(Gatehouse g, String ip, String uri) {
    return decide(g, ip, "GET", uri, "Mozilla/5.0");
  }

  @Test
  void rulesOnManyHeadersFindTheOneARequestSendsInAnySpelling() throws Exception {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      p.append("gatehouse.rule.h").append(i).append(".expression=any(http.request.headers[\"x-debug-").append(i)
          .append("\"][*] eq \"1\")\n").append("gatehouse.rule.h").append(i).append(".action=block\n");
    }
    Gatehouse g = engine(p.toString());
    // More rules' headers than the request has headers: the index looks the request's names up among them.
    Decision d = g.decide(RequestFacts.builder().peer("203.0.113.1").host("shop.example").uri("/")
        .header("User-Agent", "Mozilla/5.0").header("X-DEBUG-37", "0").header("x-Debug-37", "1").build());
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.ruleId()).isEqualTo("h37");
    assertThat(get(g, "203.0.113.1", "/").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void customRulesRunInFileOrderWithEachAction() throws Exception {
    Gatehouse g = engine("""
        gatehouse.rule.watch-login.expression=http.request.uri.path eq "/login"
        gatehouse.rule.watch-login.action=log
        gatehouse.rule.watch-login.description=login attempts
        gatehouse.rule.monitor.expression=ip.src in {192.0.2.10}
        gatehouse.rule.monitor.action=allow
        gatehouse.rule.scanners.expression=http.user_agent contains "sqlmap" or http.request.uri.path matches "(?i)\\.(env|git)$"
        gatehouse.rule.scanners.action=block
        gatehouse.rule.scanners.description=scanner probes
        gatehouse.rule.posts.expression=http.request.method eq "POST" and starts_with(http.request.uri.path, "/api/")
        gatehouse.rule.posts.action=challenge
        """);
    Decision scanner = decide(g, "203.0.113.1", "GET", "/login", "sqlmap/1.7");
    assertThat(scanner.action()).isEqualTo(Action.BLOCK);
    assertThat(scanner.errorCode()).isEqualTo(1020);
    assertThat(scanner.source()).isEqualTo(Source.CUSTOM_RULES);
    assertThat(scanner.ruleId()).isEqualTo("scanners");
    assertThat(scanner.description()).isEqualTo("scanner probes");
    assertThat(g.events().query(new EventLog.Query(null, scanner.rayId(), null, null, null, 10)))
        .extracting(e -> e.action().id()).containsExactlyInAnyOrder("log", "block");

    assertThat(get(g, "203.0.113.1", "/.env").ruleId()).isEqualTo("scanners");
    assertThat(get(g, "203.0.113.1", "/.ENV").action()).isEqualTo(Action.BLOCK);
    assertThat(decide(g, "192.0.2.10", "GET", "/.env", "sqlmap").action()).as("allow ends evaluation")
        .isEqualTo(Action.ALLOW);
    assertThat(decide(g, "203.0.113.1", "POST", "/api/orders", "Mozilla/5.0").action()).isEqualTo(Action.CHALLENGE);
    // Another address: the one above has earned behaviour points with its blocks.
    assertThat(get(g, "203.0.113.2", "/api/orders").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void skipRulesSkipTheNamedPhases() throws Exception {
    Gatehouse g = engine("""
        gatehouse.access-rule.blocked=block ip 203.0.113.0/24
        gatehouse.security-level=under_attack
        gatehouse.rule.health.expression=http.request.uri.path eq "/health"
        gatehouse.rule.health.action=skip
        gatehouse.rule.health.skip=access_rules, custom_rules, security_level
        gatehouse.rule.never.expression=http.request.uri.path eq "/health"
        gatehouse.rule.never.action=block
        gatehouse.rule.api.expression=starts_with(http.request.uri.path, "/api/")
        gatehouse.rule.api.action=skip
        gatehouse.rule.api.skip=security_level
        """);
    assertThat(get(g, "203.0.113.9", "/health").action()).as("skipped everything").isEqualTo(Action.ALLOW);
    assertThat(get(g, "203.0.113.9", "/").action()).isEqualTo(Action.BLOCK);
    assertThat(get(g, "198.51.100.1", "/").action()).as("under attack").isEqualTo(Action.CHALLENGE);
    assertThat(get(g, "198.51.100.1", "/api/x").action()).as("security level skipped").isEqualTo(Action.ALLOW);
    assertThat(get(g, "203.0.113.9", "/api/x").action()).as("access rules still apply").isEqualTo(Action.BLOCK);
  }

  @Test
  void configurationRulesChangeSettingsByPathLaterOnesWinning(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("feed.txt"), "203.0.113.0/24\n");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, """
        gatehouse.reputation.feed.f.source=feed.txt
        gatehouse.reputation.feed.f.score=20
        gatehouse.security-level.action=block
        gatehouse.config-rule.api.expression=starts_with(http.request.uri.path, "/api/")
        gatehouse.config-rule.api.set=security_level=low, browser_integrity_check=off
        gatehouse.config-rule.strict.expression=http.request.uri.path eq "/api/payments"
        gatehouse.config-rule.strict.set=security_level=high, security_level_action=challenge
        gatehouse.config-rule.trial.expression=http.request.uri.path eq "/beta"
        gatehouse.config-rule.trial.set=mode=simulate
        """);
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    assertThat(get(g, "203.0.113.9", "/").action()).as("medium: 20 > 14").isEqualTo(Action.BLOCK);
    assertThat(get(g, "203.0.113.9", "/api/items").action()).as("low: 20 <= 24").isEqualTo(Action.ALLOW);
    assertThat(get(g, "203.0.113.9", "/api/payments").action()).as("the later rule wins").isEqualTo(Action.CHALLENGE);
    Decision beta = get(g, "203.0.113.9", "/beta");
    assertThat(beta.action()).isEqualTo(Action.BLOCK);
    assertThat(beta.enforced()).isFalse();
    assertThat(g.events().findByRay(beta.rayId()).orElseThrow().enforced()).isFalse();
  }

  @Test
  void listsInlineAndFromFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("offices.txt"), "# office egress\n203.0.113.0/24\n2001:db8:beef::/48 # Berlin\n");
    Path config = dir.resolve("g.properties");
    Files.writeString(config, """
        gatehouse.list.offices=file:offices.txt
        gatehouse.list.bad_agents=string: curl/8.0, python-requests/2.31
        gatehouse.rule.admin.expression=starts_with(http.request.uri.path, "/admin") and not ip.src in $offices
        gatehouse.rule.admin.action=block
        gatehouse.rule.agents.expression=http.user_agent in $bad_agents
        gatehouse.rule.agents.action=block
        """);
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    assertThat(get(g, "198.51.100.1", "/admin/users").ruleId()).isEqualTo("admin");
    assertThat(get(g, "203.0.113.40", "/admin/users").action()).isEqualTo(Action.ALLOW);
    assertThat(get(g, "2001:db8:beef:1::1", "/admin").action()).isEqualTo(Action.ALLOW);
    assertThat(decide(g, "198.51.100.2", "GET", "/", "curl/8.0").ruleId()).isEqualTo("agents");

    Files.writeString(dir.resolve("offices.txt"), "198.51.100.0/24\n");
    assertThat(g.reload().applied()).isTrue();
    assertThat(get(g, "198.51.100.3", "/admin/users").action()).as("lists reload with the rest").isEqualTo(Action.ALLOW);
    assertThat(get(g, "203.0.113.41", "/admin/users").action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void expressionProblemsAreReportedAtTheirColumnWithACaret() {
    assertThatThrownBy(() -> engine("""
        gatehouse.rule.a.expression=ip.src contains "x"
        gatehouse.rule.a.action=block
        gatehouse.rule.b.expression=cf.threat_score eq "high"
        gatehouse.rule.b.action=block
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(t -> {
          var problems = ((ConfigException) t).problems();
          assertThat(problems).hasSize(2);
          assertThat(problems.get(0).line()).isEqualTo(1);
          assertThat(problems.get(0).column()).isEqualTo(36);
          assertThat(problems.get(0).toString()).startsWith("r.properties:1:36: gatehouse.rule.a.expression: ")
              .contains("\n  ip.src contains \"x\"\n         ^");
          assertThat(problems.get(1).toString()).startsWith("r.properties:3:");
        });
  }

  @Test
  void incompleteRulesListsAndSettingsAreProblems() {
    assertThatThrownBy(() -> engine("""
        gatehouse.rule.a.expression=http.host eq "x"
        gatehouse.rule.b.action=block
        gatehouse.rule.c.expression=http.host eq "x"
        gatehouse.rule.c.action=deny
        gatehouse.rule.d.expression=http.host eq "x"
        gatehouse.rule.d.action=skip
        gatehouse.rule.e.expression=http.host eq "x"
        gatehouse.rule.e.action=skip
        gatehouse.rule.e.skip=configuration_rules, everything
        gatehouse.config-rule.f.expression=http.host eq "x"
        gatehouse.config-rule.f.set=security_level=paranoid, colour=red
        gatehouse.list.empty=
        gatehouse.list.bad=10.0.0.0/8, 10.0.0.1/8
        gatehouse.rule.g.expression=ip.src.country eq "DE"
        gatehouse.rule.g.action=block
        gatehouse.rule.h.expression=ip.src in $nope
        gatehouse.rule.h.action=block
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("r.properties:1: gatehouse.rule.a.expression: custom rule 'a' needs gatehouse.rule.a.action")
        .hasMessageContaining("r.properties:2: gatehouse.rule.b.action: custom rule 'b' needs gatehouse.rule.b.expression")
        .hasMessageContaining("r.properties:4: gatehouse.rule.c.action: 'deny' is not one of block, challenge, allow, skip, log")
        .hasMessageContaining("r.properties:6: gatehouse.rule.d.action: a skip rule needs gatehouse.rule.d.skip")
        .hasMessageContaining("r.properties:9: gatehouse.rule.e.skip: 'configuration_rules' is not one of")
        .hasMessageContaining("r.properties:9: gatehouse.rule.e.skip: 'everything' is not one of")
        .hasMessageContaining("r.properties:11: gatehouse.config-rule.f.set: 'paranoid' is not a value of security_level")
        .hasMessageContaining("r.properties:11: gatehouse.config-rule.f.set: 'colour' is not a setting")
        .hasMessageContaining("r.properties:12: gatehouse.list.empty: list 'empty' is empty")
        .hasMessageContaining("r.properties:13: gatehouse.list.bad: list 'bad': '10.0.0.1/8' has host bits set")
        .hasMessageContaining("r.properties:14: gatehouse.rule.g.expression: ip.src.country and ip.src.continent need"
            + " country data")
        .hasMessageContaining("r.properties:16:");
  }

  @Test
  void theCdnDocumentationExamplesWork() throws Exception {
    Gatehouse g = engine("""
        gatehouse.rule.wp.expression=(http.request.uri.path contains "/wp-login.php" and ip.src ne 203.0.113.1)
        gatehouse.rule.wp.action=block
        gatehouse.rule.bots.expression=(http.request.method eq "POST" and not cf.client.bot)
        gatehouse.rule.bots.action=log
        gatehouse.rule.score.expression=(cf.threat_score ge 50)
        gatehouse.rule.score.action=challenge
        gatehouse.rule.tools.expression=(http.user_agent matches "(?i)sqlmap|nikto")
        gatehouse.rule.tools.action=block
        gatehouse.rule.multipart.expression=any(http.request.headers["content-type"][*] contains "multipart")
        gatehouse.rule.multipart.action=log
        """);
    assertThat(get(g, "198.51.100.1", "/wp-login.php").ruleId()).isEqualTo("wp");
    assertThat(get(g, "203.0.113.1", "/wp-login.php").action()).isEqualTo(Action.ALLOW);
    assertThat(decide(g, "198.51.100.1", "GET", "/", "Nikto/2.5").ruleId()).isEqualTo("tools");
  }
}
