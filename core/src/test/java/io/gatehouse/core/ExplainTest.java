package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.bot.BrowserIntegrityCheck;
import io.gatehouse.core.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What explain tells a site owner about each phase and the settings a request was judged by. */
class ExplainTest {

  private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";

  private static Gatehouse engine() throws Exception {
    return Gatehouse.builder().config(ConfigSource.text("t", """
        gatehouse.config-rule.api.expression=starts_with(http.request.uri.path, "/api/")
        gatehouse.config-rule.api.set=security_level=low, browser_integrity_check=off
        """)).environment(Map.of()).watchFiles(false).build();
  }

  private static Explanation.PhaseTrace phase(Explanation x, Phase phase) {
    return x.phases().stream().filter(p -> p.phase().equals(phase.id())).findFirst().orElseThrow();
  }

  @Test
  void anAppliedConfigurationRuleSaysSoAndItsSettingsShow() throws Exception {
    Explanation x = engine().explain(RequestFacts.builder().peer("198.51.100.7").path("/api/orders")
        .header("User-Agent", "curl/8.4").build());
    assertThat(phase(x, Phase.CONFIGURATION_RULES).outcome()).isEqualTo("applied");
    assertThat(phase(x, Phase.CONFIGURATION_RULES).details()).singleElement().asString().startsWith("rule 'api'");
    assertThat(x.settings()).containsEntry("browser_integrity_check", "off").containsEntry("security_level", "low");
    assertThat(phase(x, Phase.BROWSER_INTEGRITY_CHECK).outcome()).isEqualTo("off");
    assertThat(x.decision().action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void theCustomRulesPhaseSaysHowManyRulesTheRequestWasCheckedAgainst() throws Exception {
    Gatehouse g = Gatehouse.builder().config(ConfigSource.text("t", """
        gatehouse.rule.a.expression=http.request.uri.path eq "/wp-login.php"
        gatehouse.rule.a.action=block
        gatehouse.rule.b.expression=http.user_agent contains "sqlmap"
        gatehouse.rule.b.action=block
        gatehouse.rule.c.expression=not http.request.method in {"GET" "POST"}
        gatehouse.rule.c.action=block
        """)).environment(Map.of()).watchFiles(false).build();
    Explanation x = g.explain(RequestFacts.builder().peer("198.51.100.7").path("/wp-login.php")
        .header("User-Agent", CHROME).build());
    assertThat(phase(x, Phase.CUSTOM_RULES).details()).first().asString()
        .isEqualTo("the index names 2 of 3 rules for this request (1 always; the others hold none of the request's"
            + " literals)");
    assertThat(phase(x, Phase.CUSTOM_RULES).details()).anySatisfy(d -> assertThat(d).startsWith("rule 'a' matches"));
    assertThat(x.decision().ruleId()).isEqualTo("a");
  }

  @Test
  void elsewhereNoRuleMatchesAndTheCheckRuns() throws Exception {
    Explanation x = engine().explain(RequestFacts.builder().peer("198.51.100.7").path("/")
        .header("User-Agent", "curl/8.4").build());
    assertThat(phase(x, Phase.CONFIGURATION_RULES).outcome()).isEqualTo("no match");
    assertThat(x.settings()).containsEntry("browser_integrity_check", "on");
  }

  @Test
  void aPassingIntegrityCheckListsEveryHeuristicItRan() throws Exception {
    Explanation x = engine().explain(RequestFacts.builder().peer("198.51.100.7").path("/")
        .header("User-Agent", CHROME).header("Accept", "text/html").header("Accept-Language", "en")
        .header("Accept-Encoding", "gzip").build());
    Explanation.PhaseTrace bic = phase(x, Phase.BROWSER_INTEGRITY_CHECK);
    assertThat(bic.outcome()).isEqualTo("no match");
    assertThat(bic.details()).hasSize(BrowserIntegrityCheck.heuristics().size());
    for (String h : BrowserIntegrityCheck.heuristics()) {
      assertThat(bic.details()).contains(h + ": passes");
    }
  }

  @Test
  void aFailingOneNamesTheFailureAmongThePasses() throws Exception {
    Explanation x = engine().explain(RequestFacts.builder().peer("198.51.100.7").path("/")
        .header("User-Agent", "sqlmap/1.7").build());
    Explanation.PhaseTrace bic = phase(x, Phase.BROWSER_INTEGRITY_CHECK);
    assertThat(bic.outcome()).isEqualTo("block");
    assertThat(bic.details()).anySatisfy(d -> assertThat(d).startsWith("scanner_signature: fails: "))
        .contains("missing_user_agent: passes");
  }
}
