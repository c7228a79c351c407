package io.gatehouse.core;

import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.AccessRules;

/** The IP Access Rules phase: the most specific rule for the client address decides. */
final class AccessRulesStage implements Stage {

  private final AccessRules rules;

  AccessRulesStage(AccessRules rules) {
    this.rules = rules;
  }

  @Override
  public Phase phase() {
    return Phase.ACCESS_RULES;
  }

  @Override
  public Verdict evaluate(Evaluation ev) {
    AccessRule rule = rules.matchAddress(ev.client.address());
    if (rule == null) {
      return null;
    }
    int code = rule.target() == AccessRule.Target.COUNTRY || rule.target() == AccessRule.Target.CONTINENT
        ? ErrorCodes.COUNTRY_BANNED
        : ErrorCodes.ACCESS_DENIED;
    return switch (rule.action()) {
      case ALLOW -> new Verdict(Action.ALLOW, Source.ACCESS_RULES, rule.id(), rule.describe(), 0);
      case BLOCK -> new Verdict(Action.BLOCK, Source.ACCESS_RULES, rule.id(), rule.describe(), code);
      case CHALLENGE -> new Verdict(Action.CHALLENGE, Source.ACCESS_RULES, rule.id(), rule.describe(), code);
      case LOG -> {
        ev.log(new Verdict(Action.ALLOW, Source.ACCESS_RULES, rule.id(), rule.describe(), 0));
        yield null;
      }
    };
  }
}
