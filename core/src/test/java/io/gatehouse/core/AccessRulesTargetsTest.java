package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.events.SecurityEvent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access rules on AS, country and continent, with the MaxMind test databases: AS15169 is 1.0.0.0/24,
 * AS1221 1.128.0.0/11; GB 81.2.69.160/27, SE 89.160.20.112/28, US 216.160.83.56/29, BT 67.43.156.0/24.
 */
class AccessRulesTargetsTest {

  static Path resource(String name) {
    try {
      return Path.of(AccessRulesTargetsTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final String GEO = "gatehouse.geo.asn-database=" + resource("/geo/GeoLite2-ASN-Test.mmdb") + "\n"
      + "gatehouse.geo.country-database=" + resource("/geo/GeoLite2-Country-Test.mmdb") + "\n";

  static Gatehouse engine(String properties) throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.text("t.properties", properties)).environment(Map.of())
        .watchFiles(false).build();
  }

  static Decision decide(Gatehouse g, String ip) {
    return g.decide(io.gatehouse.testing.Requests.browser(ip).path("/").build());
  }

  @Test
  void asnBlockAnswers1012() throws Exception {
    Gatehouse g = engine(GEO + "gatehouse.access-rule.telstra=block asn AS1221 \"abuse\"\n");
    Decision d = decide(g, "1.128.3.4");
    assertThat(d.action()).isEqualTo(Action.BLOCK);
    assertThat(d.errorCode()).isEqualTo(1012);
    SecurityEvent e = g.events().findByRay(d.rayId()).orElseThrow();
    assertThat(e.asn()).isEqualTo(1221);
    assertThat(e.asOrganization()).isEqualTo("Telstra Pty Ltd");
    assertThat(decide(g, "1.0.0.1").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void countryAndContinentBlocksAnswer1009() throws Exception {
    Gatehouse g = engine(GEO + """
        gatehouse.access-rule.bt=block country BT
        gatehouse.access-rule.eu=block continent EU "EU traffic not served"
        """);
    Decision bt = decide(g, "67.43.156.9");
    assertThat(bt.errorCode()).isEqualTo(1009);
    assertThat(bt.errorName()).isEqualTo("country_banned");
    Decision se = decide(g, "89.160.20.113");
    assertThat(se.errorCode()).isEqualTo(1009);
    assertThat(se.ruleId()).isEqualTo("eu");
    assertThat(g.events().findByRay(se.rayId()).orElseThrow().country()).isEqualTo("SE");
    assertThat(decide(g, "216.160.83.57").action()).isEqualTo(Action.ALLOW);
    assertThat(decide(g, "8.8.8.8").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void unknownCountryIsXx() throws Exception {
    Gatehouse g = engine(GEO + "gatehouse.access-rule.unknown=challenge country XX\n");
    Decision d = decide(g, "8.8.8.8");
    assertThat(d.action()).isEqualTo(Action.CHALLENGE);
    assertThat(decide(g, "81.2.69.161").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void theMostSpecificTargetWins() throws Exception {
    Gatehouse g = engine(GEO + """
        gatehouse.access-rule.continent=block continent EU
        gatehouse.access-rule.country=allow country GB
        gatehouse.access-rule.range=block ip 81.2.69.160/27
        gatehouse.access-rule.host=log ip 81.2.69.170
        gatehouse.access-rule.asn=allow asn 1221
        gatehouse.access-rule.in-asn=block ip 1.128.0.0/16
        """);
    assertThat(decide(g, "81.2.69.161").ruleId()).isEqualTo("range");
    assertThat(decide(g, "81.2.69.170").action()).as("the host log rule wins over the range block")
        .isEqualTo(Action.ALLOW);
    assertThat(decide(g, "2.125.160.217").ruleId()).as("GB allow beats EU block").isEqualTo("country");
    assertThat(decide(g, "89.160.20.113").ruleId()).isEqualTo("continent");
    assertThat(decide(g, "1.128.0.1").ruleId()).as("a network beats an AS").isEqualTo("in-asn");
    assertThat(decide(g, "1.129.0.1").ruleId()).isEqualTo("asn");
  }

  @Test
  void anAddressAllowEndsEvaluationAndACountryAllowIsRecorded() throws Exception {
    Gatehouse g = engine(GEO + """
        gatehouse.access-rule.gb=allow country GB "partners in GB"
        gatehouse.access-rule.office=allow ip 89.160.20.112/28 "office"
        """);
    Decision office = decide(g, "89.160.20.113");
    assertThat(office.source()).isEqualTo(Source.ACCESS_RULES);
    assertThat(office.ruleId()).isEqualTo("office");
    Decision gb = decide(g, "81.2.69.161");
    assertThat(gb.action()).isEqualTo(Action.ALLOW);
    assertThat(gb.ruleId()).isEqualTo("gb");
  }

  @Test
  void geoRulesWithoutGeoDataAreErrorsAtTheirLines() {
    assertThatThrownBy(() -> engine("""
        gatehouse.access-rule.a=block asn 64496
        gatehouse.access-rule.b=block country DE
        gatehouse.access-rule.c=block continent EU
        gatehouse.access-rule.d=block ip 192.0.2.1
        """)).isInstanceOf(ConfigException.class).hasMessage("""
        3 configuration problems:
        t.properties:1: gatehouse.access-rule.a: asn rules need AS data: set gatehouse.geo.asn-database or gatehouse.geo.ip2asn
        t.properties:2: gatehouse.access-rule.b: country rules need country data: set gatehouse.geo.country-database or gatehouse.geo.ip2asn
        t.properties:3: gatehouse.access-rule.c: continent rules need country data: set gatehouse.geo.country-database or gatehouse.geo.ip2asn""");
  }

  @Test
  void corruptAndMissingDatabasesFailStartup() {
    Path broken = resource("/geo/Broken-Invalid-Node-Count.mmdb");
    assertThatThrownBy(() -> engine("gatehouse.geo.country-database=" + broken + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("1 configuration problem:\nt.properties:1: gatehouse.geo.country-database: cannot read"
            + " MaxMind database " + broken + ": ");
    assertThatThrownBy(() -> engine("gatehouse.geo.asn-database=/nonexistent/GeoLite2-ASN.mmdb\n"))
        .hasMessage("1 configuration problem:\nt.properties:1: gatehouse.geo.asn-database: no such file:"
            + " /nonexistent/GeoLite2-ASN.mmdb");
    assertThatThrownBy(() -> engine("gatehouse.geo.asn-database=" + resource("/geo/GeoLite2-ASN-Test.mmdb")
        + "\ngatehouse.geo.ip2asn=" + resource("/geo/ip2asn-v4.tsv") + "\n"))
        .hasMessageEndingWith("t.properties:2: gatehouse.geo.ip2asn: choose one source of AS data:"
            + " gatehouse.geo.asn-database is set too");
  }

  @Test
  void iptoasnServesBothAsnAndCountryRules() throws Exception {
    Gatehouse g = engine("gatehouse.geo.ip2asn=" + resource("/geo/ip2asn-combined.tsv") + "\n" + """
        gatehouse.access-rule.hosting=block asn 64496
        gatehouse.access-rule.nl=block country NL
        """);
    assertThat(decide(g, "203.0.113.5").ruleId()).isEqualTo("hosting");
    assertThat(decide(g, "2001:db8::5").errorCode()).isEqualTo(1009);
    assertThat(decide(g, "198.51.100.1").action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void theManagedFileAcceptsTheCdnExport(@TempDir Path dir) throws Exception {
    Files.copy(resource("/rules/cdn-export.json"), dir.resolve("rules.json"));
    Path config = dir.resolve("g.properties");
    Files.writeString(config, GEO + "gatehouse.access-rules.file=rules.json\n");
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    assertThat(g.status().accessRules()).isEqualTo(5);
    assertThat(decide(g, "198.51.100.4").ruleId()).isEqualTo("92f17202ed8bd63d69a66b86a49a8f6b");
    assertThat(decide(g, "203.0.113.77").action()).isEqualTo(Action.BLOCK);
    assertThat(decide(g, "2001:db8:bad::1").action()).isEqualTo(Action.CHALLENGE);
    assertThat(decide(g, "1.130.0.1").action()).isEqualTo(Action.CHALLENGE);
    assertThat(decide(g, "67.43.156.1").errorCode()).isEqualTo(1009);
    assertThat(g.accessRules().get(0).origin()).isEqualTo(dir.resolve("rules.json") + ":6");
  }

  @Test
  void theManagedFileInItsOwnShape(@TempDir Path dir) throws Exception {
    Files.copy(resource("/rules/own.json"), dir.resolve("rules.json"));
    Path config = dir.resolve("g.properties");
    Files.writeString(config, GEO + "gatehouse.access-rules.file=rules.json\n"
        + "gatehouse.access-rule.props=block ip 198.51.100.0/24\n");
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    assertThat(decide(g, "192.0.2.10").ruleId()).isEqualTo("partner");
    assertThat(decide(g, "192.0.2.11").ruleId()).isEqualTo("bad-range");
    assertThat(decide(g, "198.51.100.1").ruleId()).isEqualTo("props");
    assertThat(decide(g, "89.160.20.120").rayId()).as("a log rule records").isNotNull();
  }

  @Test
  void aManagedFileThatDoesNotExistYetHoldsNoRules(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.access-rules.file=state/rules.json\n");
    Gatehouse g = Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build();
    assertThat(g.status().accessRules()).isZero();
    assertThat(g.status().accessRulesFile()).isEqualTo(dir.resolve("state/rules.json").toString());
  }

  @Test
  void managedFileProblemsNameTheLineOfEachRule(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.copy(resource("/rules/broken.json"), rules);
    Path config = dir.resolve("g.properties");
    Files.writeString(config, "gatehouse.access-rules.file=rules.json\ngatehouse.access-rule.ok=allow ip 192.0.2.9\n");
    assertThatThrownBy(() -> Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build())
        .hasMessage("6 configuration problems:\n"
            + rules + ":3: access rule id 'ok' is already used at " + config + ":2\n"
            + rules + ":4: rule 1 'typo': unknown field \"valeu\" (known: id, action, target, value, notes, created)\n"
            + rules + ":5: rule 2 'bad-value': '192.0.2.0/8' has host bits set; the network is 192.0.0.0/8\n"
            + rules + ":6: rule 3 is not a JSON object\n"
            + rules + ":7: rule 4 'bad action': 'bad action' is not a valid id (1 to 64 letters, digits, '-' and '_')\n"
            + rules + ":8: access rule id 'ok' is already used at " + config + ":2");
    Files.copy(resource("/rules/truncated.json"), rules, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> Gatehouse.builder().config(ConfigSource.file(config)).watchFiles(false).build())
        .hasMessageStartingWith("1 configuration problem:\n" + rules + ":3: not valid JSON: ");
  }

  /** The load time is measured in AccessRulesLoadBenchmark; here, that every rule is found where it is. */
  @Test
  void aHundredThousandRulesLoadAndEachAddressFindsItsOwnRule(@TempDir Path dir) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      // 100,000 /32 rules spread over 10.0.0.0/8, alternating actions.
      int a = 0x0a00_0000 | (i * 167);
      String ip = ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
      sb.append("gatehouse.access-rule.r").append(i).append('=').append(i % 2 == 0 ? "block" : "log")
          .append(" ip ").append(ip).append('\n');
    }
    sb.append("gatehouse.access-rule.net=challenge ip 10.0.0.0/8\n");
    Gatehouse g = engine(sb.toString());
    assertThat(g.status().accessRules()).isEqualTo(100_001);
    assertThat(decide(g, "10.0.0.0").ruleId()).isEqualTo("r0");
    assertThat(decide(g, "10.0.0.167").ruleId()).isNull();
    assertThat(decide(g, "10.0.0.1").ruleId()).isEqualTo("net");
    int last = 0x0a00_0000 | (99_998 * 167);
    String ip = ((last >>> 24) & 255) + "." + ((last >>> 16) & 255) + "." + ((last >>> 8) & 255) + "." + (last & 255);
    assertThat(decide(g, ip).ruleId()).isEqualTo("r99998");
  }
}
