/**
 * The servlet adapter: puts the engine, {@link io.gatehouse.core.Gatehouse}, in front of a web application.
 * No decision is made here; this package turns servlet requests into what the engine reads and writes the
 * answers Gatehouse gives itself.
 *
 * <p>The request path is {@link io.gatehouse.servlet.GatehouseFilter#doFilter}: the request becomes
 * {@link io.gatehouse.core.RequestFacts}, the challenge page's post is answered at once, and everything
 * else is decided by the engine. An allowed request goes on down the chain, or to the admin endpoints if
 * its canonical path is under the admin path; a refused one gets the challenge page when a browser can
 * solve it, else the refusal in the format the client asked for.
 *
 * <ul>
 *   <li>{@link io.gatehouse.servlet.GatehouseFilter}: the filter, and the challenge verification redirect.
 *   <li>{@code RequestMapping}: servlet request to {@code RequestFacts}; {@code ContainerHeaders} copies the
 *       headers, the way chosen once for the container ({@code JettyHeaders} under Jetty).
 *   <li>{@code CanonicalPath}: the path as a container would route it, for the admin-path test.
 *   <li>{@code ErrorResponses}: the 403 as an HTML page, JSON or text, in the {@code ResponseFormat} the
 *       client prefers, with the words of {@code PageText}.
 *   <li>{@code ChallengePage}: the proof-of-work page.
 *   <li>{@code AdminEndpoints}: the admin API's access checks and routing; {@code AdminParams} reads a
 *       request's parameters, {@code AdminViews} writes the JSON, {@code BadRequest} is the 400;
 *       {@code Dashboard} is the page over that API.
 *   <li>{@code SecurityHeaders}: every header set on Gatehouse's own answers, and the pages' script nonces.
 *   <li>{@code Resources}: the scripts and page skeletons kept beside these classes.
 * </ul>
 */
package io.gatehouse.servlet;
