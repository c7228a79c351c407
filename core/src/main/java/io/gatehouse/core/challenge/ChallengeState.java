package io.gatehouse.core.challenge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * What the challenge keeps between requests: the random secret used when none is configured (made once
 * per engine, so that reloads do not end every clearance) and the tokens already redeemed (each token
 * buys one clearance). Bounded and thread-safe.
 */
public final class ChallengeState {

  /** How long a challenge token can be redeemed. */
  public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

  private final byte[] randomSecret = new byte[32];
  private final SecureRandom random = new SecureRandom();
  private final Cache<String, Boolean> redeemed;

  public ChallengeState(Ticker ticker) {
    random.nextBytes(randomSecret);
    redeemed = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(TOKEN_LIFETIME).ticker(ticker)
        .executor(Runnable::run).build();
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

  /** Marks a token's nonce as redeemed; false if it already was. */
  public boolean redeem(String nonce) {
    return redeemed.asMap().putIfAbsent(nonce, Boolean.TRUE) == null;
  }
}
