package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The canonical path: the quick answer for paths already canonical is the long way's answer. */
class CanonicalPathTest {

  private static final String ALPHABET = "/a.%2F;\\";

  @Test
  void everyShortPathGetsTheSameAnswerEitherWay() {
    int checked = 0;
    int quick = 0;
    StringBuilder sb = new StringBuilder();
    for (int length = 1; length <= 6; length++) {
      int[] digits = new int[length];
      while (true) {
        sb.setLength(0);
        for (int d : digits) {
          sb.append(ALPHABET.charAt(d));
        }
        String path = sb.toString();
        String canonical = CanonicalPath.normalise(path);
        assertThat(CanonicalPath.of(path)).as(path).isEqualTo(canonical);
        if (CanonicalPath.isCanonical(path)) {
          assertThat(canonical).as("claimed canonical: %s", path).isEqualTo(path);
          quick++;
        }
        checked++;
        int i = length - 1;
        while (i >= 0 && ++digits[i] == ALPHABET.length()) {
          digits[i--] = 0;
        }
        if (i < 0) {
          break;
        }
      }
    }
    assertThat(checked).isEqualTo(8 + 64 + 512 + 4096 + 32768 + 262144);
    assertThat(quick).as("some paths take the quick way").isGreaterThan(100);
  }

  @Test
  void spellingsOfTheAdminPathAllComeToIt() {
    for (String p : new String[] {"/__gatehouse", "//__gatehouse", "/x/../__gatehouse", "/%5F_gatehouse",
        "/__gatehouse;x", "/./__gatehouse", "/\\__gatehouse", "/x/%2e%2e/__gatehouse"}) {
      assertThat(CanonicalPath.of(p)).as(p).isEqualTo("/__gatehouse");
    }
    assertThat(CanonicalPath.of("/.well-known/x")).isEqualTo("/.well-known/x");
    assertThat(CanonicalPath.of("/__gatehouse/")).isEqualTo("/__gatehouse/");
    assertThat(CanonicalPath.of("")).isEqualTo("/");
    assertThat(CanonicalPath.of(null)).isEqualTo("/");
  }

  @ParameterizedTest(name = "{1} in context ''{0}'' is {2}")
  @CsvSource(delimiter = '|', value = {
      "''      | /__gatehouse/status      | /__gatehouse/status",
      "/shop   | /shop/__gatehouse/status | /__gatehouse/status",
      "/shop/  | /shop/__gatehouse        | /__gatehouse",
      "/shop   | /shop                    | /",
      "/shop   | /shop/                   | /",
      "/shop   | /shop//x/../__gatehouse  | /__gatehouse",
      "/shop   | /%73hop/__gatehouse      | /__gatehouse",
      "/shop   | /shopping/__gatehouse    | /shopping/__gatehouse",
      "/shop   | /other/__gatehouse       | /other/__gatehouse",
      "/a/b    | /a/b/__gatehouse-challenge | /__gatehouse-challenge",
  })
  void pathsInTheApplicationAreRelativeToTheContextPath(String context, String path, String expected) {
    RequestFacts facts = RequestFacts.builder().contextPath(context).path(path).build();
    assertThat(CanonicalPath.inApplication(facts)).isEqualTo(expected);
  }
}
