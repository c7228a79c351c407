package io.gatehouse.core.policy;

import io.gatehouse.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells a file caught half written from a change someone meant. Editors and shell redirection write a
 * file in place, so a reload can read it empty, or only its first lines; applied, that drops every rule,
 * the admin token and the trusted proxies at once. A change that empties the configuration, loses the
 * admin token or the trusted proxies, or drops more than half of the rules is therefore refused unless
 * the reload is forced ({@code POST /reload?force=true}, or {@code gatehouse-cli reload --force}).
 *
 * <p>Stateless.
 */
final class ReloadGuard {

  private ReloadGuard() {}

  /**
   * @param running the policy in force
   * @param next the policy the reload compiled
   * @param entries how many entries the new configuration held
   * @throws ConfigException naming every reason to refuse
   */
  static void check(Policy running, Policy next, int entries, String source) throws ConfigException {
    List<String> reasons = new ArrayList<>();
    if (entries == 0) {
      reasons.add("the configuration is now empty");
    }
    if (running.admin().token() != null && next.admin().token() == null) {
      reasons.add("gatehouse.admin.token would be lost");
    }
    if (!running.clientIpResolver().trustedProxies().isEmpty()
        && next.clientIpResolver().trustedProxies().isEmpty()) {
      reasons.add("gatehouse.client-ip.trusted-proxies would be lost");
    }
    int before = rules(running);
    int after = rules(next);
    int lost = before - after;
    if (lost >= 2 && lost * 2 > before) {
      reasons.add(before + " rules would become " + after);
    }
    if (!reasons.isEmpty()) {
      throw ConfigException.of(source, "reload refused: " + String.join("; ", reasons) + ". A file read while"
          + " being written looks like this; if the change is meant, reload with force (POST /reload?force=true)");
    }
  }

  /** Access rules (from the properties and the managed file), custom rules and configuration rules. */
  private static int rules(Policy p) {
    return p.accessRules().size() + p.rules().custom().size() + p.rules().configuration().size();
  }
}
