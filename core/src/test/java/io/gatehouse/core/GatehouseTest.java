package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.EventLog;
import io.gatehouse.core.events.SecurityEvent;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.LogfmtParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatehouseTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:15:30.123456Z"), ZoneOffset.UTC);

  static Gatehouse engine(String properties) throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.text("test.properties", properties)).clock(CLOCK)
        .environment(Map.of()).build();
  }

  static RequestFacts from(String ip) {
    return RequestFacts.builder().peer(ip).method("GET").host("shop.example").path("/cart").query("id=7")
        .header("User-Agent", "Mozilla/5.0 test").build();
  }

  @Test
  void blockedAddressIsRefusedWithRayIdAndEvent() throws Exception {
    Gatehouse g = engine("""
        gatehouse.access-rule.bad=block ip 203.0.113.0/24 "abuse reports"
        """);
    Decision d = g.decide(from("203.0.113.9"));
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.refuses()).isTrue();
    assertThat(d.errorCode()).isEqualTo(1012);
    assertThat(d.source()).isEqualTo(Source.ACCESS_RULES);
    assertThat(d.ruleId()).isEqualTo("bad");
    assertThat(d.description()).isEqualTo("abuse reports");
    assertThat(d.rayId()).matches("[0-9a-f]{16}");
    assertThat(d.time()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123Z"));
    assertThat(d.client().address()).hasToString("203.0.113.9");

    SecurityEvent e = g.events().findByRay(d.rayId()).orElseThrow();
    assertThat(e.action().id()).isEqualTo("block");
    assertThat(e.source().id()).isEqualTo("access_rules");
    assertThat(e.ruleId()).isEqualTo("bad");
    assertThat(e.clientIp()).isEqualTo("203.0.113.9");
    assertThat(e.peerIp()).isEqualTo("203.0.113.9");
    assertThat(e.path()).isEqualTo("/cart");
    assertThat(e.query()).isEqualTo("id=7");
    assertThat(e.userAgent()).isEqualTo("Mozilla/5.0 test");
    assertThat(e.enforced()).isTrue();

    List<CapturedLogs.Entry> lines = CapturedLogs.eventLines(d.rayId());
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).keyValues()).containsEntry("action", "block").containsEntry("rule_id", "bad")
        .containsEntry("client_ip", "203.0.113.9").containsEntry("error_code", 1012);
    // A console pattern that cuts the line still shows what happened, to whom, and why.
    assertThat(lines.get(0).message()).startsWith("action=block error_code=1012 ray_id=" + d.rayId()
        + " client_ip=203.0.113.9 rule_id=bad source=access_rules ");
  }

  @Test
  void eventLineCannotBeForgedByRequestText() throws Exception {
    Gatehouse g = engine("""
        gatehouse.access-rule.bad=block ip 203.0.113.0/24 "abuse reports"
        """);
    String hostile = "x\" action=allow client_ip=6.6.6.6 enforced=false";
    Decision d = g.decide(RequestFacts.builder().peer("203.0.113.9").method("GET").host("shop.example")
        .path("/cart").query("id=7&next=a b").header("User-Agent", hostile + "\n\u2028fake line").build());

    List<CapturedLogs.Entry> lines = CapturedLogs.eventLines(d.rayId());
    assertThat(lines).hasSize(1);
    // What a text backend writes for this record: the formatted message, on one line.
    String line = lines.get(0).message();
    assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085");

    List<Map.Entry<String, String>> pairs = LogfmtParser.parse(line);
    assertThat(LogfmtParser.values(pairs, "action")).containsExactly("block");
    assertThat(LogfmtParser.values(pairs, "client_ip")).containsExactly("203.0.113.9");
    assertThat(LogfmtParser.values(pairs, "enforced")).containsExactly("true");
    assertThat(LogfmtParser.values(pairs, "user_agent")).containsExactly(hostile + "\n\u2028fake line");
    assertThat(LogfmtParser.values(pairs, "ray_id")).containsExactly(d.rayId());
    assertThat(LogfmtParser.values(pairs, "description")).containsExactly("abuse reports");
    assertThat(LogfmtParser.values(pairs, "query")).containsExactly("id=7&next=a b");
    assertThat(LogfmtParser.values(pairs, "error_code")).containsExactly("1012");
    // The message carries every field of the event, each once, in the order of the key-values.
    assertThat(pairs).extracting(Map.Entry::getKey).containsExactlyElementsOf(lines.get(0).keyValues().keySet());
    // Structured backends still get the raw, typed values.
    assertThat(lines.get(0).keyValues()).containsEntry("user_agent", hostile + "\n\u2028fake line")
        .containsEntry("error_code", 1012).containsEntry("enforced", true);
  }

  @Test
  void longFreeTextIsCappedInTheEventAndItsLine() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.bad=block ip 203.0.113.0/24\n");
    String ua = "Mozilla/5.0 " + "x".repeat(7 * 1024);
    Decision d = g.decide(RequestFacts.builder().peer("203.0.113.9").method("GET").host("shop.example")
        .path("/" + "p".repeat(2000)).query("q=" + "v".repeat(2000)).header("User-Agent", ua).build());

    SecurityEvent e = g.events().findByRay(d.rayId()).orElseThrow();
    assertThat(e.userAgent()).hasSize(1024).startsWith("Mozilla/5.0 xxx").endsWith("\u2026[truncated]");
    assertThat(e.path()).hasSize(1024).startsWith("/ppp").endsWith("\u2026[truncated]");
    assertThat(e.query()).hasSize(1024).startsWith("q=vvv").endsWith("\u2026[truncated]");
    assertThat(e.host()).isEqualTo("shop.example");
    List<Map.Entry<String, String>> pairs = LogfmtParser.parse(CapturedLogs.eventLines(d.rayId()).get(0).message());
    assertThat(LogfmtParser.values(pairs, "user_agent")).containsExactly(e.userAgent());
  }

  @Test
  void otherAddressesPassWithoutRayIdOrEvent() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.bad=block ip 203.0.113.0/24\n");
    Decision d = g.decide(from("192.0.2.1"));
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.refuses()).isFalse();
    assertThat(d.source()).isEqualTo(Source.NONE);
    assertThat(d.rayId()).isNull();
    assertThat(g.events().size()).isZero();
  }

  @Test
  void allowRuleEndsEvaluationAndSaysWhich() throws Exception {
    Gatehouse g = engine("""
        gatehouse.access-rule.range=block ip 203.0.113.0/24
        gatehouse.access-rule.partner=allow ip 203.0.113.7 "partner"
        """);
    Decision d = g.decide(from("203.0.113.7"));
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.source()).isEqualTo(Source.ACCESS_RULES);
    assertThat(d.ruleId()).isEqualTo("partner");
  }

  @Test
  void logRuleRecordsAndLetsThrough() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.watch=log ip 198.51.100.0/24 \"watch list\"\n");
    Decision d = g.decide(from("198.51.100.20"));
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.rayId()).isNotNull();
    assertThat(g.events().query(EventLog.Query.all(10))).singleElement()
        .satisfies(e -> {
          assertThat(e.action().id()).isEqualTo("log");
          assertThat(e.rayId()).isEqualTo(d.rayId());
          assertThat(e.description()).isEqualTo("watch list");
        });
  }

  @Test
  void simulateModeDecidesAndRecordsButDoesNotRefuse() throws Exception {
    Gatehouse g = engine("""
        gatehouse.mode=simulate
        gatehouse.access-rule.bad=block ip 203.0.113.0/24
        """);
    Decision d = g.decide(from("203.0.113.9"));
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.enforced()).isFalse();
    assertThat(d.refuses()).isFalse();
    assertThat(g.events().findByRay(d.rayId()).orElseThrow().enforced()).isFalse();
  }

  @Test
  void nodeIdIsAppendedToRayIds() throws Exception {
    Gatehouse g = engine("""
        gatehouse.node-id=fra1
        gatehouse.access-rule.bad=block ip 203.0.113.0/24
        """);
    assertThat(g.decide(from("203.0.113.9")).rayId()).matches("[0-9a-f]{16}-fra1");
  }

  @Test
  void rayIdsDoNotRepeat() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.bad=block ip 203.0.113.0/24\n");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 2000; i++) {
      seen.add(g.decide(from("203.0.113.9")).rayId());
    }
    assertThat(seen).hasSize(2000);
  }

  @Test
  void unparsablePeerIsJudgedWithoutAnAddress() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.all=block ip 0.0.0.0/0\n");
    Decision d = g.decide(from("not-an-address"));
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.client().address()).isNull();
    assertThat(d.client().addressText()).isEqualTo("unknown");
  }

  @Test
  void everyProblemInAConfigurationIsReportedAtOnceWithItsLine() {
    String config = """
        # a file with five mistakes
        gatehouse.mode=enforcing
        gatehouse.access-rule.ok=block ip 192.0.2.0/24
        gatehouse.access-rule.host-bits=block ip 10.0.0.1/8
        gatehouse.on-eror=block
        gatehouse.events.capacity=lots
        gatehouse.access-rule.ok=allow ip 192.0.2.1
        gatehouse.node-id=${NODE}
        """;
    assertThatThrownBy(() -> engine(config))
        .isInstanceOf(ConfigException.class)
        .satisfies(t -> assertThat(((ConfigException) t).problems()).extracting(Object::toString).containsExactly(
            "test.properties:2: gatehouse.mode: 'enforcing' is not one of enforce, simulate",
            "test.properties:4: gatehouse.access-rule.host-bits: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
            "test.properties:5: gatehouse.on-eror: unknown key; did you mean gatehouse.on-error?",
            "test.properties:6: gatehouse.events.capacity: 'lots' is not a whole number from 1 to 10000000",
            "test.properties:7: gatehouse.access-rule.ok: set twice; it is already set at line 3",
            "test.properties:8: gatehouse.node-id: environment variable NODE is not set (write ${NODE:default} to give a default)"))
        .hasMessageStartingWith("6 configuration problems:\ntest.properties:2: gatehouse.mode:");
  }

  @Test
  void environmentVariablesAreInterpolated() throws Exception {
    Gatehouse g = Gatehouse.builder()
        .config(ConfigSource.text("t", "gatehouse.node-id=${NODE}\ngatehouse.page.contact=${CONTACT:ops@example.com}\n"))
        .environment(Map.of("NODE", "ams2")).clock(CLOCK).build();
    assertThat(g.status().nodeId()).isEqualTo("ams2");
    assertThat(g.pages().contact()).isEqualTo("ops@example.com");
  }

  @Test
  void reloadSwapsInAGoodConfigurationAndKeepsTheRunningOneOnProblems(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gatehouse.properties");
    Files.writeString(file, "gatehouse.access-rule.a=block ip 203.0.113.0/24\n");
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(file)).clock(CLOCK).build();
    assertThat(g.decide(from("203.0.113.9")).action()).isEqualTo(Action.BLOCK);

    Files.writeString(file, "gatehouse.access-rule.a=block ip 198.51.100.0/24\n");
    ReloadResult ok = g.reload();
    assertThat(ok.applied()).isTrue();
    assertThat(g.decide(from("203.0.113.9")).action()).isEqualTo(Action.ALLOW);
    assertThat(g.decide(from("198.51.100.9")).action()).isEqualTo(Action.BLOCK);

    Files.writeString(file, "gatehouse.access-rule.a=block ip 192.0.2.0/24\ngatehouse.access-rule.b=block ip nonsense\n");
    ReloadResult bad = g.reload();
    assertThat(bad.applied()).isFalse();
    assertThat(bad.problems()).extracting(Object::toString)
        .containsExactly(file + ":2: gatehouse.access-rule.b: 'nonsense' is not an IP address literal");
    assertThat(g.decide(from("198.51.100.9")).action()).as("the running rules stay").isEqualTo(Action.BLOCK);
    assertThat(g.decide(from("192.0.2.9")).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void pageTemplatesAreValidatedWhenLoaded(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("good.html"), "<h1>{{error_code}} {{ ray_id }}</h1>");
    Files.writeString(dir.resolve("bad.html"), "<h1>{{error_code}} {{secret}}</h1>");
    Path file = dir.resolve("g.properties");
    Files.writeString(file, """
        gatehouse.page.template.1012=good.html
        gatehouse.page.template.1009=bad.html
        gatehouse.page.template.1020=missing.html
        gatehouse.page.template.404=good.html
        """);
    assertThatThrownBy(() -> Gatehouse.fromProperties(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(t -> assertThat(((ConfigException) t).problems()).extracting(Object::toString).containsExactly(
            file + ":2: gatehouse.page.template.1009: template " + dir.resolve("bad.html")
                + " uses unknown placeholders [secret]; known: [client_ip, contact, error_code, error_name, host,"
                + " path, ray_id, site_name, timestamp, title, what_can_i_do, what_happened]",
            file + ":3: gatehouse.page.template.1020: cannot read template: no such file: "
                + dir.resolve("missing.html"),
            file + ":4: gatehouse.page.template.404: '404' is not an error code Gatehouse renders: 1009, 1012, 1015"
                + " or 1020"));
    Files.writeString(file, "gatehouse.page.template.1012=good.html\n");
    assertThat(Gatehouse.fromProperties(file).pages().templates()).containsKey(1012);
  }

  @Test
  void missingFileIsOneClearProblem(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> Gatehouse.fromProperties(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("1 configuration problem:\n" + missing + ": no such file");
  }

  @Test
  void hostileRequestsNeverThrow() throws Exception {
    Gatehouse g = engine("gatehouse.access-rule.a=block ip 203.0.113.0/24\n");
    String[] peers = {"", "[", "[::1", "::::", "1.2.3.4:99999", "\u0000", "a".repeat(100_000), "203.0.113.9%x"};
    for (String peer : peers) {
      RequestFacts f = RequestFacts.builder().peer(peer).method("\r\n").host("\u0000<x>").path("%%%")
          .header("User-Agent", "\u0007").header("Cookie", ";;==;").build();
      Decision d = g.decide(f);
      assertThat(d.source()).isNotEqualTo(Source.INTERNAL_ERROR);
    }
    assertThat(g.internalFailures()).isZero();
  }
}
