package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testing.LogfmtParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogfmtTest {

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("plain", "Mozilla/5.0", "Mozilla/5.0"),
        Arguments.of("number", "1012", "1012"),
        Arguments.of("spaces", "abuse reports", "\"abuse reports\""),
        Arguments.of("quotes", "say \"hi\"", "\"say \\\"hi\\\"\""),
        Arguments.of("lone quote", "x\"", "\"x\\\"\""),
        Arguments.of("equals", "id=7", "\"id=7\""),
        Arguments.of("backslash", "C:\\temp", "\"C:\\\\temp\""),
        Arguments.of("newline", "a\nb", "\"a\\nb\""),
        Arguments.of("carriage return and tab", "a\r\tb", "\"a\\r\\tb\""),
        Arguments.of("other control", "a\u0000b\u001bc\u007f", "\"a\\u0000b\\u001bc\\u007f\""),
        Arguments.of("next line U+0085", "a\u0085b", "\"a\\u0085b\""),
        Arguments.of("line separator U+2028", "a\u2028b", "\"a\\u2028b\""),
        Arguments.of("paragraph separator U+2029", "a\u2029b", "\"a\\u2029b\""),
        Arguments.of("empty", "", "\"\""),
        Arguments.of("non-ASCII", "Zürich 東京", "\"Zürich 東京\""),
        Arguments.of("non-ASCII without spaces", "Zürich", "Zürich"),
        Arguments.of("surrogate pair kept", "a\uD83D\uDE00b", "a\uD83D\uDE00b"),
        Arguments.of("lone surrogate escaped", "a\uD83Db", "\"a\\ud83db\""),
        Arguments.of("forged pair", "x\" action=allow", "\"x\\\" action=allow\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void valueIsWrittenBareOnlyWhenUnambiguousAndReadsBackWhole(String name, String value, String written) {
    assertThat(Logfmt.value(value)).isEqualTo(written);
    assertThat(LogfmtParser.parse("k=" + written)).containsExactly(Map.entry("k", value));
  }

  @Test
  void lineJoinsPairsInOrderAndAHostileValueStaysOneValue() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("action", "block");
    fields.put("error_code", 1012);
    fields.put("user_agent", "x\" action=allow client_ip=6.6.6.6 enforced=false");
    fields.put("enforced", true);
    fields.put("rule_id", null);

    String line = Logfmt.line(fields);

    assertThat(line).isEqualTo("action=block error_code=1012"
        + " user_agent=\"x\\\" action=allow client_ip=6.6.6.6 enforced=false\""
        + " enforced=true rule_id=\"\"");
    List<Map.Entry<String, String>> pairs = LogfmtParser.parse(line);
    assertThat(pairs).extracting(Map.Entry::getKey)
        .containsExactly("action", "error_code", "user_agent", "enforced", "rule_id");
  }

  @Test
  void keysThatCouldChangeTheLinesShapeAreRefused() {
    for (String key : new String[] {"", "a b", "a=b", "a\"", "A", "a\n"}) {
      assertThatThrownBy(() -> Logfmt.line(Map.of(key, "v"))).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
