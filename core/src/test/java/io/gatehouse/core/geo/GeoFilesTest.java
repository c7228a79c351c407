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
import org.junit.jupiter.api.io.TempDir;
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

  @Test
  void dbIpLiteCountryAndAsnDatabasesAreRead(@TempDir Path dir) throws IOException {
    Path country = dir.resolve("dbip-country-lite.mmdb");
    new MmdbWriter("DBIP-Country-Lite")
        .add("81.2.69.0/24", MmdbWriter.map("continent", MmdbWriter.map("code", "EU"),
            "country", MmdbWriter.map("iso_code", "GB", "names", MmdbWriter.map("en", "United Kingdom"))))
        .add("216.160.83.0/24", MmdbWriter.map("country", MmdbWriter.map("iso_code", "US"))).write(country);
    GeoLookup geo = GeoLookup.of(null, GeoFiles.maxMindCountry(country), "dbip");
    assertThat(geo.country(ip("81.2.69.142"))).isEqualTo("GB");
    assertThat(geo.continent(ip("81.2.69.142"))).isEqualTo("EU");
    assertThat(geo.country(ip("216.160.83.56"))).isEqualTo("US");
    assertThat(geo.country(ip("8.8.8.8"))).isEqualTo("XX");

    Path asn = dir.resolve("dbip-asn-lite.mmdb");
    new MmdbWriter("DBIP-ASN-Lite (compat=GeoLite2-ASN)")
        .add("1.0.0.0/24", MmdbWriter.map("autonomous_system_number", 13335L,
            "autonomous_system_organization", "Cloudflare, Inc.")).write(asn);
    assertThat(GeoLookup.of(GeoFiles.maxMindAsn(asn), null, "dbip").asn(ip("1.0.0.1")))
        .isEqualTo(new GeoLookup.Asn(13335, "Cloudflare, Inc."));
  }

  @Test
  void ipLocationDbFilesWithAFlatCountryCodeAndALowerCaseTypeAreRead(@TempDir Path dir) throws IOException {
    Path country = dir.resolve("geo-whois-asn-country-ipv4.mmdb");
    new MmdbWriter("geo-whois-asn-country")
        .add("89.160.20.0/24", MmdbWriter.map("country_code", "SE"))
        .add("67.43.156.0/24", MmdbWriter.map("country_code", "bt"))
        .add("10.0.0.0/8", MmdbWriter.map("country_code", "ZZ")).write(country);
    GeoLookup geo = GeoLookup.of(null, GeoFiles.maxMindCountry(country), "ip-location-db");
    assertThat(geo.country(ip("89.160.20.112"))).isEqualTo("SE");
    assertThat(geo.country(ip("67.43.156.1"))).isEqualTo("BT");
    assertThat(geo.continent(ip("67.43.156.1"))).isEqualTo("AS");
    assertThat(geo.country(ip("10.1.2.3"))).as("ZZ is unknown").isEqualTo("XX");

    Path asn = dir.resolve("asn-ipv4.mmdb");
    new MmdbWriter("asn").add("1.128.0.0/11", MmdbWriter.map("autonomous_system_number", 1221L,
        "autonomous_system_organization", "Telstra Pty Ltd")).write(asn);
    assertThat(GeoLookup.of(GeoFiles.maxMindAsn(asn), null, "t").asn(ip("1.159.255.255")).number()).isEqualTo(1221);
  }

  @Test
  void aDatabaseWhoseRecordsCarryNoCountryOrAsIsRefused(@TempDir Path dir) throws IOException {
    Path cities = dir.resolve("city-names.mmdb");
    new MmdbWriter("some-City-names").add("81.2.69.0/24", MmdbWriter.map("city", MmdbWriter.map("en", "London")))
        .write(cities);
    assertThatThrownBy(() -> GeoFiles.maxMindCountry(cities)).hasMessage(cities
        + " is a some-City-names database without a country (country.iso_code or country_code) in any record");
    Path country = dir.resolve("country.mmdb");
    new MmdbWriter("geo-asn-country").add("81.2.69.0/24", MmdbWriter.map("country_code", "GB")).write(country);
    assertThatThrownBy(() -> GeoFiles.maxMindAsn(country)).hasMessage(country
        + " is a geo-asn-country database without an AS number (autonomous_system_number) in any record");
  }
}
