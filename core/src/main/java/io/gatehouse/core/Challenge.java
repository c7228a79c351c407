package io.gatehouse.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * A challenge to render: the signed token the browser must solve, how hard it is, and where the solution
 * goes.
 *
 * @param token the signed token
 * @param difficulty leading zero bits of SHA-256(token ":" counter) the browser must find
 * @param verifyPath where the page posts {@code token} and {@code counter}
 * @param rayId the Ray ID of the challenged request
 */
public record Challenge(String token, int difficulty, String verifyPath, String rayId) {

  /** The cookie that carries a visitor's clearance once it has solved a challenge. */
  public static final String CLEARANCE_COOKIE = "gatehouse_clearance";

  /** Whether {@code counter} solves this challenge. */
  public boolean solvedBy(String counter) {
    return solves(token, counter, difficulty);
  }

  /**
   * Whether {@code counter} solves {@code token}: SHA-256 of {@code token ":" counter} begins with at
   * least {@code difficulty} zero bits. The counter is the decimal text the browser found.
   */
  public static boolean solves(String token, String counter, int difficulty) {
    if (counter == null || counter.isEmpty() || counter.length() > 12 || !counter.chars().allMatch(Character::isDigit)) {
      return false;
    }
    byte[] d = sha256((token + ":" + counter).getBytes(StandardCharsets.US_ASCII));
    return leadingZeroBits(d) >= difficulty;
  }

  static int leadingZeroBits(byte[] d) {
    int bits = 0;
    for (byte x : d) {
      if (x == 0) {
        bits += 8;
        continue;
      }
      return bits + Integer.numberOfLeadingZeros(x & 0xff) - 24;
    }
    return bits;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /**
   * The outcome of a posted challenge solution.
   *
   * @param solved whether it was accepted
   * @param redirect the same-site path to send the visitor to: where they were going, or {@code /}
   * @param clearance the clearance cookie value when solved, else {@code null}
   * @param maxAge how long the clearance lasts
   * @param rayId the Ray ID of the verification request
   * @param reason why it was refused, or {@code null}
   */
  public record Verdict(boolean solved, String redirect, String clearance, Duration maxAge, String rayId,
      String reason) {}
}
