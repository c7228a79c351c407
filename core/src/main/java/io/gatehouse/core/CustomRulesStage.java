package io.gatehouse.core;

import io.gatehouse.core.rules.CustomRule;
import java.util.List;

/**
 * The custom rules phase: each rule in file order; the first block, unsatisfied challenge or allow ends
 * it, {@code log} records and goes on, {@code skip} skips the phases it names ({@code custom_rules}: the
 * rules after it). A challenge the visitor's clearance satisfies lets the remaining rules run, as a block
 * further down must still apply.
 */
final class CustomRulesStage implements Stage {

  private final CustomRule[] rules;

  CustomRulesStage(List<CustomRule> rules) {
    this.rules = rules.toArray(new CustomRule[0]);
  }

  @Override
  public Phase phase() {
    return Phase.CUSTOM_RULES;
  }

  @Override
  public Verdict evaluate(Evaluation ev) {
    for (CustomRule rule : rules) {
      if (!rule.expression().matches(ev)) {
        continue;
      }
      if (ev.tracing()) {
        ev.note(phase(), "rule '" + rule.id() + "' matches (" + rule.action().id() + "): " + rule.expression().source());
      }
      switch (rule.action()) {
        case BLOCK:
          return new Verdict(Action.BLOCK, Source.CUSTOM_RULES, rule.id(), rule.describe(), ErrorCodes.FIREWALL_RULE);
        case CHALLENGE:
          if (ev.cleared()) {
            ev.note(phase(), "the visitor's clearance satisfies it");
            break;
          }
          return new Verdict(Action.CHALLENGE, Source.CUSTOM_RULES, rule.id(), rule.describe(),
              ErrorCodes.FIREWALL_RULE);
        case ALLOW:
          return new Verdict(Action.ALLOW, Source.CUSTOM_RULES, rule.id(), rule.describe(), 0);
        case LOG:
          ev.log(new Verdict(Action.ALLOW, Source.CUSTOM_RULES, rule.id(), rule.describe(), 0));
          break;
        case SKIP:
          for (Phase p : rule.skips()) {
            ev.skip(p);
          }
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
