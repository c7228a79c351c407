package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SetsTest {

  private static Expression compile(String source) throws ExpressionException {
    return Expression.compile(source, Expression.Lists.NONE);
  }

  private static boolean ip(Expression e, String address) {
    return e.matches(TestRequest.of().set("ip", address));
  }

  @Test
  void overlappingIpv4NetworksCoverTheirUnion() throws ExpressionException {
    Expression e = compile("ip.src in {10.0.0.0/8 10.1.0.0/16 10.1.2.0/24 10.1.2.3 192.0.2.0/25 192.0.2.64/26}");
    assertThat(ip(e, "10.0.0.0")).isTrue();
    assertThat(ip(e, "10.255.255.255")).isTrue();
    assertThat(ip(e, "10.1.2.3")).isTrue();
    assertThat(ip(e, "11.0.0.0")).isFalse();
    assertThat(ip(e, "9.255.255.255")).isFalse();
    assertThat(ip(e, "192.0.2.127")).isTrue();
    assertThat(ip(e, "192.0.2.128")).isFalse();
  }

  @Test
  void ipv6NetworksAndMixedFamilies() throws ExpressionException {
    Expression e = compile("ip.src in {2001:db8::/32 2001:db8:8000::/33 2001:db8:1::5 ::1 192.0.2.0/24}");
    assertThat(ip(e, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(ip(e, "2001:db9::")).isFalse();
    assertThat(ip(e, "::1")).isTrue();
    assertThat(ip(e, "::2")).isFalse();
    assertThat(ip(e, "192.0.2.1")).isTrue();
    assertThat(ip(e, "::ffff:192.0.2.1")).isTrue();
    assertThat(ip(e, "::192.0.2.1")).isFalse();
  }

  @Test
  void ipRangesAreInclusive() throws ExpressionException {
    Expression e = compile("ip.src in {192.0.2.250..192.0.3.5 2001:db8::1..2001:db8::ff}");
    assertThat(ip(e, "192.0.2.250")).isTrue();
    assertThat(ip(e, "192.0.3.5")).isTrue();
    assertThat(ip(e, "192.0.3.0")).isTrue();
    assertThat(ip(e, "192.0.3.6")).isFalse();
    assertThat(ip(e, "2001:db8::ff")).isTrue();
    assertThat(ip(e, "2001:db8::100")).isFalse();
  }

  @Test
  void integerRangesMergeAndStayInclusive() throws ExpressionException {
    Expression e = compile("cf.threat_score in {1..3 2..5 7 9..9 40..60 50..55}");
    boolean[] expected = new boolean[101];
    for (int v : new int[] {1, 2, 3, 4, 5, 7, 9}) {
      expected[v] = true;
    }
    for (int v = 40; v <= 60; v++) {
      expected[v] = true;
    }
    for (int v = 0; v <= 100; v++) {
      assertThat(e.matches(TestRequest.of().set("score", Integer.toString(v)))).as("score %d", v).isEqualTo(expected[v]);
    }
  }

  @Test
  void integerRangesReachTheEndsOfTheLongRange() {
    IntRanges r = IntRanges.of(new long[] {Long.MAX_VALUE - 1, Long.MAX_VALUE, -9_223_372_036_854_775_807L, 0}, 2);
    assertThat(r.contains(Long.MAX_VALUE)).isTrue();
    assertThat(r.contains(Long.MAX_VALUE - 2)).isFalse();
    assertThat(r.contains(-5)).isTrue();
    assertThat(r.contains(1)).isFalse();
    assertThat(IntRanges.of(new long[] {5, 5, 6, 6}, 2).contains(6)).isTrue();
  }

  @Test
  void stringSetsAreExactAndCaseSensitive() throws ExpressionException {
    Expression e = compile("http.request.method in {\"GET\" \"HEAD\" \"\" r\"P\\T\"}");
    assertThat(e.matches(TestRequest.of().set("method", "HEAD"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("method", "Head"))).isFalse();
    assertThat(e.matches(TestRequest.of().set("method", ""))).isTrue();
    assertThat(e.matches(TestRequest.of().set("method", "P\\T"))).isTrue();
  }

  @Test
  void setsMaySpanSeveralLines() throws ExpressionException {
    Expression e = compile("ip.src in {\n  192.0.2.0/24\n  198.51.100.0/24\n}\nand http.request.method in {\n\"GET\"\n}");
    assertThat(e.matches(TestRequest.of().set("ip", "198.51.100.9"))).isTrue();
  }
}
