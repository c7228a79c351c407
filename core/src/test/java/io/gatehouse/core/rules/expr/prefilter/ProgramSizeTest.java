package io.gatehouse.core.rules.expr.prefilter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgramSizeTest {

  @Test
  void programSizeIsEstimatedBeforeCompiling() {
    assertThat(ProgramSize.estimate("abc")).isBetween(3L, 10L);
    assertThat(ProgramSize.estimate("[a-z]{1000}")).isBetween(1000L, 3000L);
    assertThat(ProgramSize.estimate("((a{1000}){1000}){1000}")).isGreaterThan(1_000_000_000L);
    assertThat(ProgramSize.estimate("\\Q((((\\E")).isLessThan(20L);
    assertThat(ProgramSize.estimate("[({]{2}")).isLessThan(20L);
    assertThat(ProgramSize.estimate("a{,5}{x}")).isLessThan(20L);
  }
}
