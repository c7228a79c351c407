package io.gatehouse.core.engine;

import io.gatehouse.core.Challenge;
import io.gatehouse.core.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks challenge tokens and clearance cookies under one secret.
 *
 * <h2>Binding</h2>
 * Both are bound to the visitor: the client address (an IPv6 client by its /64, since privacy addresses
 * rotate within it) and a hash of the User-Agent. A cookie copied to another machine or browser does not
 * verify, and a token solved for one visitor cannot be redeemed by another.
 *
 * <h2>Formats</h2>
 * A token is {@code base64url(payload) "." base64url(HMAC(payload))}; the payload carries the version,
 * issue time, difficulty, a random nonce, the binding, the issuing Ray ID and the path to return to, so
 * the return path cannot be tampered with (and can only ever be a path on this site). A clearance is
 * {@code base64url(version, expiry, visitor id) "." base64url(HMAC(version, expiry, visitor id, binding))}:
 * the binding is not stored in the cookie, only proven by it. The visitor id is random, made when the
 * challenge is solved: behaviour evidence is kept against it, so a visitor who misbehaves after clearing
 * is told apart from its neighbours on the same address, and its clearance alone can be revoked. The
 * cookie stays stateless. Version 1 clearances, which carry no id, are still accepted; their id is taken
 * from their signature.
 *
 * <p>Thread-safe; each operation uses its own {@link Mac}.
 */
final class Clearances {

  private static final byte TOKEN_VERSION = 1;
  private static final byte CLEARANCE_V1 = 1;
  private static final byte CLEARANCE_VERSION = 2;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /** The cookie that carries a visitor's clearance. */
  static final String COOKIE = Challenge.CLEARANCE_COOKIE;

  /** @param secret the shared secret; at least 32 bytes */
  public Clearances(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the challenge secret needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** What a token says, once its signature has been checked. */
  public record Token(Instant issuedAt, int difficulty, String nonce, long addressKey, long agentHash,
      String issuingRayId, String returnPath) {}

  /**
   * A clearance cookie, checked.
   *
   * @param check what the check found
   * @param visitorId the visitor id the clearance carries when it is genuine ({@link Check#VALID} or
   *     {@link Check#EXPIRED}), else 0
   */
  public record Clearance(Check check, long visitorId) {
    public static final Clearance ABSENT = new Clearance(Check.ABSENT, 0);
    public static final Clearance INVALID = new Clearance(Check.INVALID, 0);
  }

  /** The outcome of checking a clearance cookie. */
  public enum Check {
    /** A valid clearance for this visitor. */
    VALID,
    /** No cookie. */
    ABSENT,
    /** A genuine clearance that has run out: ordinary, not suspicious. */
    EXPIRED,
    /** Malformed, forged, tampered with, or presented by another address or browser. */
    INVALID
  }

  /** The address part of the binding: an IPv4 address, or an IPv6 /64. */
  public static long addressKey(IpAddress ip) {
    if (ip == null) {
      return 0;
    }
    return ip.hostKey();
  }

  /** The User-Agent part of the binding. */
  public static long agentHash(String userAgent) {
    return hash(userAgent);
  }

  /**
   * Where a visitor may be sent back after a challenge: {@code candidate} if it is a plain same-origin
   * path ({@code /x?y}), otherwise {@code "/"}. Rejected: anything not starting with a single {@code /}
   * ({@code //evil.example}, {@code https://...}), any backslash (browsers read {@code /\evil.example} as
   * {@code //evil.example}), control characters, spaces, and anything over 2,048 characters.
   */
  public static String returnPath(String candidate) {
    return ReturnPaths.sanitize(candidate);
  }

  /** The first 64 bits of the SHA-256 of {@code text} ({@code null} as empty). */
  public static long hash(String text) {
    byte[] d = sha256(text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(d).getLong();
  }

  /** A signed token for a challenge. */
  public String issueToken(Instant now, int difficulty, byte[] nonce, long addressKey, long agentHash,
      String issuingRayId, String returnPath) {
    byte[] ray = issuingRayId.getBytes(StandardCharsets.UTF_8);
    byte[] path = returnPath.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 1 + 1 + nonce.length + 8 + 8 + 2 + ray.length + 2 + path.length);
    b.put(TOKEN_VERSION).putLong(now.getEpochSecond()).put((byte) difficulty).put((byte) nonce.length).put(nonce)
        .putLong(addressKey).putLong(agentHash).putShort((short) ray.length).put(ray).putShort((short) path.length)
        .put(path);
    byte[] payload = b.array();
    return B64.encodeToString(payload) + "." + B64.encodeToString(mac((byte) 'T', payload));
  }

  /** The token's content if its signature is good, else {@code null}. Never throws. */
  public Token readToken(String token) {
    try {
      byte[] payload = signedPayload(token, (byte) 'T');
      if (payload == null) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(payload);
      if (b.get() != TOKEN_VERSION) {
        return null;
      }
      Instant issued = Instant.ofEpochSecond(b.getLong());
      int difficulty = b.get();
      byte[] nonce = new byte[b.get()];
      b.get(nonce);
      long address = b.getLong();
      long agent = b.getLong();
      byte[] ray = new byte[b.getShort()];
      b.get(ray);
      byte[] path = new byte[b.getShort()];
      b.get(path);
      return new Token(issued, difficulty, HexFormat.of().formatHex(nonce), address, agent,
          new String(ray, StandardCharsets.UTF_8), new String(path, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A clearance cookie value for this visitor, valid until {@code now + ttl}, carrying {@code visitorId}. */
  public String mintClearance(Instant now, Duration ttl, long addressKey, long agentHash, long visitorId) {
    long expiry = now.plus(ttl).getEpochSecond();
    byte[] head = ByteBuffer.allocate(17).put(CLEARANCE_VERSION).putLong(expiry).putLong(visitorId).array();
    return B64.encodeToString(head) + "." + B64.encodeToString(mac((byte) 'C', clearanceInput(head, addressKey,
        agentHash)));
  }

  /** Checks a clearance cookie value for this visitor at {@code now}. Never throws. */
  public Clearance checkClearance(String cookie, Instant now, long addressKey, long agentHash) {
    if (cookie == null || cookie.isEmpty()) {
      return Clearance.ABSENT;
    }
    try {
      int dot = cookie.indexOf('.');
      if (dot <= 0 || cookie.length() > 200) {
        return Clearance.INVALID;
      }
      byte[] head = decode(cookie.substring(0, dot));
      byte[] given = decode(cookie.substring(dot + 1));
      boolean v1 = head.length == 9 && head[0] == CLEARANCE_V1;
      if (!v1 && !(head.length == 17 && head[0] == CLEARANCE_VERSION)) {
        return Clearance.INVALID;
      }
      byte[] expected = mac((byte) 'C', clearanceInput(head, addressKey, agentHash));
      if (!MessageDigest.isEqual(expected, given)) {
        return Clearance.INVALID;
      }
      ByteBuffer b = ByteBuffer.wrap(head, 1, head.length - 1);
      long expiry = b.getLong();
      long visitorId = v1 ? ByteBuffer.wrap(expected).getLong() : b.getLong();
      return new Clearance(now.getEpochSecond() < expiry ? Check.VALID : Check.EXPIRED, visitorId);
    } catch (IllegalArgumentException e) {
      return Clearance.INVALID;
    }
  }

  private static byte[] clearanceInput(byte[] head, long addressKey, long agentHash) {
    return ByteBuffer.allocate(head.length + 16).put(head).putLong(addressKey).putLong(agentHash).array();
  }

  /**
   * {@code text} decoded, if it is the one spelling in which {@link #B64} writes its bytes. The decoder
   * alone also reads {@code =} padding and ignores the unused low bits of the last character, so that
   * several strings would carry one clearance or token, each counted apart where failures are counted once.
   *
   * @throws IllegalArgumentException when {@code text} is not base64url, or not in that spelling
   */
  private static byte[] decode(String text) {
    byte[] bytes = B64D.decode(text);
    if (!B64.encodeToString(bytes).equals(text)) {
      throw new IllegalArgumentException("not the canonical base64url of its bytes");
    }
    return bytes;
  }

  private byte[] signedPayload(String token, byte domain) {
    if (token == null || token.length() > 8192) {
      return null;
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    byte[] payload = decode(token.substring(0, dot));
    byte[] given = decode(token.substring(dot + 1));
    return MessageDigest.isEqual(mac(domain, payload), given) ? payload : null;
  }

  /** HMAC over a domain byte and the data, so a token can never pass as a clearance or the reverse. */
  private byte[] mac(byte domain, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(domain);
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
