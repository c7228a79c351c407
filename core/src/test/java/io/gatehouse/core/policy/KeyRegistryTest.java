package io.gatehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyRegistryTest {

  private final List<String> handled = new ArrayList<>();
  private final KeyRegistry<List<String>> registry = new KeyRegistry<List<String>>()
      .register("gatehouse.mode", (e, n, d, p) -> d.add("mode"))
      .register("gatehouse.security-level", (e, n, d, p) -> d.add("level"))
      .register("gatehouse.rule.ID.expression", (e, n, d, p) -> d.add("expr " + n))
      .register("gatehouse.rule.ID.action", (e, n, d, p) -> d.add("action " + n));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "gatehouse.mode | mode",
      "gatehouse.rule.block-scanners.expression | expr [block-scanners]",
      "gatehouse.rule.r_1.action | action [r_1]",
  })
  void dispatchesToTheMatchingPattern(String key, String expected) {
    ConfigException.Collector p = new ConfigException.Collector();
    registry.dispatch(new ConfigSource.Entry("f", 1, key, "v"), handled, p);
    assertThat(p.isEmpty()).isTrue();
    assertThat(handled).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "gatehouse.mdoe | unknown key; did you mean gatehouse.mode?",
      "gatehouse.securitylevel | unknown key; did you mean gatehouse.security-level?",
      "gatehouse.security_level | unknown key; did you mean gatehouse.security-level?",
      "gatehouse.rule.x.expresion | unknown key; did you mean gatehouse.rule.x.expression?",
      "gatehouse.rule.x.acton | unknown key; did you mean gatehouse.rule.x.action?",
      "gatehouse.rule.a.b.action | unknown key; did you mean gatehouse.rule.a.action?",
      "gatehouse.rule.bad!id.action | unknown key; 'bad!id' is not a valid name (1 to 64 letters, digits, '-' and '_')",
      "gatehouse.completely.different | unknown key",
      "mode | unknown key",
  })
  void unknownKeysAreProblemsWithASuggestionWhenClose(String key, String message) {
    ConfigException.Collector p = new ConfigException.Collector();
    registry.dispatch(new ConfigSource.Entry("f", 4, key, "v"), handled, p);
    assertThat(handled).isEmpty();
    assertThat(p.list()).extracting(Object::toString).containsExactly("f:4: " + key + ": " + message);
  }
}
