package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListsTest {

  @Test
  void eachKindOfListMatchesItsKindOfField() throws ExpressionException {
    TestLists lists = new TestLists()
        .ips("office", "192.0.2.0/24", "2001:db8::/32")
        .asns("hosting", 64496L, 4_200_000_000L)
        .strings("hosts", "a.example", "b.example");
    Expression e = Expression.compile(
        "ip.src in $office or ip.src.asnum in $hosting or http.host in $hosts", lists);
    assertThat(e.matches(TestRequest.of().set("ip", "2001:db8::9"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("asn", "4200000000"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("host", "b.example"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("ip", "198.51.100.1").set("asn", "1"))).isFalse();
  }

  @Test
  void listNamesMayHoldDigitsHyphensAndUnderscores() throws ExpressionException {
    TestLists lists = new TestLists().strings("Bad-Hosts_2", "x");
    assertThat(Expression.compile("http.host in $Bad-Hosts_2", lists).matches(TestRequest.of().set("host", "x")))
        .isTrue();
  }

  @Test
  void anExpressionKeepsTheListsItWasCompiledWith() throws ExpressionException {
    TestLists lists = new TestLists().strings("hosts", "old.example");
    Expression e = Expression.compile("http.host in $hosts", lists);
    lists.strings("hosts", "new.example");
    assertThat(e.matches(TestRequest.of().set("host", "old.example"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("host", "new.example"))).isFalse();
  }

  @Test
  void aListThatReturnsNullContentsMatchesNothing() throws ExpressionException {
    Expression.Lists hollow = new Expression.Lists() {
      @Override
      public Kind kind(String name) {
        return Kind.valueOf(name.toUpperCase());
      }

      @Override
      public IntervalIndex<Boolean> ips(String name) {
        return null;
      }

      @Override
      public Set<Long> asns(String name) {
        return null;
      }

      @Override
      public Set<String> strings(String name) {
        return null;
      }
    };
    Expression e = Expression.compile("ip.src in $ip or ip.src.asnum in $asn or http.host in $string", hollow);
    assertThat(e.matches(TestRequest.of().set("ip", "192.0.2.1"))).isFalse();
  }

  @Test
  void noListsMeansEveryListIsUnknown() {
    assertThatThrownBy(() -> Expression.compile("ip.src in $office", Expression.Lists.NONE))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("col 11: unknown list $office; lists are defined as gatehouse.list.office");
    assertThat(Expression.Lists.NONE.ips("x").isEmpty()).isTrue();
    assertThat(Expression.Lists.NONE.asns("x")).isEmpty();
    assertThat(Expression.Lists.NONE.strings("x")).isEmpty();
  }

  @Test
  void listsInMemoryAreCopiedAndTellTheirKinds() throws ExpressionException {
    Set<String> hosts = new HashSet<>(Set.of("a.example"));
    Expression.Lists lists = Expression.Lists.of(Map.of("office", IntervalIndex.<Boolean>builder()
        .add(Cidr.parse("192.0.2.0/24"), Boolean.TRUE).build()), Map.of("hosting", Set.of(64496L)),
        Map.of("hosts", hosts));
    hosts.add("b.example");
    assertThat(lists.kind("office")).isEqualTo(Expression.Lists.Kind.IP);
    assertThat(lists.kind("hosting")).isEqualTo(Expression.Lists.Kind.ASN);
    assertThat(lists.kind("hosts")).isEqualTo(Expression.Lists.Kind.STRING);
    assertThat(lists.kind("nope")).isNull();
    assertThat(lists.strings("nope")).isEmpty();
    Expression e = Expression.compile("ip.src in $office or ip.src.asnum in $hosting or http.host in $hosts", lists);
    assertThat(e.matches(TestRequest.of().set("ip", "192.0.2.9"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("asn", "64496"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("host", "a.example"))).isTrue();
    assertThat(e.matches(TestRequest.of().set("host", "b.example"))).isFalse();
    assertThatThrownBy(() -> Expression.Lists.of(Map.of(), Map.of("x", Set.of()), Map.of("x", Set.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("two lists are named x");
  }
}
