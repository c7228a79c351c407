package io.gatehouse.core.rules;

import io.gatehouse.core.Phase;
import io.gatehouse.core.rules.expr.Expression;
import java.util.Set;

/**
 * A custom rule ({@code gatehouse.rule.ID.*}): an expression in the rules language and what a match does.
 *
 * @param id the rule's id
 * @param expression the compiled expression
 * @param action what a match does
 * @param skips for {@link RuleAction#SKIP}, the phases to skip
 * @param description the owner's description, or {@code ""}
 * @param origin {@code file:line} of the rule's expression
 */
public record CustomRule(String id, Expression expression, RuleAction action, Set<Phase> skips, String description,
    String origin) {

  public CustomRule {
    skips = Set.copyOf(skips);
    description = description == null ? "" : description;
  }

  /** The description, or the expression when there is none: what an event shows as the reason. */
  public String describe() {
    return description.isEmpty() ? expression.source() : description;
  }
}
