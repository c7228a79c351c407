/**
 * Rule sets, with one action vocabulary ({@link io.gatehouse.core.rules.RuleAction}): IP Access Rules ({@link io.gatehouse.core.rules.AccessRule}, compiled into
 * {@link io.gatehouse.core.rules.AccessRule.Table}) and the rules language behind custom and configuration
 * rules.
 */
package io.gatehouse.core.rules;
