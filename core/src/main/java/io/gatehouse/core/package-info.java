/**
 * Gatehouse's public API, and nothing else. {@link io.gatehouse.core.Gatehouse} (built with its
 * {@link io.gatehouse.core.Gatehouse.Builder}) takes the {@link io.gatehouse.core.RequestFacts} of a
 * request and returns a {@link io.gatehouse.core.Decision}: an {@link io.gatehouse.core.Action}, the
 * {@link io.gatehouse.core.Source} and rule that decided, the error code (1012, 1009 or 1020, named in
 * {@code Decision}) and the Ray ID. The rest of the API are the values it hands back:
 * {@link io.gatehouse.core.Explanation},
 * {@link io.gatehouse.core.Challenge} and {@link io.gatehouse.core.Challenge.Verdict},
 * {@link io.gatehouse.core.ReloadResult}, {@link io.gatehouse.core.RuleChange} and
 * {@link io.gatehouse.core.Status}.
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>{@code core.engine}: the request path. {@code Engine.decide} resolves the client, runs the
 *       {@code Pipeline} of stages over an {@code Evaluation} (configuration rules, access rules, custom
 *       rules, rate limiting, Browser Integrity Check, Security Level), records events, and issues and
 *       checks the challenge and its clearance cookie.</li>
 *   <li>{@code core.policy}: compile time. {@code LivePolicy} holds the policy in force; the
 *       {@code PolicyCompiler} reads the properties, hands each key to its handler in {@code Keys}, fills
 *       a {@code Draft} (where every default lives), loads the files it names and builds a
 *       {@code Policy}. Reloads, the file watcher and managed access-rule changes live here too.</li>
 *   <li>The concepts each have a package: {@code net} (addresses, the interval index, the client
 *       address), {@code geo}, {@code reputation} (feeds, behaviour, Security Level), {@code bot}
 *       (integrity check, crawler verification), {@code rules} (access, custom and configuration rules,
 *       and {@code rules.expr}, the rules language), {@code events}, {@code config}
 *       (reading properties and values).</li>
 * </ul>
 */
package io.gatehouse.core;
