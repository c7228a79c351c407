package io.gatehouse.core.engine;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes Ray IDs: 16 hex characters from a cryptographic generator, so that an attacker who sees some
 * cannot guess others (a guessable Ray ID would let one look up another visitor's event), plus
 * {@code -node} when a node id is configured. Thread-safe.
 */
final class RayIds {

  private final SecureRandom random = new SecureRandom();

  String next(String nodeId) {
    String ray = HexFormat.of().toHexDigits(random.nextLong());
    return nodeId.isEmpty() ? ray : ray + "-" + nodeId;
  }
}
