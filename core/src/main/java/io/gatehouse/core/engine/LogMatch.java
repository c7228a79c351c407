package io.gatehouse.core.engine;

import io.gatehouse.core.Source;

/**
 * A {@code log} rule that matched: recorded as an event, while evaluation goes on.
 *
 * @param source the phase's source
 * @param ruleId the rule's id
 * @param description why, in words
 */
record LogMatch(Source source, String ruleId, String description) {}
