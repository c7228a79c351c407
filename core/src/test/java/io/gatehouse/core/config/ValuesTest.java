package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

  private static ConfigEntry entry(String value) {
    return new ConfigEntry("f", 7, "gatehouse.x", value);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"on,true", "off,false", "true,true", "false,false", "' on ',true"})
  void booleansAcceptOnlyFourWords(String value, boolean expected) {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.bool(entry(value), p)).isEqualTo(expected);
    assertThat(p.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "no", "1", "0", "enabled", "TRUE ish", ""})
  void anythingElseIsAProblemNotFalse(String value) {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.bool(entry(value), p)).isNull();
    assertThat(p.list()).extracting(Object::toString)
        .containsExactly("f:7: gatehouse.x: '" + value + "' is not on, off, true or false");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"45s,PT45S", "30m,PT30M", "1h,PT1H", "7d,PT168H", "500ms,PT0.5S", "PT30M,PT30M", "pt1h,PT1H", "2 h,PT2H"})
  void durations(String value, String iso) {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.duration(entry(value), p)).isEqualTo(Duration.parse(iso));
    assertThat(p.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0s", "-5m", "5", "5w", "m", "PT-1M", "P", "1.5h", "99999999999999d"})
  void badDurations(String value) {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.duration(entry(value), p)).isNull();
    assertThat(p.list()).extracting(Object::toString).containsExactly(
        "f:7: gatehouse.x: '" + value + "' is not a positive duration such as 45s, 30m, 1h, 7d or PT30M");
  }

  @ParameterizedTest
  @ValueSource(strings = {"36501d", "876001h", "999999999999d", "PT2562047788015215H", "P106751991167300D"})
  void durationsLongerThanAHundredYearsAreProblems(String value) {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.duration(entry(value), p)).isNull();
    assertThat(p.list()).extracting(Object::toString).containsExactly(
        "f:7: gatehouse.x: '" + value + "' is too long; a duration is at most 36500d");
    assertThat(Values.duration(entry("36500d"), p)).isEqualTo(Duration.ofDays(36_500));
  }

  @Test
  void integersInRange() {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.integer(entry("10000"), p, 1, 10_000_000)).isEqualTo(10000);
    assertThat(Values.integer(entry("0"), p, 1, 10)).isNull();
    assertThat(Values.integer(entry("+5"), p, 1, 10)).isNull();
    assertThat(Values.integer(entry("ten"), p, 1, 10)).isNull();
    assertThat(p.list()).extracting(Object::toString).containsExactly(
        "f:7: gatehouse.x: '0' is not a whole number from 1 to 10",
        "f:7: gatehouse.x: '+5' is not a whole number from 1 to 10",
        "f:7: gatehouse.x: 'ten' is not a whole number from 1 to 10");
  }

  @Test
  void cidrListsReportEveryBadItem() {
    ConfigProblems p = new ConfigProblems();
    assertThat(Values.cidrList(entry("10.0.0.0/8, 192.168.0.0/16 ,::1"), p)).hasSize(3);
    assertThat(Values.cidrList(entry("10.0.0.1/8, nonsense, 10.0.0.0/8"), p)).isNull();
    assertThat(p.list()).extracting(Object::toString).containsExactly(
        "f:7: gatehouse.x: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
        "f:7: gatehouse.x: 'nonsense' is not an IP address literal");
  }
}
