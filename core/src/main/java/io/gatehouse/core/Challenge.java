package io.gatehouse.core;

/**
 * A challenge to render: the signed token the browser must solve, how hard it is, and where the solution
 * goes.
 *
 * @param token the signed token
 * @param difficulty leading zero bits of SHA-256(token ":" counter) the browser must find
 * @param verifyPath where the page posts {@code token} and {@code counter}
 * @param rayId the Ray ID of the challenged request
 */
public record Challenge(String token, int difficulty, String verifyPath, String rayId) {}
