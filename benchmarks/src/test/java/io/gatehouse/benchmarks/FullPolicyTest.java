package io.gatehouse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.Action;
import io.gatehouse.core.Decision;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.rules.expr.Expression;
import io.gatehouse.core.rules.expr.ExpressionException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmarks' policy at every custom-rule count they are run with: the figures mean something only
 * if each rule compiles, each is its own, and the sample requests are still decided where their names
 * say.
 */
class FullPolicyTest {

  @Test
  void everyRuleCompilesIsDistinctAndLeavesTheAllowedRequestAlone() throws ExpressionException {
    Expression.Lists lists = RulesBenchmark.lists();
    Expression.Context allowed = new RulesBenchmark.BrowserRequest();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < FullPolicy.MAX_CUSTOM_RULES; i++) {
      String source = FullPolicy.expression(i);
      assertThat(seen.add(source)).as("rule %d, %s, is new", i, source).isTrue();
      assertThat(Expression.compile(source, lists).matches(allowed)).as("rule %d, %s, matches", i, source).isFalse();
    }
  }

  @Test
  void theAddressRulesKeepTheirEarlierShapeBelowTenThousand() {
    // The address rules are the only kind whose shape depends on i; below 10,000 it is what it always was.
    assertThat(FullPolicy.expression(0)).isEqualTo("http.request.uri.path eq \"/wp-admin/setup-config-0.php\"");
    assertThat(FullPolicy.expression(5)).isEqualTo("ip.src in {198.19.5.0/24 203.0.113.105 2001:db8:5::/48}");
    assertThat(FullPolicy.expression(9_995))
        .isEqualTo("ip.src in {198.19.11.0/24 203.0.113.111 2001:db8:9995::/48}");
    assertThat(FullPolicy.expression(10_005))
        .isEqualTo("ip.src in {198.19.21.0/24 203.0.113.121 2001:db8:ffff:0:2715::/80}");
  }

  @ParameterizedTest(name = "{0} custom rules")
  @ValueSource(ints = {100, 1_000, 10_000})
  void eachSampleRequestIsDecidedWhereItsNameSays(int rules, @TempDir Path dir) {
    try (Gatehouse gatehouse = FullPolicy.engine(FullPolicy.write(dir, FullPolicy.SMALL.withRules(rules)))) {
      assertDecided(gatehouse, FullPolicy.allowed(), Action.ALLOW, "NONE");
      assertDecided(gatehouse, FullPolicy.blockedByAccessRule(), Action.BLOCK, "ACCESS_RULES");
      assertDecided(gatehouse, FullPolicy.blockedByReputation(), Action.BLOCK, "SECURITY_LEVEL");
      assertDecided(gatehouse, FullPolicy.blockedByIntegrityCheck(), Action.BLOCK, "BROWSER_INTEGRITY_CHECK");
    }
  }

  @Test
  void theCustomRuleCountIsChangedAloneAndBounded() {
    assertThat(FullPolicy.FULL.withRules(10_000))
        .isEqualTo(new FullPolicy.Size(100_000, 1_000_000, 10_000, 400_000));
    assertThatThrownBy(() -> FullPolicy.SMALL.withRules(-1))
        .hasMessage("-1 custom rules; expected 0 to 100000");
    assertThatThrownBy(() -> FullPolicy.SMALL.withRules(100_001))
        .hasMessage("100001 custom rules; expected 0 to 100000");
  }

  private static void assertDecided(Gatehouse gatehouse, RequestFacts facts, Action action, String source) {
    Decision d = gatehouse.decide(facts);
    assertThat(d.action()).as("%s", d).isEqualTo(action);
    assertThat(d.source().name()).as("%s", d).isEqualTo(source);
  }
}
