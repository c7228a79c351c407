package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Challenge;
import io.gatehouse.core.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClearancesTest {

  private static final byte[] SECRET = "a-long-shared-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36";

  private final Clearances clearances = new Clearances(SECRET);
  private final long me = Clearances.addressKey(IpAddress.parse("203.0.113.9"));
  private final long agent = Clearances.agentHash(UA);

  @Test
  void aClearanceIsValidForItsVisitorUntilItExpires() {
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), me, agent, 42L);
    assertThat(clearances.checkClearance(cookie, NOW, me, agent).check()).isEqualTo(Clearances.Check.VALID);
    assertThat(clearances.checkClearance(cookie, NOW.plus(Duration.ofMinutes(29)), me, agent).check())
        .isEqualTo(Clearances.Check.VALID);
    assertThat(clearances.checkClearance(cookie, NOW.plus(Duration.ofMinutes(30)), me, agent).check())
        .isEqualTo(Clearances.Check.EXPIRED);
  }

  @Test
  void anotherAddressOrBrowserCannotUseIt() {
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), me, agent, 42L);
    long other = Clearances.addressKey(IpAddress.parse("203.0.113.10"));
    assertThat(clearances.checkClearance(cookie, NOW, other, agent).check()).isEqualTo(Clearances.Check.INVALID);
    assertThat(clearances.checkClearance(cookie, NOW, me, Clearances.agentHash(UA + " ")).check()).isEqualTo(Clearances.Check.INVALID);
  }

  @Test
  void ipv6IsBoundByItsSlash64() {
    long a = Clearances.addressKey(IpAddress.parse("2001:db8:1:2::aaaa"));
    long b = Clearances.addressKey(IpAddress.parse("2001:db8:1:2:ffff::1"));
    long c = Clearances.addressKey(IpAddress.parse("2001:db8:1:3::aaaa"));
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), a, agent, 42L);
    assertThat(clearances.checkClearance(cookie, NOW, b, agent).check()).isEqualTo(Clearances.Check.VALID);
    assertThat(clearances.checkClearance(cookie, NOW, c, agent).check()).isEqualTo(Clearances.Check.INVALID);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nonsense", ".", "a.b", "AQAAAAAAAAAA.AAAA", "....", "%%%.###",
      "AQAAAABpJtKA.z4a7Xh3Vw6hC8y1k9rF0S2p3T4u5V6w7X8y9Z0a1b2c"})
  void forgedCookiesAreInvalid(String cookie) {
    assertThat(clearances.checkClearance(cookie, NOW, me, agent).check()).isEqualTo(Clearances.Check.INVALID);
  }

  @Test
  void aTamperedExpiryIsInvalid() {
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), me, agent, 42L);
    String[] parts = cookie.split("\\.");
    byte[] head = java.util.Base64.getUrlDecoder().decode(parts[0]);
    head[8]++;
    String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(head) + "." + parts[1];
    assertThat(clearances.checkClearance(tampered, NOW, me, agent).check()).isEqualTo(Clearances.Check.INVALID);
  }

  /**
   * Base64url without padding leaves low bits of the last character unused, and a decoder also reads '='
   * padding: the same bytes spelled another way are another string, and not the clearance or token issued.
   */
  @Test
  void anotherSpellingOfTheSameBytesIsInvalid() {
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), me, agent, 42L);
    String token = clearances.issueToken(NOW, 12, new byte[12], me, agent, "0123456789abcdef", "/cart?x=1");
    for (String genuine : new String[] {cookie, token}) {
      int dot = genuine.indexOf('.');
      String head = genuine.substring(0, dot);
      String mac = genuine.substring(dot + 1);
      for (String other : new String[] {lowBitsSet(head) + "." + mac, head + "." + lowBitsSet(mac),
          head + "=." + mac, head + "." + mac + "="}) {
        assertThat(other).isNotEqualTo(genuine);
        if (genuine == cookie) {
          assertThat(clearances.checkClearance(other, NOW, me, agent).check()).as(other)
              .isEqualTo(Clearances.Check.INVALID);
        } else {
          assertThat(clearances.readToken(other)).as(other).isNull();
        }
      }
    }
  }

  /** {@code part} with the unused low bits of its last character set: the same bytes to a lenient decoder. */
  private static String lowBitsSet(String part) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int unused = part.length() % 4 == 2 ? 4 : 2;
    int last = alphabet.indexOf(part.charAt(part.length() - 1));
    return part.substring(0, part.length() - 1) + alphabet.charAt(last | (1 << unused) - 1);
  }

  @Test
  void instancesWithTheSameSecretAcceptEachOthersClearancesAndOthersDoNot() {
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), me, agent, 42L);
    assertThat(new Clearances(SECRET.clone()).checkClearance(cookie, NOW, me, agent).check()).isEqualTo(Clearances.Check.VALID);
    byte[] other = "another-long-shared-secret-of-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    assertThat(new Clearances(other).checkClearance(cookie, NOW, me, agent).check()).isEqualTo(Clearances.Check.INVALID);
  }

  @Test
  void tokensCarryTheirFieldsAndRejectTampering() {
    String token = clearances.issueToken(NOW, 12, new byte[12], me, agent, "0123456789abcdef", "/cart?x=1");
    Clearances.Token t = clearances.readToken(token);
    assertThat(t.issuedAt()).isEqualTo(NOW);
    assertThat(t.difficulty()).isEqualTo(12);
    assertThat(t.issuingRayId()).isEqualTo("0123456789abcdef");
    assertThat(t.returnPath()).isEqualTo("/cart?x=1");
    char[] chars = token.toCharArray();
    chars[5] = chars[5] == 'A' ? 'B' : 'A';
    assertThat(clearances.readToken(new String(chars))).isNull();
    assertThat(clearances.readToken("x")).isNull();
    assertThat(clearances.readToken(null)).isNull();
    // A clearance is never a token, and a token never a clearance.
    String cookie = clearances.mintClearance(NOW, Duration.ofMinutes(30), me, agent, 42L);
    assertThat(clearances.readToken(cookie)).isNull();
    assertThat(clearances.checkClearance(token, NOW, me, agent).check()).isEqualTo(Clearances.Check.INVALID);
  }

  @Test
  void aProofOfWorkIsFoundAndChecked() {
    String token = clearances.issueToken(NOW, 10, new byte[12], me, agent, "r", "/");
    int counter = 0;
    while (!Challenge.solves(token, Integer.toString(counter), 10)) {
      counter++;
    }
    assertThat(Challenge.solves(token, Integer.toString(counter), 10)).isTrue();
    assertThat(Challenge.solves(token, "x", 1)).isFalse();
    assertThat(Challenge.solves(token, "", 1)).isFalse();
    assertThat(Challenge.solves(token, "1234567890123", 1)).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/ | /",
      "/cart?id=7 | /cart?id=7",
      "/a/b/c?x=%2F%2Fevil.example | /a/b/c?x=%2F%2Fevil.example",
      "//evil.example | /",
      "//evil.example/path | /",
      "https://evil.example | /",
      "http:evil.example | /",
      "/\\evil.example | /",
      "/path\\..\\x | /",
      "'' | /",
      "evil.example | /",
      "/%0d%0aSet-Cookie:x=1 | /%0d%0aSet-Cookie:x=1",
      "javascript:alert(1) | /",
      "/\u0000x | /",
      "/ x | /",
      "/ü | /",
  })
  void returnPathsAreSameOriginPathsOnly(String candidate, String expected) {
    assertThat(Clearances.returnPath(candidate)).isEqualTo(expected);
  }
}
