package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checked tree: names resolved, literals parsed, each node of the one type its place allows. */
class CheckerTest {

  private static Checker.Result check(String source) throws ExpressionException {
    Lexer lexer = new Lexer(source);
    return Checker.check(Parser.parse(lexer, Limits.DEFAULT), lexer, TestLists.STANDARD, Limits.DEFAULT);
  }

  @Test
  void fieldsAndFunctionsAreResolvedAndLiteralsParsed() throws ExpressionException {
    Checker.Result r = check("lower(ip.geoip.country) eq \"cn\" and cf.threat_score in {80 443..445}");
    Checked.Logical and = (Checked.Logical) r.root();
    assertThat(and.op()).isEqualTo(LogicalOp.AND);
    Checked.StringComparison eq = (Checked.StringComparison) and.parts().get(0);
    assertThat(eq.op()).isEqualTo(ComparisonOp.EQ);
    assertThat(eq.literal()).isEqualTo("cn");
    Checked.Convert lower = (Checked.Convert) eq.left();
    assertThat(lower.upper()).isFalse();
    assertThat(((Checked.Field) lower.argument()).field().name()).isEqualTo("ip.src.country");
    Checked.IntegerIn in = (Checked.IntegerIn) and.parts().get(1);
    assertThat(List.of(80L, 443L, 445L, 446L)).extracting(in.ranges()::contains).containsExactly(true, true, true,
        false);
    assertThat(r.fields()).containsExactly("cf.threat_score", "ip.src.country");
  }

  @Test
  void eachQuantifierHasASlotAndKnowsHowManyItsEvaluationNeeds() throws ExpressionException {
    Checker.Result r = check("any(http.request.headers[\"a\"][*] eq \"1\") or all(http.request.headers[\"b\"][*] eq \"2\""
        + " and any(http.request.headers[\"c\"][*] eq \"3\"))");
    Checked.Logical or = (Checked.Logical) r.root();
    Checked.Quantifier first = (Checked.Quantifier) or.parts().get(0);
    Checked.Quantifier second = (Checked.Quantifier) or.parts().get(1);
    Checked.Quantifier nested = (Checked.Quantifier) ((Checked.Logical) second.predicate()).parts().get(1);
    assertThat(List.of(first.slot(), second.slot(), nested.slot())).containsExactly(0, 1, 2);
    assertThat(List.of(first.slots(), second.slots(), nested.slots())).containsExactly(1, 3, 3);
    assertThat(second.all()).isTrue();
    assertThat(((Checked.Header) nested.array()).name()).isEqualTo("c");
    Checked.StringComparison each = (Checked.StringComparison) nested.predicate();
    assertThat(((Checked.Each) each.left()).slot()).isEqualTo(2);
  }

  @Test
  void listsAreLookedUpWhenChecked() throws ExpressionException {
    Checked.StringIn in = (Checked.StringIn) check("http.host in $bad_hosts").root();
    assertThat(in.values()).containsExactlyInAnyOrder("evil.example", "bad.example");
    assertThatThrownBy(() -> check("http.host in $office_ranges")).isInstanceOf(ExpressionException.class)
        .hasMessage("col 14: $office_ranges is a list of IP addresses; http.host (a String) needs a list of strings");
  }
}
