/**
 * Where an address is: its autonomous system and country, from MaxMind {@code .mmdb} databases or an
 * iptoasn TSV file, loaded once into {@link io.gatehouse.core.net.IntervalIndex IntervalIndex}es so that
 * a lookup on the request path is a binary search that allocates nothing.
 *
 * <ul>
 *   <li>{@link io.gatehouse.core.geo.GeoLookup}: the questions the engine asks (AS, country, continent),
 *       {@code GeoLookup.NONE} when no data is configured, and the ways in: {@code of} over loaded data,
 *       {@code continentOf} and {@code continents}, the one place continent codes are defined.
 *   <li>{@link io.gatehouse.core.geo.GeoFiles}: reads each file format into indexes at configuration
 *       time, all or nothing, with errors that name the file (and the line, for iptoasn).
 *   <li>{@link io.gatehouse.core.geo.AsnInfo}: an AS number and the organisation holding it.
 *   <li>{@link io.gatehouse.core.geo.IndexedGeo} is the lookup {@code GeoLookup.of} makes, and
 *       {@link io.gatehouse.core.geo.Continents} the country table behind {@code continentOf}; both are
 *       public only until the engine reaches them through {@code GeoLookup}.
 * </ul>
 */
package io.gatehouse.core.geo;
