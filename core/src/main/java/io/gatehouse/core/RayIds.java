package io.gatehouse.core;

import java.security.SecureRandom;

/**
 * Makes Ray IDs: 16 hex characters from a cryptographic generator, so that an attacker who sees some
 * cannot guess others (a guessable Ray ID would let one look up another visitor's event), plus
 * {@code -node} when a node id is configured. Thread-safe.
 */
final class RayIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SecureRandom random = new SecureRandom();

  String next(String nodeId) {
    long bits = random.nextLong();
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
    String ray = new String(out);
    return nodeId.isEmpty() ? ray : ray + "-" + nodeId;
  }
}
