package io.gatehouse.core.geo;

import io.gatehouse.core.net.IpAddress;

/**
 * Answers where an address is. Implementations are immutable, thread-safe, never block and never throw
 * on any address.
 */
public interface GeoLookup {

  /** Unknown is {@code XX} (and {@link AsnInfo#UNKNOWN}). */
  String UNKNOWN = "XX";

  /** The AS of {@code ip}, or {@link AsnInfo#UNKNOWN}. */
  AsnInfo asn(IpAddress ip);

  /** The ISO 3166-1 alpha-2 country of {@code ip}, or {@code XX}. */
  String country(IpAddress ip);

  /** The continent code of {@code ip} (AF AN AS EU NA OC SA), derived from its country, or {@code XX}. */
  default String continent(IpAddress ip) {
    return Continents.of(country(ip));
  }

  /** Whether AS numbers are known to this lookup at all. */
  boolean hasAsn();

  /** Whether countries are known to this lookup at all. */
  boolean hasCountry();

  /** A lookup that knows nothing. */
  GeoLookup NONE = new GeoLookup() {
    @Override
    public AsnInfo asn(IpAddress ip) {
      return AsnInfo.UNKNOWN;
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
  };
}
