package io.gatehouse.core.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Action;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.net.IpAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** City details from a MaxMind city database, read per address, for the rules' {@code ip.src.city} and the rest. */
class CityDataTest {

  @TempDir
  Path dir;

  private Path database() throws Exception {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("city", Map.of("names", Map.of("en", "Boxford", "de", "Boxford")));
    record.put("country", Map.of("iso_code", "GB"));
    record.put("location", Map.of("latitude", 51.75, "longitude", -1.25, "metro_code", 819));
    record.put("postal", Map.of("code", "OX1"));
    record.put("subdivisions", List.of(Map.of("iso_code", "ENG", "names", Map.of("en", "England"))));
    Path file = dir.resolve("tiny-city.mmdb");
    TinyCityDatabase.write(file, new byte[] {81, 2, 69, 0}, 24, record);
    return file;
  }

  @Test
  void aCityDatabaseGivesTheDetailsOfAnAddressItKnows() throws Exception {
    GeoLookup.Cities cities = GeoLookup.loadMaxMindCity(database());
    assertThat(cities.city(IpAddress.parse("81.2.69.142"))).isEqualTo(new GeoLookup.City("Boxford", "England",
        "ENG", "GB-ENG", "OX1", "51.75", "-1.25", "819"));
    assertThat(cities.city(IpAddress.parse("81.2.70.1"))).isNull();
    assertThat(cities.city(IpAddress.parse("2001:db8::1"))).as("an IPv6 address in an IPv4 database").isNull();
    assertThat(GeoLookup.loadMaxMindCountry(database()).get(IpAddress.parse("81.2.69.142"))).isEqualTo("GB");
  }

  @Test
  void aCountryDatabaseHasNoCities() throws Exception {
    Path country = dir.resolve("country.mmdb");
    try (var in = getClass().getResourceAsStream("/geo/GeoIP2-Country-Test.mmdb")) {
      java.nio.file.Files.copy(in, country);
    }
    assertThat(GeoLookup.loadMaxMindCity(country)).isNull();
  }

  @Test
  void rulesReadTheCityFields() throws Exception {
    try (Gatehouse g = Gatehouse.builder().config(ConfigSource.text("city.properties", """
        gatehouse.geo.country-database=%s
        gatehouse.rule.local.expression=ip.src.city eq "Boxford" and ip.geoip.region eq "England" and ip.src.region_code eq "ENG" and ip.src.subdivision_1_iso_code eq "GB-ENG" and ip.src.postal_code eq "OX1" and ip.src.lat eq "51.75" and ip.src.lon eq "-1.25" and ip.src.metro_code eq "819" and ip.src.country eq "GB"
        gatehouse.rule.local.action=block
        """.formatted(database()))).environment(Map.of()).watchFiles(false).build()) {
      RequestFacts inside = RequestFacts.builder().peer("81.2.69.142").host("shop.example").uri("/")
          .header("User-Agent", "Mozilla/5.0").build();
      assertThat(g.decide(inside).ruleId()).isEqualTo("local");
      RequestFacts outside = RequestFacts.builder().peer("81.2.70.1").host("shop.example").uri("/")
          .header("User-Agent", "Mozilla/5.0").build();
      assertThat(g.decide(outside).action()).isEqualTo(Action.ALLOW);
    }
  }
}
