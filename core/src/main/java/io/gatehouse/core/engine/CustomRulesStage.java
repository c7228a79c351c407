package io.gatehouse.core.engine;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Phase;
import io.gatehouse.core.Source;
import io.gatehouse.core.rules.CustomRule;
import io.gatehouse.core.rules.expr.Expression;
import java.util.List;

/**
 * The custom rules phase: each rule in file order; the first block, unsatisfied challenge or allow ends
 * it, {@code log} records and goes on, {@code skip} skips the phases it names ({@code custom_rules}: the
 * rules after it). A challenge the visitor's clearance satisfies lets the remaining rules run, as a block
 * further down must still apply.
 *
 * <p>The rules are looked at through an {@link Expression.Index}, which names the rules a request may
 * match; the others cannot match it and are not evaluated. The named rules are evaluated in file order,
 * so the outcome is the one evaluating every rule would give.
 */
final class CustomRulesStage extends Stage {

  private final CustomRule[] rules;
  private final Expression.Index index;

  CustomRulesStage(List<CustomRule> rules) {
    super(Phase.CUSTOM_RULES);
    this.rules = rules.toArray(new CustomRule[0]);
    this.index = Expression.Index.of(rules.stream().map(CustomRule::expression).toList());
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    int[] candidates = index.candidates(ev);
    if (ev.tracing() && rules.length > 0) {
      ev.note(phase(), "the index names " + candidates.length + " of " + rules.length + " rules for this request ("
          + index.alwaysEvaluated() + " always; the others hold none of the request's literals)");
    }
    for (int candidate : candidates) {
      CustomRule rule = rules[candidate];
      if (!rule.expression().matches(ev)) {
        continue;
      }
      if (ev.tracing()) {
        ev.note(phase(), "rule '" + rule.id() + "' matches (" + rule.action().id() + "): " + rule.expression().source());
      }
      switch (rule.action()) {
        case BLOCK:
          return Verdict.block(Source.CUSTOM_RULES, rule.id(), rule.describe(), Decision.FIREWALL_RULE);
        case CHALLENGE:
          if (ev.cleared()) {
            ev.note(phase(), "the visitor's clearance satisfies it");
            break;
          }
          return Verdict.challenge(Source.CUSTOM_RULES, rule.id(), rule.describe(), Decision.FIREWALL_RULE);
        case ALLOW:
          return Verdict.allow(Source.CUSTOM_RULES, rule.id(), rule.describe());
        case LOG:
          ev.log(new LogMatch(Source.CUSTOM_RULES, rule.id(), rule.describe()));
          break;
        case SKIP:
          rule.skips().forEach(ev::skip);
          if (rule.skips().contains(Phase.CUSTOM_RULES)) {
            return null;
          }
          break;
        default:
          throw new IllegalStateException("unknown action " + rule.action());
      }
    }
    return null;
  }
}
