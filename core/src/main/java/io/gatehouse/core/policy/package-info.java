/**
 * Compile time: from a configuration source to an immutable {@link io.gatehouse.core.policy.Policy}.
 *
 * <pre>
 * ConfigSource.entries (properties read, ${ENV} replaced) -> Keys (one handler per key) -> Draft (every default)
 *   -> PolicyCompiler: checks across keys, DataFiles (geo, crawler ranges), RulesCompiler (lists,
 *      custom and configuration rules), feeds -> Policy
 * </pre>
 *
 * Every problem is collected and thrown at once as a {@code ConfigException}; nothing is built from a
 * configuration with problems. {@link io.gatehouse.core.policy.LivePolicy} holds the policy in force:
 * it compiles on reload and swaps the new policy in whole, watches the files the configuration read
 * ({@code ConfigWatcher}, on a scheduler it is given) and edits the managed access-rules file
 * ({@code ManagedRules}). The settings records, nested in {@code Policy} (reputation, challenge, bots,
 * admin, pages), are the parts of a policy the engine and the servlet layer read.
 */
package io.gatehouse.core.policy;
