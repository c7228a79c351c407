package io.gatehouse.core.geo;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Answers where an address is. Implementations are immutable, thread-safe, never block and never throw
 * on any address.
 *
 * <p>The static methods are the package's way in: {@link #loadMaxMindAsn}, {@link #loadMaxMindCountry}
 * and {@link #loadIp2Asn} read data files, {@link #of} wraps the data they loaded, and
 * {@link #continentOf} and {@link #continents} are the one place continent codes are defined.
 */
public interface GeoLookup {

  /** Unknown is {@code XX} (and {@link Asn#UNKNOWN}). */
  String UNKNOWN = "XX";

  /** The AS of {@code ip}, or {@link Asn#UNKNOWN}. */
  Asn asn(IpAddress ip);

  /** The ISO 3166-1 alpha-2 country of {@code ip}, or {@code XX}. */
  String country(IpAddress ip);

  /** The continent code of {@code ip} (AF AN AS EU NA OC SA), derived from its country, or {@code XX}. */
  default String continent(IpAddress ip) {
    return continentOf(country(ip));
  }

  /**
   * Where in its country {@code ip} is, from a city database, or {@code null} when no city database is
   * loaded or it does not know the address. The default knows nothing.
   */
  default City city(IpAddress ip) {
    return null;
  }

  /**
   * What a city database says of an address; each part {@code null} when it does not say.
   *
   * @param city the city's English name
   * @param region the first subdivision's English name ({@code England})
   * @param regionCode the first subdivision's ISO 3166-2 code without the country ({@code ENG})
   * @param subdivision1 the same with the country ({@code GB-ENG})
   * @param postalCode the postal code
   * @param latitude the latitude, as text
   * @param longitude the longitude, as text
   * @param metroCode the US metro (DMA) code, as text
   */
  record City(String city, String region, String regionCode, String subdivision1, String postalCode,
      String latitude, String longitude, String metroCode) {}

  /** Whether a city database is loaded, for {@link #city}. */
  default boolean hasCity() {
    return false;
  }

  /** Where in their countries addresses are: a city database. Implementations are thread-safe and never block. */
  interface Cities {
    /** What the database says of {@code ip}, or {@code null}. */
    City city(IpAddress ip);
  }

  /**
   * The city data of a MaxMind city database (GeoLite2-City, GeoIP2-City), held in memory and read per
   * address, or {@code null} when the database is a country one, which has none.
   *
   * @throws IOException saying what is wrong with the file
   */
  static Cities loadMaxMindCity(Path path) throws IOException {
    return GeoFiles.maxMindCity(path);
  }

  /** {@link #of(IntervalIndex, IntervalIndex, String)} with city data ({@code cities} may be {@code null}). */
  static GeoLookup of(IntervalIndex<Asn> asns, IntervalIndex<String> countries, Cities cities, String description) {
    return new IndexedGeo(asns, countries, cities, description);
  }

  /** Whether AS numbers are known to this lookup at all. */
  boolean hasAsn();

  /** Whether countries are known to this lookup at all. */
  boolean hasCountry();

  /**
   * A lookup over loaded indexes, each one binary search per question.
   *
   * @param asns AS data, or {@code null} when none is loaded
   * @param countries country data, or {@code null} when none is loaded
   * @param description where the data came from, for status and logs; the lookup's {@code toString()}
   */
  static GeoLookup of(IntervalIndex<Asn> asns, IntervalIndex<String> countries, String description) {
    return new IndexedGeo(asns, countries, null, description);
  }

  /** Loaded AS and country indexes from one iptoasn file. */
  record Ip2Asn(IntervalIndex<Asn> asns, IntervalIndex<String> countries, int lines) {}

  /**
   * The AS data of a MaxMind ASN database (GeoLite2-ASN, GeoIP2-ISP), read into an index.
   *
   * @throws IOException saying what is wrong with the file
   */
  static IntervalIndex<Asn> loadMaxMindAsn(Path path) throws IOException {
    return GeoFiles.maxMindAsn(path);
  }

  /**
   * The country data of a MaxMind country or city database, read into an index: the country, or where
   * there is none (an anycast or satellite network), the registered country.
   *
   * @throws IOException saying what is wrong with the file
   */
  static IntervalIndex<String> loadMaxMindCountry(Path path) throws IOException {
    return GeoFiles.maxMindCountry(path);
  }

  /**
   * The AS and country data of an iptoasn TSV file ({@code range_start range_end AS_number country_code
   * AS_description}; IPv4, IPv6 or combined), read into indexes.
   *
   * @throws IOException listing the first bad lines with their numbers
   */
  static Ip2Asn loadIp2Asn(Path path) throws IOException {
    return GeoFiles.ip2asn(path);
  }

  /** The continent code (AF AN AS EU NA OC SA) of an ISO 3166-1 alpha-2 country code, or {@code XX}. */
  static String continentOf(String country) {
    return Continents.of(country);
  }

  /** Every continent code the geo data uses, in alphabetical order: AF AN AS EU NA OC SA. Unmodifiable. */
  static Set<String> continents() {
    return Continents.CODES;
  }

  /** A lookup that knows nothing. */
  GeoLookup NONE = new GeoLookup() {
    @Override
    public Asn asn(IpAddress ip) {
      return Asn.UNKNOWN;
    }

    @Override
    public String country(IpAddress ip) {
      return UNKNOWN;
    }

    @Override
    public boolean hasAsn() {
      return false;
    }

    @Override
    public boolean hasCountry() {
      return false;
    }

    @Override
    public String toString() {
      return "none";
    }
  };

  /**
   * An autonomous system. Immutable and thread-safe.
   *
   * @param number the AS number, or 0 when unknown
   * @param organization the organisation that holds it, or {@code ""}
   */
  public record Asn(long number, String organization) {

    /** What an address outside every known network has. */
    public static final Asn UNKNOWN = new Asn(0, "");

    public Asn {
      organization = organization == null ? "" : organization;
    }
  }
}
