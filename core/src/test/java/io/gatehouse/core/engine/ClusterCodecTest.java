package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gatehouse.core.Source;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.core.net.IpAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What instances send each other is read back exactly, and anything else is refused, never half-trusted. */
class ClusterCodecTest {

  private static final SecurityEvent EVENT = new SecurityEvent("0f9b2432697bfac6-fra1", Instant.parse(
      "2026-01-02T03:04:05.678Z"), SecurityEvent.Kind.BLOCK, Source.CUSTOM_RULES, "scanners", "sqlmap \"quoted\"\n",
      1020, "203.0.113.9", "10.0.0.1", "header", 64496, "Example AS", "NL", "GET", "shop.example", "/wp-login.php",
      "a=1&b=%00", "sqlmap/1.7", 60, 10, 0, true, "detected", true);

  @Test
  void anEventIsReadBackAsItWasWritten() {
    assertThat(ClusterCodec.event(ClusterCodec.event(EVENT))).isEqualTo(EVENT);
  }

  @Test
  void anEventWithAnUnknownClientIsReadBackToo() {
    SecurityEvent unknown = new SecurityEvent("0f9b2432697bfac6", EVENT.time(), SecurityEvent.Kind.LOG, Source.PROBING,
        "", "", 0, "unknown", "unknown", "invalid_hop", 0, "", "XX", "GET", null, "/", null, null, 0, 0, 0, false, "",
        false);
    assertThat(ClusterCodec.event(ClusterCodec.event(unknown))).isEqualTo(unknown);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null", "[]", "\"text\"", "{}", "{not json", "{\"ray_id\":\"0f9b2432697bfac6\"}"})
  void nonsenseIsNotAnEvent(String line) {
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterCodec.event(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"ray_id\":\"0f9b2432697bfac6-fra1\"|\"ray_id\":\"../../etc\"",
      "\"time\":\"2026-01-02T03:04:05.678Z\"|\"time\":\"yesterday\"",
      "\"action\":\"block\"|\"action\":\"obliterate\"",
      "\"threat_score\":60|\"threat_score\":101",
      "\"error_code\":1020|\"error_code\":-1",
      "\"client_ip\":\"203.0.113.9\"|\"client_ip\":\"<script>\"",
      "\"enforced\":true|\"enforced\":\"yes\"",
      "\"asn\":64496|\"asn\":1.5",
      "\"enforced\":true|\"enforced\":true,\"admin\":true"})
  void anEventWithOneBadFieldIsRefusedWhole(String replacement) {
    String[] parts = replacement.split("\\|");
    String line = ClusterCodec.event(EVENT);
    assertThat(line).contains(parts[0]);
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterCodec.event(line.replace(parts[0], parts[1])));
  }

  @Test
  void aLineLongerThanAnyEventIsNotRead() {
    String huge = ClusterCodec.event(EVENT).replace("sqlmap/1.7", "x".repeat(ClusterCodec.MAX_LINE));
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterCodec.event(huge));
  }

  @Test
  void aBroadcastIsReadBackAsItWasWritten() {
    List<ClusterCodec.Item> items = List.of(
        new ClusterCodec.EvidenceItem(IpAddress.parse("2001:db8::1"), -42, 12.5, true, false),
        new ClusterCodec.EvidenceItem(null, 7, 5, false, true),
        new ClusterCodec.RevokeItem(99, 1_800_000),
        new ClusterCodec.SharedItem(IpAddress.parse("192.0.2.1")));
    int[] skipped = new int[1];
    ClusterCodec.Message m = ClusterCodec.message(ClusterCodec.message("node-a", items), skipped);
    assertThat(m.from()).isEqualTo("node-a");
    assertThat(m.items()).isEqualTo(items);
    assertThat(skipped[0]).isZero();
  }

  @Test
  void aBadItemIsLeftOutAndCountedAndTheOthersKept() {
    String line = "{\"from\":\"x\",\"items\":["
        + "{\"k\":\"evidence\",\"visitor\":1,\"points\":1e9,\"address\":true,\"cleared\":false},"
        + "{\"k\":\"evidence\",\"visitor\":1,\"points\":0,\"address\":true,\"cleared\":false},"
        + "{\"k\":\"evidence\",\"visitor\":1,\"points\":5,\"address\":\"yes\",\"cleared\":false},"
        + "{\"k\":\"evidence\",\"visitor\":1,\"points\":5,\"address\":true,\"cleared\":false,\"ip\":\"999.1.1.1\"},"
        + "{\"k\":\"revoke\",\"visitor\":1,\"ms\":0},"
        + "{\"k\":\"shared\",\"ip\":\"example.com\"},"
        + "{\"k\":\"format-disk\"},"
        + "42,"
        + "{\"k\":\"shared\",\"ip\":\"192.0.2.7\"}]}";
    int[] skipped = new int[1];
    ClusterCodec.Message m = ClusterCodec.message(line, skipped);
    assertThat(m.items()).containsExactly(new ClusterCodec.SharedItem(IpAddress.parse("192.0.2.7")));
    assertThat(skipped[0]).isEqualTo(8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "{}", "{\"from\":\"x\"}", "{\"from\":\"x\",\"items\":{}}",
      "{\"from\":7,\"items\":[]}"})
  void nonsenseIsNotABroadcast(String line) {
    assertThatIllegalArgumentException().isThrownBy(() -> ClusterCodec.message(line, new int[1]));
  }
}
