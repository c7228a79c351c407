package io.gatehouse.core.geo;

/**
 * An autonomous system. Immutable and thread-safe.
 *
 * @param number the AS number, or 0 when unknown
 * @param organization the organisation that holds it, or {@code ""}
 */
public record AsnInfo(long number, String organization) {

  /** What an address outside every known network has. */
  public static final AsnInfo UNKNOWN = new AsnInfo(0, "");

  public AsnInfo {
    organization = organization == null ? "" : organization;
  }
}
