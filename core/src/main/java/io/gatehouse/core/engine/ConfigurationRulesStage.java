package io.gatehouse.core.engine;

import io.gatehouse.core.Phase;
import io.gatehouse.core.rules.ConfigRule;
import java.util.List;

/**
 * The configuration rules phase: every matching rule, in file order, changes the settings this request is
 * judged by (a later one overrides an earlier one). It never decides anything itself.
 */
final class ConfigurationRulesStage extends Stage {

  private final ConfigRule[] rules;

  ConfigurationRulesStage(List<ConfigRule> rules) {
    super(Phase.CONFIGURATION_RULES);
    this.rules = rules.toArray(new ConfigRule[0]);
  }

  @Override
  Verdict evaluate(Evaluation ev) {
    for (ConfigRule rule : rules) {
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
