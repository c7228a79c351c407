/**
 * Where an address is: its autonomous system and country, from MaxMind {@code .mmdb} databases or an
 * iptoasn TSV file, loaded once into {@link io.gatehouse.core.net.IntervalIndex IntervalIndex}es so that
 * a lookup on the request path is a binary search that allocates nothing.
 */
package io.gatehouse.core.geo;
