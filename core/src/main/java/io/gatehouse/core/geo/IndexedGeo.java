package io.gatehouse.core.geo;

import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;

/**
 * Geo data held in interval indexes: one for AS numbers, one for countries, either possibly absent.
 * Outside this package, made by {@link GeoLookup#of}. Immutable and thread-safe.
 */
final class IndexedGeo implements GeoLookup {

  private final IntervalIndex<GeoLookup.Asn> asns;
  private final IntervalIndex<String> countries;
  private final GeoLookup.Cities cities;
  private final String description;

  /**
   * @param asns AS data, or {@code null} when none is loaded
   * @param countries country data, or {@code null} when none is loaded
   * @param description where the data came from, for status and logs
   */
  public IndexedGeo(IntervalIndex<GeoLookup.Asn> asns, IntervalIndex<String> countries, GeoLookup.Cities cities,
      String description) {
    this.asns = asns;
    this.countries = countries;
    this.cities = cities;
    this.description = description;
  }

  @Override
  public GeoLookup.Asn asn(IpAddress ip) {
    if (asns == null || ip == null) {
      return GeoLookup.Asn.UNKNOWN;
    }
    GeoLookup.Asn info = asns.get(ip);
    return info == null ? GeoLookup.Asn.UNKNOWN : info;
  }

  @Override
  public String country(IpAddress ip) {
    if (countries == null || ip == null) {
      return UNKNOWN;
    }
    String c = countries.get(ip);
    return c == null ? UNKNOWN : c;
  }

  @Override
  public GeoLookup.City city(IpAddress ip) {
    return cities == null || ip == null ? null : cities.city(ip);
  }

  @Override
  public boolean hasCity() {
    return cities != null;
  }

  @Override
  public boolean hasAsn() {
    return asns != null;
  }

  @Override
  public boolean hasCountry() {
    return countries != null;
  }

  @Override
  public String toString() {
    return description;
  }
}
