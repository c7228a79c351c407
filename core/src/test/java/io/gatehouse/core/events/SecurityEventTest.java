package io.gatehouse.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecurityEventTest {

  private static final int CAP = SecurityEvent.MAX_TEXT_LENGTH;
  private static final String MARK = "\u2026[truncated]";

  @Test
  void textWithinTheCapIsKeptAsIs() {
    String atCap = "a".repeat(CAP);
    assertThat(SecurityEvent.capped(atCap)).isSameAs(atCap);
    assertThat(SecurityEvent.capped("")).isEmpty();
    assertThat(SecurityEvent.capped(null)).isNull();
  }

  @Test
  void longerTextIsCutToTheCapWithAVisibleMark() {
    String cut = SecurityEvent.capped("a".repeat(7 * 1024));
    assertThat(cut).hasSize(CAP).endsWith(MARK).startsWith("a".repeat(CAP - MARK.length()));
    assertThat(SecurityEvent.capped("b".repeat(CAP + 1))).hasSize(CAP).endsWith(MARK);
  }

  @Test
  void aSurrogatePairAtTheCutIsDroppedWholeNotHalved() {
    int keep = CAP - MARK.length();
    // The pair straddles the cut: its high half is the last character that would be kept.
    String text = "a".repeat(keep - 1) + "\uD83D\uDE00" + "z".repeat(100);
    String cut = SecurityEvent.capped(text);
    assertThat(cut).isEqualTo("a".repeat(keep - 1) + MARK).hasSizeLessThanOrEqualTo(CAP);

    // A pair wholly before the cut is kept.
    String before = "a".repeat(keep - 2) + "\uD83D\uDE00" + "z".repeat(100);
    assertThat(SecurityEvent.capped(before)).isEqualTo("a".repeat(keep - 2) + "\uD83D\uDE00" + MARK).hasSize(CAP);
  }
}
