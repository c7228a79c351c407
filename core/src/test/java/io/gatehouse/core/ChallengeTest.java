package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChallengeTest {

  @Test
  void leadingZeroBitsCountWholeZeroBytesThenTheFirstNonZeroByte() {
    assertThat(Challenge.leadingZeroBits(new byte[] {0, 0, 0x10})).isEqualTo(19);
    assertThat(Challenge.leadingZeroBits(new byte[] {(byte) 0x80})).isZero();
    assertThat(Challenge.leadingZeroBits(new byte[] {0, 0})).isEqualTo(16);
  }

  @Test
  void aChallengeIsSolvedByTheCounterThatGivesEnoughZeroBitsAndByNoMalformedCounter() {
    Challenge c = new Challenge("token-for-test", 8, "/__gatehouse-challenge", "ray");
    int n = 0;
    while (!c.solvedBy(Integer.toString(n))) {
      n++;
    }
    assertThat(Challenge.solves(c.token(), Integer.toString(n), 8)).isTrue();
    assertThat(c.solvedBy("+" + n)).isFalse();
    assertThat(c.solvedBy("")).isFalse();
    assertThat(c.solvedBy(null)).isFalse();
  }
}
