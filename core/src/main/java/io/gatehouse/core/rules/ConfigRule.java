package io.gatehouse.core.rules;

import io.gatehouse.core.rules.expr.Expression;
import java.util.Map;

/**
 * A configuration rule ({@code gatehouse.config-rule.ID.*}): for requests matching the expression, these
 * settings replace the defaults. Every matching rule applies, in file order; a later one overrides an
 * earlier one.
 *
 * @param id the rule's id
 * @param expression the compiled expression
 * @param settings setting names ({@code security_level}, {@code browser_integrity_check},
 *     {@code security_level_action}, {@code mode}) and their values, already validated
 * @param origin {@code file:line} of the rule's expression
 */
public record ConfigRule(String id, Expression expression, Map<String, String> settings, String origin) {

  public ConfigRule {
    settings = Map.copyOf(settings);
  }
}
