package io.gatehouse.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Source;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventSizeTest {

  private static SecurityEvent event(String clientIp, String peerIp, String userAgent) {
    return new SecurityEvent("0f9b2432697bfac6", Instant.EPOCH, SecurityEvent.Kind.BLOCK, Source.CUSTOM_RULES,
        "scanners", "scanner signatures", 1020, clientIp, peerIp, "peer", 64496, "Example Networks", "DE", "GET",
        "shop.example", "/wp-login.php", "", userAgent, 0, 0, 0, false, "", true);
  }

  @Test
  void aStringIsItsObjectAndAnArrayOfOneByteACharacterInLatin1AndTwoOtherwise() {
    long latin1 = EventSize.string("\u00e9".repeat(1024));
    long utf16 = EventSize.string("\u0416".repeat(1024));
    assertThat(latin1).isEqualTo(EventSize.STRING + EventSize.array(1024, 1));
    assertThat(utf16).isEqualTo(EventSize.STRING + EventSize.array(1024, 2));
    assertThat(utf16 - latin1).isEqualTo(1024);
    // One character outside Latin-1 is enough to make Java keep the whole string in UTF-16.
    assertThat(EventSize.string("a".repeat(1023) + "\u2026")).isEqualTo(utf16);
    assertThat(EventSize.string("")).isEqualTo(EventSize.STRING + EventSize.array(0, 1));
    assertThat(EventSize.string(null)).isZero();
  }

  @Test
  void arraysAreAlignedToEightBytes() {
    assertThat(EventSize.array(0, 1)).isEqualTo(16);
    assertThat(EventSize.array(1, 1)).isEqualTo(24);
    assertThat(EventSize.array(8, 1)).isEqualTo(24);
    assertThat(EventSize.array(9, 1)).isEqualTo(32);
    assertThat(EventSize.array(3, 4)).isEqualTo(32);
  }

  @Test
  void anEventIsItsRecordItsTimeAndEveryStringMadeForItsRequest() {
    String agent = "Mozilla/5.0 (X11; Linux x86_64) sqlmap/1.8";
    SecurityEvent e = event("192.0.2.7", new String("192.0.2.7".toCharArray()), agent);
    long strings = 0;
    for (String s : new String[] {e.rayId(), e.ruleId(), e.description(), e.clientIp(), e.peerIp(), e.method(),
        e.host(), e.path(), e.query(), e.userAgent()}) {
      strings += EventSize.string(s);
    }
    assertThat(EventSize.of(e)).isEqualTo(EventSize.RECORD + EventSize.INSTANT + strings);
  }

  @Test
  void aStringTwoFieldsShareIsCountedOnce() {
    String ip = "192.0.2.7";
    long same = EventSize.of(event(ip, ip, "ua"));
    long distinct = EventSize.of(event(ip, new String(ip.toCharArray()), "ua"));
    assertThat(distinct - same).isEqualTo(EventSize.string(ip));
  }

  @Test
  void aMaximalEventCostsSixTimesAFullFieldInUtf16() {
    String full = "\u0416".repeat(SecurityEvent.MAX_TEXT_LENGTH);
    SecurityEvent e = new SecurityEvent("0f9b2432697bfac6", Instant.EPOCH, SecurityEvent.Kind.BLOCK,
        Source.CUSTOM_RULES, "flood", new String(full.toCharArray()), 1020, "192.0.2.7", "192.0.2.7", "peer", 0, "",
        "XX", new String(full.toCharArray()), new String(full.toCharArray()), new String(full.toCharArray()),
        new String(full.toCharArray()), new String(full.toCharArray()), 0, 0, 0, false, "", true);
    long field = EventSize.string(full);
    assertThat((long) EventSize.of(e)).isBetween(6 * field, 6 * field + 400);
  }
}
