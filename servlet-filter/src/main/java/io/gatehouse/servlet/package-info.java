/**
 * The servlet adapter: {@link io.gatehouse.servlet.GatehouseFilter} maps each request to
 * {@link io.gatehouse.core.RequestFacts}, asks the engine, and either continues the chain or renders the
 * refusal (HTML page, JSON or text). No decision is made here.
 */
package io.gatehouse.servlet;
