package io.gatehouse.core.engine;

import io.gatehouse.core.Phase;
import io.gatehouse.core.rules.ConfigRule;
import io.gatehouse.core.rules.expr.Expression;
import java.util.List;

/**
 * The configuration rules phase: every matching rule, in file order, changes the settings this request is
 * judged by (a later one overrides an earlier one). It never decides anything itself. As with the custom
 * rules, an {@link Expression.Index} names the rules a request may match, and only those are evaluated.
 */
final class ConfigurationRulesStage extends Stage {

  private final ConfigRule[] rules;
  private final Expression.Index index;

  ConfigurationRulesStage(List<ConfigRule> rules) {
    super(Phase.CONFIGURATION_RULES);
    this.rules = rules.toArray(new ConfigRule[0]);
    this.index = Expression.Index.of(rules.stream().map(ConfigRule::expression).toList());
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    for (int candidate : index.candidates(ev)) {
      ConfigRule rule = rules[candidate];
      if (!rule.expression().matches(ev)) {
        continue;
      }
      ev.apply(rule.settings());
      if (ev.tracing()) {
        ev.note(phase(), "rule '" + rule.id() + "' matches: " + rule.settings().text());
        ev.outcome(phase(), "applied");
      }
    }
    return null;
  }
}
