package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpellingTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
      "abc, abc, 0",
      "abc, abd, 1",
      "abc, acb, 1",
      "abc, ab, 1",
      "'', abc, 3",
      "kitten, sitting, 3",
      "ca, abc, 3",
  })
  void distanceCountsEditsWithASwapOfNeighboursAsOne(String a, String b, int expected) {
    assertThat(Values.distance(a, b)).isEqualTo(expected);
    assertThat(Values.distance(b, a)).isEqualTo(expected);
  }

  @Test
  void closestIsTheNearestCandidateWithinTheDistanceAndTheFirstOnATie() {
    List<String> names = List.of("http.host", "http.hast", "ip.src");
    assertThat(Values.closest("http.hots", names, 2)).isEqualTo("http.host");
    assertThat(Values.closest("http.hxst", names, 2)).isEqualTo("http.host");
    assertThat(Values.closest("ip.scr", names, 2)).isEqualTo("ip.src");
    assertThat(Values.closest("cf.threat_score", names, 2)).isNull();
    assertThat(Values.closest("x".repeat(5000), names, 4)).isNull();
    assertThat(Values.closest("a", List.of(), 4)).isNull();
  }
}
