package io.gatehouse.core;

/**
 * What one phase concluded about a request. A phase returns {@code null} to let the next phase run.
 *
 * @param action allow (ends evaluation), block or challenge; {@code log} results are recorded on the
 *     evaluation instead
 * @param source what concluded
 * @param ruleId the rule's id, or {@code ""}
 * @param description why
 * @param errorCode the error code to render for block and challenge, 0 for allow
 */
record Verdict(Action action, Source source, String ruleId, String description, int errorCode) {}
