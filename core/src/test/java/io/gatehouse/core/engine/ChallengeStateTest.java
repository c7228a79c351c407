package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What the challenge remembers between requests stays within its bounds however many tokens arrive. */
class ChallengeStateTest {

  private final ChallengeState state = new ChallengeState(() -> 0L);

  @Test
  void aFloodOfGarbageSubmissionsIsRememberedOnlyUpToItsBound() {
    for (long token = 1; token <= 100_000; token++) {
      assertThat(state.firstFailure(token * 0x9E3779B97F4A7C15L)).isTrue();
    }
    assertThat(state.entries()).isLessThanOrEqualTo(ChallengeState.MAX_PENALISED);
  }

  @Test
  void redeemedTokensAndRevocationsAreRememberedOnlyUpToTheirBounds() {
    for (int i = 0; i < 100_000; i++) {
      state.redeem(HexFormat.of().formatHex(state.nonce()));
      state.revoke(state.visitorId(), Duration.ofMinutes(30));
    }
    assertThat(state.entries()).isLessThanOrEqualTo(ChallengeState.MAX_REDEEMED + ChallengeState.MAX_REVOKED);
  }

  @Test
  void aTokenIsRedeemedOnceAndAFailureCountsOnce() {
    assertThat(state.redeem("00112233445566778899aabb")).isTrue();
    assertThat(state.redeem("00112233445566778899aabb")).isFalse();
    assertThat(state.firstFailure(42)).isTrue();
    assertThat(state.firstFailure(42)).isFalse();
  }
}
