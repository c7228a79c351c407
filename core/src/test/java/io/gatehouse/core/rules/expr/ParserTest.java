package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.rules.expr.Syntax.Comparison;
import io.gatehouse.core.rules.expr.Syntax.Logical;
import io.gatehouse.core.rules.expr.Syntax.Malformed;
import io.gatehouse.core.rules.expr.Syntax.Unfinished;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The syntax tree the parser reads, before any type or name is checked. */
class ParserTest {

  private static Syntax parse(String source) {
    return Parser.parse(new Lexer(source), Limits.DEFAULT);
  }

  /** The tree in prefix form; a problem is shown as {@code !col}, where its error would point. */
  private static String render(Syntax s) {
    if (s instanceof Logical l) {
      return "(" + l.op().word + " " + l.parts().stream().map(ParserTest::render).collect(Collectors.joining(" "))
          + ")";
    }
    if (s instanceof Syntax.Not n) {
      return "(not " + render(n.operand()) + ")";
    }
    if (s instanceof Comparison c) {
      return "(" + (c.op() == null ? "?" : c.spelling()) + " " + render(c.left()) + " " + render(c.right()) + ")";
    }
    if (s instanceof Syntax.Field f) {
      return f.name();
    }
    if (s instanceof Syntax.Call c) {
      return c.name() + "(" + c.arguments().stream().map(ParserTest::render).collect(Collectors.joining(", ")) + ")";
    }
    if (s instanceof Syntax.Quantifier q) {
      return q.name() + "(" + render(q.condition()) + ")";
    }
    if (s instanceof Syntax.Index i) {
      return render(i.target()) + "[" + render(i.key()) + "]";
    }
    if (s instanceof Syntax.Star) {
      return "*";
    }
    if (s instanceof Syntax.Quoted q) {
      return "'" + q.value() + "'";
    }
    if (s instanceof Syntax.Bare b) {
      return b.text();
    }
    if (s instanceof Syntax.SetOf set) {
      return "{" + set.elements().stream().map(ParserTest::render).collect(Collectors.joining(" "))
          + (set.unclosed() == null ? "}" : " " + render(set.unclosed()));
    }
    if (s instanceof Syntax.ListRef l) {
      return "$" + l.name();
    }
    if (s instanceof Syntax.Comma) {
      return ",";
    }
    if (s instanceof Syntax.Stray stray) {
      return "?" + (stray.start() + 1);
    }
    if (s instanceof Malformed m) {
      return "!" + (m.at() + 1);
    }
    Unfinished u = (Unfinished) s;
    return render(u.node()) + " " + render(u.next());
  }

  @ParameterizedTest(name = "{0}  reads as  {1}")
  @CsvSource(delimiterString = "=>", value = {
      // precedence comes from the table, and a run of one operator is one node
      "a or b and c => (or a (and b c))",
      "a and b or c => (or (and a b) c)",
      "a xor b and c or d => (or (xor a (and b c)) d)",
      "not a and b => (and (not a) b)",
      "a || b && !c ^^ d => (or a (xor (and b (not c)) d))",
      "(a or b) and c => (and (or a b) c)",
      "a or b or c or d => (or a b c d)",
      "a and b or c and d xor e or f => (or (and a b) (xor (and c d) e) f)",
      "a xor b or c xor d xor e => (or (xor a b) (xor c d e))",
      "(a or b) or c => (or (or a b) c)",
      "x eq 1 and y ~ \"z\" => (and (eq x 1) (~ y 'z'))",
      "h[\"a\"][*] strict  wildcard r\"*\" => (strict wildcard h['a'][*] '*')",
      "any(lower(h[\"a\"][*])[*] in {\"x\" \"y\"}) => any((in lower(h['a'][*])[*] {'x' 'y'}))",
      "f(g, \"a\") in $list => (in f(g, 'a') $list)",
      // what stands after an operator is read whatever the left side: the checker judges it
      "ip.src eq \"10.0.0.1\" => (eq ip.src '10.0.0.1')",
      "http.host eq 10.0.0.0/8 => (eq http.host 10.0.0.0/8)",
      "nope eq {1 \"a\"} => (eq nope {1 'a'})",
      "x eq ) => (eq x ?6)",
      "x in {1, 2} => (in x {1 ,})",
      "x in {1 2 => (in x {1 2 !10)",
      "x in {80% } => (in x {80 !9})",
      // where the text breaks, the tree holds what was read whole, then the problem, and nothing after it
      "(x eq 1 => (eq x 1) !8",
      "x eq 1 y eq 2 => (eq x 1) !8",
      "x eq \"abc and y => (eq x !6)",
      "x = 1 and y => (? x !3)",
      "f(a b) => f(a !5)",
      "f(a, ) => f(a, ?6)",
      "h[x] eq 1 => h[!3]",
      "h[0 eq 1 => h[0 !5]",
      "not => (not !4)",
  })
  void theParserReadsWhatIsWrittenUntilTheTextStopsMakingSense(String source, String tree) {
    assertThat(render(parse(source))).isEqualTo(tree);
  }

  @Test
  void everyNodeKnowsItsColumn() {
    Logical or = (Logical) parse("  a eq 1 or\n not b");
    assertThat(or.start()).isEqualTo(2);
    Comparison first = (Comparison) or.parts().get(0);
    assertThat(first.opStart()).isEqualTo(4);
    assertThat(first.right().start()).isEqualTo(7);
    Syntax.Not not = (Syntax.Not) or.parts().get(1);
    assertThat(not.start()).isEqualTo(13);
    assertThat(not.operand().start()).isEqualTo(17);
    assertThat(((Syntax.Operand) not.operand()).end()).isEqualTo(18);
  }

  @Test
  void theParserBoundsTheSourceAndTheNestingItReads() {
    Malformed tooLong = (Malformed) Parser.parse(new Lexer("x".repeat(4097)), Limits.DEFAULT);
    assertThat(tooLong.at()).isEqualTo(4096);
    assertThat(render(Parser.parse(new Lexer("(((x)))"), new Limits(4096, 2, 1024, 5000, 10_000, 4096))))
        .isEqualTo("!3");
    assertThat(render(Parser.parse(new Lexer("not f(g(x))"), new Limits(4096, 2, 1024, 5000, 10_000, 4096))))
        .isEqualTo("(not f(g(!7)))");
  }

  @Test
  void aMistakeBeforeABrokenSyntaxIsTheOneReported() {
    // The parser stops at the unclosed '(' at the end; the checker meets the unknown field first.
    assertThat(problem("nope eq 1 and (cf.client.bot")).isEqualTo("col 1: unknown field 'nope'");
    assertThat(problem("cf.threat_score eq \"a\\q\"")).startsWith("col 20: expected an Integer after 'eq'");
    assertThat(problem("http.host eq \"a\\q\"")).startsWith("col 16: unknown escape '\\q'");
  }

  private static String problem(String source) {
    try {
      Expression.compile(source, Expression.Lists.NONE);
      return "compiled";
    } catch (ExpressionException e) {
      return e.getMessage();
    }
  }

  @Property(tries = 3000)
  void anyTextParsesToATreeAndCompilesOrFailsWithAColumnInsideIt(@ForAll String source) {
    Syntax tree = parse(source);
    assertThat(tree).isNotNull();
    try {
      Expression.compile(source, TestLists.STANDARD);
    } catch (ExpressionException e) {
      assertThat(e.column()).isBetween(1, source.length() + 1);
    }
  }
}
