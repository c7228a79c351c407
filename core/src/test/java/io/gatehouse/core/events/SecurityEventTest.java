package io.gatehouse.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ClientIp;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.Source;
import io.gatehouse.core.geo.GeoLookup;
import java.time.Instant;
import java.util.List;
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

  @Test
  void anEventOfARequestCapsEveryFreeTextFieldTheMethodToo() {
    String big = "X".repeat(8 * 1024);
    RequestFacts facts = RequestFacts.builder().peer("192.0.2.7").method(big).host(big).path("/" + big).query(big)
        .header("User-Agent", big).build();
    SecurityEvent e = SecurityEvent.of(SecurityEvent.Kind.BLOCK, Source.CUSTOM_RULES, "flood", big, 1020,
        "0f9b2432697bfac6", Instant.EPOCH, facts, ClientIp.ofPeer(facts.peer()), GeoLookup.Asn.UNKNOWN, "XX", 0, 0, 0, "",
        true);
    assertThat(List.of(e.method(), e.host(), e.path(), e.query(), e.userAgent(), e.description()))
        .allSatisfy(text -> assertThat(text).hasSize(CAP).endsWith(MARK));
  }
}
