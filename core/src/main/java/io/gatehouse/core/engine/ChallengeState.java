package io.gatehouse.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * What the challenge keeps between requests: the random secret used when none is configured (made once
 * per engine, so that reloads do not end every clearance), the tokens already redeemed (each token buys
 * one clearance), the tokens whose failure already counted against their visitor (each counts once), and
 * the revoked clearances. All bounded and expiring; thread-safe.
 *
 * <p>Revocations are kept by visitor id alone, with the time they last, so that another store can hold
 * them for several instances: a revocation is a key and an expiry, nothing more.
 *
 * <h2>Memory</h2>
 * Each entry costs about 150 bytes with its node in the cache (190 for a redeemed token, whose nonce is a
 * 24-character string), so the bounds keep the three to about 9 MB however many tokens a flood submits:
 * {@value #MAX_REDEEMED} redeemed tokens (each one a solved proof of work), {@value #MAX_PENALISED}
 * counted failures (garbage costs nothing to send, and forgetting one only lets a retried token count
 * against its own visitor again) and {@value #MAX_REVOKED} revocations. Beyond a bound the least used
 * entries give way: a redeemed token forgotten early could be redeemed again by the visitor it was issued
 * to, which buys it no more than solving another challenge would.
 */
final class ChallengeState {

  /** How long a challenge token can be redeemed. */
  public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
  /** The most redeemed tokens remembered. */
  static final int MAX_REDEEMED = 32_768;
  /** The most tokens remembered as having counted against their visitor. */
  static final int MAX_PENALISED = 8_192;
  /** The most revocations kept: beyond it the least used are dropped. */
  static final int MAX_REVOKED = 16_384;

  private final byte[] randomSecret = new byte[32];
  private final SecureRandom random = new SecureRandom();
  private final Cache<String, Boolean> redeemed;
  private final Cache<Long, Boolean> penalised;
  private final Cache<Long, Long> revoked;

  public ChallengeState(Ticker ticker) {
    random.nextBytes(randomSecret);
    redeemed = Caffeine.newBuilder().maximumSize(MAX_REDEEMED).expireAfterWrite(TOKEN_LIFETIME).ticker(ticker)
        .executor(Runnable::run).build();
    penalised = Caffeine.newBuilder().maximumSize(MAX_PENALISED).expireAfterWrite(TOKEN_LIFETIME).ticker(ticker)
        .executor(Runnable::run).build();
    revoked = Caffeine.newBuilder().maximumSize(MAX_REVOKED).expireAfter(new Expiry<Long, Long>() {
      @Override
      public long expireAfterCreate(Long key, Long lastsNanos, long currentTime) {
        return lastsNanos;
      }

      @Override
      public long expireAfterUpdate(Long key, Long lastsNanos, long currentTime, long currentDuration) {
        return Math.max(lastsNanos, currentDuration);
      }

      @Override
      public long expireAfterRead(Long key, Long lastsNanos, long currentTime, long currentDuration) {
        return currentDuration;
      }
    }).ticker(ticker).executor(Runnable::run).build();
  }

  /** The secret used when {@code gatehouse.challenge.secret} is not set. */
  public byte[] randomSecret() {
    return randomSecret.clone();
  }

  /** A fresh random nonce. */
  public byte[] nonce() {
    byte[] n = new byte[12];
    random.nextBytes(n);
    return n;
  }

  /** A fresh random visitor id for a clearance; never 0. */
  public long visitorId() {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }

  /** Marks a token's nonce as redeemed; false if it already was. */
  public boolean redeem(String nonce) {
    return redeemed.asMap().putIfAbsent(nonce, Boolean.TRUE) == null;
  }

  /**
   * Marks a refused submission of a token as counted, by a hash of the token ({@link Clearances#hash});
   * false if one already was.
   */
  public boolean firstFailure(long tokenHash) {
    return penalised.asMap().putIfAbsent(tokenHash, Boolean.TRUE) == null;
  }

  /** Revokes the clearances of {@code visitorId} for {@code lasts} (their lifetime at most). */
  public void revoke(long visitorId, Duration lasts) {
    revoked.put(visitorId, lasts.toNanos());
  }

  /** Redeemed tokens, counted failures and revocations held now, after pending evictions (for tests). */
  long entries() {
    redeemed.cleanUp();
    penalised.cleanUp();
    revoked.cleanUp();
    return redeemed.estimatedSize() + penalised.estimatedSize() + revoked.estimatedSize();
  }

  /** Whether the clearances of {@code visitorId} are revoked. */
  public boolean isRevoked(long visitorId) {
    return revoked.estimatedSize() != 0 && revoked.getIfPresent(visitorId) != null;
  }
}
