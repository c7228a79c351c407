/**
 * The cluster's state in Redis: {@link io.gatehouse.redis.RedisStateStore} implements the engine's
 * state-store seam ({@code Engine.StateStore}) with Lettuce, and {@link io.gatehouse.redis.RedisStoreProvider}
 * opens it for {@code gatehouse.cluster.redis=redis://...}. Adding this module to an application and
 * setting that key is all it takes to run several instances as one firewall.
 */
package io.gatehouse.redis;
