/**
 * IP reputation: the threat score (0 clean, 100 worst) of a client address, from blocklist feeds (files
 * or URLs, refreshed in the background) and from the address's own behaviour (mitigations and probing,
 * decaying with a half-life, per IPv4 address or IPv6 /64, in bounded memory).
 */
package io.gatehouse.core.reputation;
