/**
 * Where an address is: its autonomous system and country, from MaxMind {@code .mmdb} databases or an
 * iptoasn TSV file, loaded once into {@link io.gatehouse.core.net.IntervalIndex IntervalIndex}es so that
 * a lookup on the request path is a binary search that allocates nothing.
 *
 * <ul>
 *   <li>{@link io.gatehouse.core.geo.GeoLookup}: the questions the engine asks (AS, country, continent),
 *       {@code GeoLookup.NONE} when no data is configured, and the ways in: {@code loadMaxMindAsn},
 *       {@code loadMaxMindCountry} and {@code loadIp2Asn} (with its {@code GeoLookup.Ip2Asn}) to read
 *       data files, {@code of} over loaded data, {@code continentOf} and {@code continents}, the one place
 *       continent codes are defined.
 *   <li>{@link io.gatehouse.core.geo.GeoLookup.Asn}: an AS number and the organisation holding it.
 *   <li>Package-private: {@code GeoFiles} reads each file format into indexes at configuration time, all
 *       or nothing, with errors that name the file (and the line, for iptoasn); {@code IndexedGeo} is the
 *       lookup {@code GeoLookup.of} makes, and {@code Continents} the country table behind
 *       {@code continentOf}.
 * </ul>
 */
package io.gatehouse.core.geo;
