package io.gatehouse.core;

import io.gatehouse.core.rules.AccessRule;
import io.gatehouse.core.rules.AccessRules;
import io.gatehouse.core.rules.CustomRule;
import java.util.List;

/**
 * The IP Access Rules phase: the most specific rule for the client decides, looking at the address
 * first and at the AS, country and continent only when rules of those kinds exist (so a request that
 * an address rule settles never pays for a geo lookup).
 *
 * <p>An address, network or AS allow ends evaluation. A country or continent allow skips only the
 * reputation-based phase (Security Level), as the CDN does: a whole country is too broad a reason to
 * waive custom rules or the integrity check.
 */
final class AccessRulesStage implements Stage {

  private final AccessRules rules;
  // Custom skip rules that name access_rules: the access rules run before the custom rules, so these
  // are asked first, here.
  private final CustomRule[] skippers;

  AccessRulesStage(AccessRules rules, List<CustomRule> skippers) {
    this.rules = rules;
    this.skippers = skippers.toArray(new CustomRule[0]);
  }

  @Override
  public Phase phase() {
    return Phase.ACCESS_RULES;
  }

  @Override
  public Verdict evaluate(Evaluation ev) {
    for (CustomRule skipper : skippers) {
      if (skipper.expression().matches(ev)) {
        skipper.skips().forEach(ev::skip);
        ev.note(phase(), "skipped by custom rule '" + skipper.id() + "': " + skipper.expression().source());
        return null;
      }
    }
    AccessRule rule = rules.matchAddress(ev.client.address());
    if (rule == null && rules.hasAsnRules()) {
      rule = rules.matchAsn(ev.asnInfo().number());
    }
    if (rule == null && rules.hasCountryRules()) {
      rule = rules.matchCountry(ev.country());
    }
    if (rule == null && rules.hasContinentRules()) {
      rule = rules.matchContinent(ev.continent());
    }
    if (rule == null) {
      if (ev.tracing()) {
        ev.note(phase(), "no rule matches " + ev.client.addressText()
            + (rules.hasAsnRules() ? ", AS" + ev.asnInfo().number() : "")
            + (rules.hasCountryRules() || rules.hasContinentRules() ? ", " + ev.country() + " (" + ev.continent() + ")"
                : "") + " among " + rules.size() + " rules");
      }
      return null;
    }
    if (ev.tracing()) {
      ev.note(phase(), "rule '" + rule.id() + "' matches: " + rule.text() + " (" + rule.origin() + ")");
    }
    boolean geographic = rule.target() == AccessRule.Target.COUNTRY || rule.target() == AccessRule.Target.CONTINENT;
    int code = geographic ? ErrorCodes.COUNTRY_BANNED : ErrorCodes.ACCESS_DENIED;
    return switch (rule.action()) {
      case ALLOW -> {
        Verdict allow = new Verdict(Action.ALLOW, Source.ACCESS_RULES, rule.id(), rule.describe(), 0);
        if (!geographic) {
          yield allow;
        }
        ev.skip(Phase.SECURITY_LEVEL);
        ev.allowedBy = allow;
        ev.note(phase(), "a country or continent allow skips only the Security Level");
        yield null;
      }
      case BLOCK -> new Verdict(Action.BLOCK, Source.ACCESS_RULES, rule.id(), rule.describe(), code);
      case CHALLENGE -> new Verdict(Action.CHALLENGE, Source.ACCESS_RULES, rule.id(), rule.describe(), code);
      case LOG -> {
        ev.log(new Verdict(Action.ALLOW, Source.ACCESS_RULES, rule.id(), rule.describe(), 0));
        yield null;
      }
    };
  }
}
