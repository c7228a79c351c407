package io.gatehouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolatorTest {

  private static final Map<String, String> ENV = Map.of("TOKEN", "s3cret", "EMPTY", "", "a.b", "dotted");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "plain | plain",
      "${TOKEN} | s3cret",
      "Bearer ${TOKEN}! | Bearer s3cret!",
      "${MISSING:fallback} | fallback",
      "${MISSING:} | ''",
      "${TOKEN:ignored} | s3cret",
      "${EMPTY:default} | ''",
      "${a.b} | dotted",
      "$${TOKEN} | ${TOKEN}",
      "cost $5 | cost $5",
      "${MISSING:a:b} | a:b",
  })
  void replacesVariables(String value, String expected) {
    ConfigException.Collector problems = new ConfigException.Collector();
    List<ConfigSource.Entry> out = Interpolator.apply(List.of(new ConfigSource.Entry("f", 1, "k", value)), ENV, problems);
    assertThat(problems.list()).isEmpty();
    assertThat(out.get(0).value()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "${MISSING} | f:1: k: environment variable MISSING is not set (write ${MISSING:default} to give a default)",
      "x${TOKEN | f:1: k: unterminated ${ at column 2 (write $${ for a literal ${)",
      "${} | f:1: k: '${}' does not name an environment variable",
      "${9X} | f:1: k: '${9X}' does not name an environment variable",
  })
  void reportsWhatCannotBeInterpolated(String value, String problem) {
    ConfigException.Collector problems = new ConfigException.Collector();
    Interpolator.apply(List.of(new ConfigSource.Entry("f", 1, "k", value)), ENV, problems);
    assertThat(problems.list()).extracting(Object::toString).containsExactly(problem);
  }
}
