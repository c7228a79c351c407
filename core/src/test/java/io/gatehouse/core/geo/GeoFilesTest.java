package io.gatehouse.core.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeoFilesTest {

  static Path resource(String name) {
    try {
      return Path.of(GeoFilesTest.class.getResource("/geo/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  @ParameterizedTest(name = "{0} -> AS{1}")
  @CsvSource({"1.0.0.1,15169,Google Inc.", "1.128.0.1,1221,Telstra Pty Ltd", "1.159.255.255,1221,Telstra Pty Ltd",
      "8.8.8.8,0,''", "1.160.0.0,0,''"})
  void maxMindAsnDatabase(String address, long asn, String org) throws IOException {
    IntervalIndex<GeoLookup.Asn> index = GeoFiles.maxMindAsn(resource("GeoLite2-ASN-Test.mmdb"));
    GeoLookup geo = GeoLookup.of(index, null, "test");
    assertThat(geo.asn(ip(address))).isEqualTo(asn == 0 ? GeoLookup.Asn.UNKNOWN : new GeoLookup.Asn(asn, org));
    assertThat(geo.country(ip(address))).isEqualTo("XX");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"81.2.69.142,GB,EU", "81.2.69.143,GB,EU", "81.2.69.160,GB,EU", "81.2.69.191,GB,EU",
      "2.125.160.216,GB,EU", "89.160.20.112,SE,EU", "89.160.20.127,SE,EU", "216.160.83.56,US,NA",
      "67.43.156.1,BT,AS", "8.8.8.8,XX,XX", "81.2.69.128,XX,XX"})
  void maxMindCountryDatabases(String address, String country, String continent) throws IOException {
    for (String db : new String[] {"GeoLite2-Country-Test.mmdb", "GeoIP2-Country-Test.mmdb"}) {
      GeoLookup geo = GeoLookup.of(null, GeoFiles.maxMindCountry(resource(db)), db);
      assertThat(geo.country(ip(address))).as(db).isEqualTo(country);
      assertThat(geo.continent(ip(address))).as(db).isEqualTo(continent);
    }
  }

  @Test
  void ipv4AlsoAnswersAsIpv4MappedIpv6() throws IOException {
    GeoLookup geo = GeoLookup.of(null, GeoFiles.maxMindCountry(resource("GeoLite2-Country-Test.mmdb")), "t");
    assertThat(geo.country(ip("::ffff:89.160.20.112"))).isEqualTo("SE");
  }

  @Test
  void aCorruptDatabaseIsAClearError() {
    Path broken = resource("Broken-Invalid-Node-Count.mmdb");
    assertThatThrownBy(() -> GeoFiles.maxMindCountry(broken))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot read MaxMind database " + broken + ": ");
  }

  @Test
  void theWrongKindOfDatabaseIsAClearError() {
    Path country = resource("GeoLite2-Country-Test.mmdb");
    assertThatThrownBy(() -> GeoFiles.maxMindAsn(country))
        .hasMessage(country + " is a GeoLite2-Country database, not an ASN database");
    Path asn = resource("GeoLite2-ASN-Test.mmdb");
    assertThatThrownBy(() -> GeoFiles.maxMindCountry(asn))
        .hasMessage(asn + " is a GeoLite2-ASN database, not a country or city database");
  }

  @Test
  void aMissingFileIsAClearError() {
    Path missing = Path.of("no/such/GeoLite2-ASN.mmdb");
    assertThatThrownBy(() -> GeoFiles.maxMindAsn(missing)).hasMessage("no such file: " + missing);
    assertThatThrownBy(() -> GeoFiles.ip2asn(missing)).hasMessage("no such file: " + missing);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ip2asn-v4.tsv", "ip2asn-combined.tsv", "ip2asn-v4-u32.tsv"})
  void iptoasnIpv4(String file) throws IOException {
    GeoLookup.Ip2Asn data = GeoFiles.ip2asn(resource(file));
    GeoLookup geo = GeoLookup.of(data.asns(), data.countries(), file);
    assertThat(geo.asn(ip("1.0.0.7"))).isEqualTo(new GeoLookup.Asn(13335, "CLOUDFLARENET"));
    assertThat(geo.country(ip("1.0.0.7"))).isEqualTo("US");
    assertThat(geo.asn(ip("203.0.113.200")).number()).isEqualTo(64496);
    assertThat(geo.country(ip("203.0.113.200"))).isEqualTo("DE");
    assertThat(geo.asn(ip("9.9.9.9"))).isEqualTo(GeoLookup.Asn.UNKNOWN);
  }

  @Test
  void iptoasnNotRoutedRangesHaveNoAsnAndNoCountry() throws IOException {
    GeoLookup.Ip2Asn data = GeoFiles.ip2asn(resource("ip2asn-combined.tsv"));
    GeoLookup geo = GeoLookup.of(data.asns(), data.countries(), "t");
    assertThat(geo.asn(ip("1.0.2.1"))).isEqualTo(GeoLookup.Asn.UNKNOWN);
    assertThat(geo.country(ip("1.0.2.1"))).isEqualTo("XX");
    assertThat(geo.asn(ip("2001:db8:1::1")).number()).isEqualTo(64500);
    assertThat(geo.country(ip("2001:db8:1::1"))).isEqualTo("NL");
    assertThat(geo.continent(ip("2001:db8:1::1"))).isEqualTo("EU");
    assertThat(geo.asn(ip("2001:db9::1"))).isEqualTo(GeoLookup.Asn.UNKNOWN);
  }

  @Test
  void iptoasnIpv6Only() throws IOException {
    GeoLookup.Ip2Asn data = GeoFiles.ip2asn(resource("ip2asn-v6.tsv"));
    assertThat(data.asns().sizeV4()).isZero();
    assertThat(data.asns().sizeV6()).isEqualTo(1);
  }

  @Test
  void badIptoasnLinesAreListedWithTheirNumbers() {
    Path bad = resource("ip2asn-bad.tsv");
    assertThatThrownBy(() -> GeoFiles.ip2asn(bad)).hasMessage("3 bad lines in iptoasn file " + bad + ": "
        + bad + ":2: expected range_start, range_end, AS_number, country_code and AS_description separated by tabs; "
        + bad + ":3: '1.0.4.0' to '1.0.3.255' is not a range; "
        + bad + ":4: 'AS7' is not an AS number");
  }

  @Test
  void everyIsoCountryHasAContinent() {
    for (String c : Locale.getISOCountries()) {
      assertThat(GeoLookup.continentOf(c)).as(c).isIn("AF", "AN", "AS", "EU", "NA", "OC", "SA");
    }
    assertThat(GeoLookup.continentOf("XX")).isEqualTo("XX");
    assertThat(GeoLookup.continentOf(null)).isEqualTo("XX");
    assertThat(GeoLookup.continentOf("XK")).isEqualTo("EU");
  }

  @Test
  void continentCodesAreTheSevenInAlphabeticalOrder() {
    assertThat(GeoLookup.continents()).containsExactly("AF", "AN", "AS", "EU", "NA", "OC", "SA");
    assertThatThrownBy(() -> GeoLookup.continents().add("ZZ")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aLookupDescribesItsSources() {
    assertThat(GeoLookup.of(null, null, "ASN a.mmdb, country b.mmdb")).hasToString("ASN a.mmdb, country b.mmdb");
    assertThat(GeoLookup.of(null, null, "t").hasAsn()).isFalse();
    assertThat(GeoLookup.of(null, null, "t").asn(null)).isEqualTo(GeoLookup.Asn.UNKNOWN);
    assertThat(GeoLookup.of(null, null, "t").country(null)).isEqualTo("XX");
  }
}
