package io.gatehouse.core;

import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.ConfigRule;
import java.util.List;
import java.util.Map;

/**
 * The configuration rules phase: every matching rule, in file order, changes the settings this request is
 * judged by (a later one overrides an earlier one). It never decides anything itself.
 */
final class ConfigurationRulesStage implements Stage {

  private final ConfigRule[] rules;

  ConfigurationRulesStage(List<ConfigRule> rules) {
    this.rules = rules.toArray(new ConfigRule[0]);
  }

  @Override
  public Phase phase() {
    return Phase.CONFIGURATION_RULES;
  }

  @Override
  public Verdict evaluate(Evaluation ev) {
    for (ConfigRule rule : rules) {
      if (!rule.expression().matches(ev)) {
        continue;
      }
      for (Map.Entry<String, String> s : rule.settings().entrySet()) {
        apply(ev, s.getKey(), s.getValue());
      }
      if (ev.tracing()) {
        ev.note(phase(), "rule '" + rule.id() + "' matches: " + rule.settings());
        ev.outcome(phase(), "applied");
      }
    }
    return null;
  }

  /** Applies one validated setting. */
  static void apply(Evaluation ev, String name, String value) {
    switch (name) {
      case "security_level" -> ev.securityLevel = SecurityLevel.fromId(value);
      case "security_level_action" -> ev.securityLevelAction = value.equals("block") ? Action.BLOCK : Action.CHALLENGE;
      case "browser_integrity_check" -> ev.browserIntegrityCheck = value.equals("on") || value.equals("true");
      case "mode" -> ev.mode = value.equals("simulate") ? Mode.SIMULATE : Mode.ENFORCE;
      default -> throw new IllegalStateException("unknown setting " + name);
    }
  }
}
