package io.gatehouse.core.geo;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The continent of each country, with the codes the geo databases use (AF AN AS EU NA OC SA). Countries
 * that span two continents follow GeoNames, as MaxMind does: Russia and Cyprus are EU, Turkey, Georgia,
 * Armenia, Azerbaijan and Kazakhstan AS, Egypt AF, Panama NA.
 *
 * <p>Outside this package, use {@link GeoLookup#continentOf} and {@link GeoLookup#continents}. Immutable
 * and thread-safe.
 */
final class Continents {

  private static final Map<String, String> BY_COUNTRY = new HashMap<>();

  static {
    put("AF", "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR"
        + " MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW");
    put("AN", "AQ BV GS HM TF");
    put("AS", "AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN"
        + " MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE");
    put("EU", "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU"
        + " LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK");
    put("NA", "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM"
        + " PR SV SX TC TT US VC VG VI");
    put("OC", "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS");
    put("SA", "AR BO BR CL CO EC FK GF GY PE PY SR UY VE");
  }

  /** Gathered from the table, so that no code is written in a second place; alphabetical. */
  static final Set<String> CODES = Collections.unmodifiableSet(new TreeSet<>(BY_COUNTRY.values()));

  private static void put(String continent, String countries) {
    for (String c : countries.split(" ")) {
      if (BY_COUNTRY.put(c, continent) != null) {
        throw new IllegalStateException(c + " is on two continents");
      }
    }
  }

  private Continents() {}

  /** The continent of an ISO country code, or {@code XX}. */
  public static String of(String country) {
    return country == null ? GeoLookup.UNKNOWN : BY_COUNTRY.getOrDefault(country, GeoLookup.UNKNOWN);
  }
}
