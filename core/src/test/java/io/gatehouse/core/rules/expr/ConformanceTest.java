package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance tables under {@code src/test/resources/expr/}: {@code valid.txt} (expression, request,
 * result) and {@code invalid.txt} (expression, column, exact message).
 */
class ConformanceTest {

  record Valid(int line, String expression, String request, boolean expected) {
    @Override
    public String toString() {
      return "valid.txt:" + line + ": " + expression.strip() + " on {" + request + "} is " + expected;
    }
  }

  record Invalid(int line, String expression, int column, String message) {
    @Override
    public String toString() {
      return "invalid.txt:" + line + ": " + expression.strip() + " fails at col " + column;
    }
  }

  static List<Valid> validCases() throws IOException {
    List<Valid> cases = new ArrayList<>();
    List<String> lines = lines("valid.txt");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" ;; ", -1);
      if (parts.length != 3 || !parts[2].matches("true|false")) {
        throw new IllegalStateException("valid.txt:" + (i + 1) + " is not EXPRESSION ;; REQUEST ;; true|false");
      }
      cases.add(new Valid(i + 1, parts[0], parts[1], Boolean.parseBoolean(parts[2])));
    }
    return cases;
  }

  static List<Invalid> invalidCases() throws IOException {
    List<Invalid> cases = new ArrayList<>();
    List<String> lines = lines("invalid.txt");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" ;; ", 3);
      if (parts.length != 3) {
        throw new IllegalStateException("invalid.txt:" + (i + 1) + " is not EXPRESSION ;; COLUMN ;; MESSAGE");
      }
      cases.add(new Invalid(i + 1, parts[0], Integer.parseInt(parts[1]), parts[2]));
    }
    return cases;
  }

  private static List<String> lines(String name) throws IOException {
    try (InputStream in = ConformanceTest.class.getResourceAsStream("/expr/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validCases")
  void validExpressionsEvaluateAsCloudflareDoes(Valid c) throws ExpressionException {
    Expression e = Expression.compile(c.expression, TestLists.STANDARD);
    assertThat(e.matches(TestRequest.parse(c.request))).as(c.toString()).isEqualTo(c.expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void invalidExpressionsReportTheProblemAtItsColumn(Invalid c) {
    assertThatThrownBy(() -> Expression.compile(c.expression, TestLists.STANDARD))
        .isInstanceOfSatisfying(ExpressionException.class, ex -> {
          assertThat(ex.problem()).as(c.toString()).isEqualTo(c.message);
          assertThat(ex.column()).as(c.toString() + ": " + ex.problem()).isEqualTo(c.column);
          assertThat(ex.getMessage()).isEqualTo("col " + c.column + ": " + c.message);
        });
  }

  @Test
  void theTablesHoldAtLeast150Cases() throws IOException {
    assertThat(validCases().size() + invalidCases().size()).isGreaterThanOrEqualTo(150);
    assertThat(validCases()).hasSizeGreaterThanOrEqualTo(150);
    assertThat(invalidCases()).hasSizeGreaterThanOrEqualTo(100);
  }
}
