package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

  private static ConfigSource.Entry entry(String value) {
    return new ConfigSource.Entry("f", 7, "gatehouse.x", value);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"on,true", "off,false", "true,true", "false,false", "' on ',true"})
  void booleansAcceptOnlyFourWords(String value, boolean expected) {
    ConfigException.Collector p = new ConfigException.Collector();
    assertThat(Values.bool(entry(value), p)).isEqualTo(expected);
    assertThat(p.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "no", "1", "0", "enabled", "TRUE ish", ""})
  void anythingElseIsAProblemNotFalse(String value) {
    ConfigException.Collector p = new ConfigException.Collector();
    assertThat(Values.bool(entry(value), p)).isNull();
    assertThat(p.list()).extracting(Object::toString)
        .containsExactly("f:7: gatehouse.x: '" + value + "' is not on, off, true or false");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"45s,PT45S", "30m,PT30M", "1h,PT1H", "7d,PT168H", "500ms,PT0.5S", "PT30M,PT30M", "pt1h,PT1H", "2 h,PT2H"})
  void durations(String value, String iso) {
    ConfigException.Collector p = new ConfigException.Collector();
    assertThat(Values.duration(entry(value), p, Duration.ofMillis(1),
        Duration.ofDays(365))).isEqualTo(Duration.parse(iso));
    assertThat(p.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0s", "-5m", "5", "5w", "m", "PT-1M", "P", "1.5h", "99999999999999d"})
  void badDurations(String value) {
    ConfigException.Collector p = new ConfigException.Collector();
    assertThat(Values.duration(entry(value), p, Duration.ofMillis(1), Duration.ofDays(365))).isNull();
    assertThat(p.list()).extracting(Object::toString).containsExactly("f:7: gatehouse.x: '" + value
        + "' is not a duration such as 45s, 30m, 1h, 7d or PT30M; from 1ms to 365d");
  }

  @ParameterizedTest(name = "{0} outside 1m..30d")
  @CsvSource({"59s", "31d", "99999999d", "PT720H1S"})
  void durationsOutsideTheirRangeAreRefusedNamingTheRange(String value) {
    ConfigException.Collector p = new ConfigException.Collector();
    assertThat(Values.duration(entry(value), p, Duration.ofMinutes(1), Duration.ofDays(30))).isNull();
    assertThat(p.list()).extracting(Object::toString)
        .containsExactly("f:7: gatehouse.x: '" + value + "' is not a duration from 1m to 30d");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"PT0.1S,100ms", "PT1.5S,1500ms", "PT45S,45s", "PT90S,90s", "PT30M,30m", "PT2H,2h", "P7D,7d"})
  void durationsAreWrittenInTheLargestWholeUnit(String iso, String text) {
    assertThat(Values.text(Duration.parse(iso))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"36501d", "876001h", "999999999999d", "PT2562047788015215H", "P106751991167300D"})
  void durationsLongerThanAHundredYearsAreProblems(String value) {
    ConfigException.Collector p = new ConfigException.Collector();
    Duration max = Duration.ofDays(36_500);
    assertThat(Values.duration(entry(value), p, Duration.ofMillis(1), max)).isNull();
    assertThat(p.list()).extracting(Object::toString).singleElement().asString()
        .startsWith("f:7: gatehouse.x: '" + value + "' is not a duration").endsWith("to 36500d");
    assertThat(Values.duration(entry("36500d"), p, Duration.ofMillis(1), max)).isEqualTo(max);
  }

  @Test
  void integersInRange() {
    ConfigException.Collector p = new ConfigException.Collector();
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
    ConfigException.Collector p = new ConfigException.Collector();
    assertThat(Values.cidrList(entry("10.0.0.0/8, 192.168.0.0/16 ,::1"), p)).hasSize(3);
    assertThat(Values.cidrList(entry("10.0.0.1/8, nonsense, 10.0.0.0/8"), p)).isNull();
    assertThat(p.list()).extracting(Object::toString).containsExactly(
        "f:7: gatehouse.x: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
        "f:7: gatehouse.x: 'nonsense' is not an IP address literal");
  }
}
