/**
 * The challenge and its clearance: signed, short-lived proof-of-work tokens that a browser solves by
 * itself, and the signed cookie that then lets one visitor (not the whole address) through challenges
 * for a while. HMAC-SHA256 throughout; no third-party service.
 */
package io.gatehouse.core.challenge;
