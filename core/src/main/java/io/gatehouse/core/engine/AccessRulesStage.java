package io.gatehouse.core.engine;

import io.gatehouse.core.Decision;
import io.gatehouse.core.Phase;
import io.gatehouse.core.Source;
import io.gatehouse.core.rules.AccessRule;
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
final class AccessRulesStage extends Stage {

  private final AccessRule.Table rules;
  // Custom skip rules that name access_rules: the access rules run before the custom rules, so these
  // are asked first, here.
  private final CustomRule[] skippers;

  AccessRulesStage(AccessRule.Table rules, List<CustomRule> skippers) {
    super(Phase.ACCESS_RULES);
    this.rules = rules;
    this.skippers = skippers.toArray(new CustomRule[0]);
  }

  @Override
  Verdict evaluate(Evaluation ev) {
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
    int code = geographic ? Decision.COUNTRY_BANNED : Decision.ACCESS_DENIED;
    return switch (rule.action()) {
      case ALLOW -> {
        if (!geographic) {
          yield Verdict.allow(Source.ACCESS_RULES, rule.id(), rule.describe());
        }
        ev.skip(Phase.SECURITY_LEVEL);
        ev.note(phase(), "a country or continent allow skips only the Security Level");
        yield Verdict.allowAndGoOn(Source.ACCESS_RULES, rule.id(), rule.describe());
      }
      case BLOCK -> Verdict.block(Source.ACCESS_RULES, rule.id(), rule.describe(), code);
      case CHALLENGE -> Verdict.challenge(Source.ACCESS_RULES, rule.id(), rule.describe(), code);
      case LOG, SKIP -> {
        ev.log(new LogMatch(Source.ACCESS_RULES, rule.id(), rule.describe()));
        yield null;
      }
    };
  }
}
