package io.gatehouse.core.rules;

import io.gatehouse.core.Action;
import io.gatehouse.core.Mode;
import io.gatehouse.core.reputation.SecurityLevel;
import io.gatehouse.core.rules.expr.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A configuration rule ({@code gatehouse.config-rule.ID.*}): for requests matching the expression, these
 * settings replace the defaults. Every matching rule applies, in file order; a later one overrides an
 * earlier one.
 *
 * @param id the rule's id
 * @param expression the compiled expression
 * @param settings the settings it changes, compiled at load
 * @param origin {@code file:line} of the rule's expression
 */
public record ConfigRule(String id, Expression expression, Settings settings, String origin) {

  /** The settings a configuration rule can change, as written in {@code set}. */
  public static final List<String> SETTING_NAMES =
      List.of("security_level", "browser_integrity_check", "security_level_action", "mode");

  /**
   * What a configuration rule changes; {@code null} leaves a setting as it is.
   *
   * @param securityLevel {@code security_level}
   * @param securityLevelAction {@code security_level_action}
   * @param browserIntegrityCheck {@code browser_integrity_check}
   * @param mode {@code mode}
   * @param text the settings as written, {@code name=value} in order, for explain
   */
  public record Settings(SecurityLevel securityLevel, Action securityLevelAction, Boolean browserIntegrityCheck,
      Mode mode, String text) {

    /**
     * Compiles {@code name=value} pairs. Each bad pair is reported to {@code problems} and left out.
     *
     * @return the settings, or {@code null} when no pair was good
     */
    public static Settings parse(List<String> pairs, Consumer<String> problems) {
      SecurityLevel level = null;
      Action levelAction = null;
      Boolean bic = null;
      Mode mode = null;
      List<String> written = new ArrayList<>();
      for (String pair : pairs) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq).trim();
        String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
        Object parsed;
        switch (name) {
          case "security_level" -> parsed = SecurityLevel.fromId(value);
          case "browser_integrity_check" -> parsed = Set.of("on", "true").contains(value) ? Boolean.TRUE
              : Set.of("off", "false").contains(value) ? Boolean.FALSE : null;
          case "security_level_action" ->
              parsed = value.equals("block") ? Action.BLOCK : value.equals("challenge") ? Action.CHALLENGE : null;
          case "mode" -> parsed = value.equals("enforce") ? Mode.ENFORCE : value.equals("simulate") ? Mode.SIMULATE : null;
          default -> {
            problems.accept("'" + name + "' is not a setting a configuration rule can change: "
                + String.join(", ", SETTING_NAMES));
            continue;
          }
        }
        boolean ok = parsed != null;
        if (parsed instanceof SecurityLevel l) {
          level = l;
        } else if (parsed instanceof Action a) {
          levelAction = a;
        } else if (parsed instanceof Boolean b) {
          bic = b;
        } else if (parsed instanceof Mode m) {
          mode = m;
        }
        if (ok) {
          written.add(name + "=" + value);
        } else {
          problems.accept("'" + value + "' is not a value of " + name);
        }
      }
      return written.isEmpty() ? null
          : new Settings(level, levelAction, bic, mode, "{" + String.join(", ", written) + "}");
    }
  }
}
