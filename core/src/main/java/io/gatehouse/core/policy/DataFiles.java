package io.gatehouse.core.policy;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.geo.GeoLookup;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.reputation.FeedRegistry;
import io.gatehouse.core.rules.AccessRule;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The large data files a configuration names (geo databases, crawler ranges), loaded through the file
 * cache so that an unchanged file is not read again on reload, and the checks that a rule needing geo
 * data has it.
 *
 * @param cache what was loaded before, by file
 * @param draft the configuration naming the files; each file read is stamped on it
 */
record DataFiles(FileCache cache, Draft draft, GeoDownloads downloads) {

  /** The AS and country data the draft names, or {@link GeoLookup#NONE}. */
  GeoLookup geo(ConfigException.Collector problems) {
    Draft d = draft;
    for (Map.Entry<String, Draft.GeoUrl> u : d.geoUrls.entrySet()) {
      Path file = downloads.file(u.getValue().url(), d.cacheDir, d.fetchTimeout, d.geoRefresh);
      d.stamp(file);
      if (!Files.isRegularFile(file)) {
        continue; // no copy yet: logged, and retried in the background
      }
      Draft.PathEntry p = new Draft.PathEntry(file, u.getValue().entry());
      switch (u.getKey()) {
        case "asn" -> d.asnDatabase = p;
        case "country" -> d.countryDatabase = p;
        default -> d.ip2asn = p;
      }
    }
    if (d.asnDatabase != null && d.ip2asn != null) {
      problems.add(d.ip2asn.entry(), "choose one source of AS data: gatehouse.geo.asn-database is set too");
    }
    IntervalIndex<GeoLookup.Asn> asns = null;
    IntervalIndex<String> countries = null;
    GeoLookup.Cities cities = null;
    List<String> sources = new ArrayList<>();
    if (d.ip2asn != null) {
      GeoLookup.Ip2Asn data = load(d.ip2asn, "ip2asn", GeoLookup::loadIp2Asn, problems);
      if (data != null) {
        asns = data.asns();
        countries = data.countries();
        sources.add("iptoasn " + d.ip2asn.path().getFileName());
      }
    }
    if (d.asnDatabase != null) {
      asns = load(d.asnDatabase, "mmdb-asn", GeoLookup::loadMaxMindAsn, problems);
      sources.add("ASN " + d.asnDatabase.path().getFileName());
    }
    if (d.countryDatabase != null) {
      // A country database wins over the countries of an iptoasn file: it is the more precise source.
      countries = load(d.countryDatabase, "mmdb-country", GeoLookup::loadMaxMindCountry, problems);
      sources.add("country " + d.countryDatabase.path().getFileName());
      if (countries != null && mentionsCity()) {
        // Only a rule that reads the city pays for the database in memory.
        cities = load(d.countryDatabase, "mmdb-city", GeoLookup::loadMaxMindCity, problems);
      }
    }
    if (asns == null && countries == null) {
      return GeoLookup.NONE;
    }
    return GeoLookup.of(asns, countries, cities, String.join(", ", sources));
  }

  /** Loads a file through the cache, stamping it; a failure is a problem of the entry that named it. */
  <T> T load(Draft.PathEntry p, String kind, FileCache.Loader<T> loader, ConfigException.Collector problems) {
    draft.stamp(p.path());
    try {
      return cache.get(kind, p.path(), loader);
    } catch (IOException e) {
      problems.add(p.entry(), e.getMessage());
      return null;
    }
  }

  /**
   * What an I/O failure on {@code path} means, in words: "no such file: PATH" rather than the name of a
   * Java exception.
   */
  static String describe(IOException e, Path path) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + path;
    } else if (e instanceof AccessDeniedException) {
      return "permission denied: " + path;
    } else if (e instanceof MalformedInputException) {
      return path + " is not UTF-8 text";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      return path + ": " + f.getReason();
    }
    return path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  /** Whether the draft names a source of AS data (loaded or not: a load failure is its own problem). */
  boolean namesAsnData() {
    return draft.asnDatabase != null || draft.ip2asn != null || draft.geoUrls.containsKey("asn")
        || draft.geoUrls.containsKey("ip2asn");
  }

  /** Whether the draft names a source of country data. */
  boolean namesCountryData() {
    return draft.countryDatabase != null || draft.ip2asn != null || draft.geoUrls.containsKey("country")
        || draft.geoUrls.containsKey("ip2asn");
  }

  /** Whether a feed of Tor exits is configured: its addresses are in the country and continent T1. */
  private boolean namesTorExits() {
    return draft.feeds.values().stream().anyMatch(f -> f.format == FeedRegistry.Format.TOR_EXITS);
  }

  /**
   * A rule that reads the AS or the country needs data for it, or it would silently never match. When
   * the data is named but failed to load, that failure is the problem, reported already.
   */
  void checkFields(Set<String> fields, GeoLookup geo, ConfigSource.Entry e, ConfigException.Collector problems) {
    if (fields.contains("ip.src.asnum") && !geo.hasAsn() && !namesAsnData()) {
      problems.add(e, "ip.src.asnum needs AS data: set gatehouse.geo.asn-database or gatehouse.geo.ip2asn");
    }
    if ((fields.contains("ip.src.country") || fields.contains("ip.src.continent")
        || fields.contains("ip.src.is_in_european_union")) && !geo.hasCountry() && !namesCountryData()
        && !namesTorExits()) {
      problems.add(e, "ip.src.country and ip.src.continent need country data: set gatehouse.geo.country-database"
          + " or gatehouse.geo.ip2asn");
    }
    String city = fields.stream().filter(DataFiles::isCityField).findFirst().orElse(null);
    if (city != null && !geo.hasCity() && (draft.countryDatabase == null || geo.hasCountry())) {
      problems.add(e, city + " needs a city database: set gatehouse.geo.country-database to a MaxMind city"
          + " database (GeoLite2-City or GeoIP2-City)");
    }
    String body = fields.stream().filter(f -> f.startsWith("http.request.body.")).findFirst().orElse(null);
    if (body != null && draft.bodyInspectBytes == 0) {
      problems.add(e, body + " reads the request body, which is not inspected: set gatehouse.body.inspect-bytes"
          + " to how many bytes of it the rules may read");
    }
  }

  /** A city field's name, canonical or alias, as a rule's text writes it. */
  private static final Pattern CITY_FIELD = Pattern.compile(
      "\\bip\\.(?:src|geoip)\\.(?:city|region|region_code|subdivision_1_iso_code|postal_code|lat|lon|metro_code)"
          + "(?![A-Za-z0-9_.])");

  /**
   * Whether a rule's text names a field that a city database fills. Read before the rules are compiled,
   * since the geo data is loaded first; a name inside a string literal is a false positive, which costs
   * memory only.
   */
  private boolean mentionsCity() {
    for (Map<String, Draft.RuleDraft> rules : List.of(draft.customRules, draft.configRules)) {
      for (Draft.RuleDraft r : rules.values()) {
        if (r.expression != null && CITY_FIELD.matcher(r.expression.value()).find()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The fields a city database fills. */
  static final Set<String> CITY_FIELDS = Set.of("ip.src.city", "ip.src.region", "ip.src.region_code",
      "ip.src.subdivision_1_iso_code", "ip.src.postal_code", "ip.src.lat", "ip.src.lon", "ip.src.metro_code");

  static boolean isCityField(String field) {
    return CITY_FIELDS.contains(field);
  }

  /** An access rule on an AS, country or continent needs the data to match it. */
  void checkTarget(Draft.Placed placed, GeoLookup geo, ConfigException.Collector problems) {
    AccessRule r = placed.rule();
    boolean needsAsn = r.target() == AccessRule.Target.ASN;
    boolean needsCountry = r.target() == AccessRule.Target.COUNTRY || r.target() == AccessRule.Target.CONTINENT;
    if (needsAsn && !geo.hasAsn() && !namesAsnData()) {
      problems.add(placed.file(), placed.line(), placed.key(), "asn rules need AS data: set gatehouse.geo.asn-database"
          + " or gatehouse.geo.ip2asn");
    } else if (needsCountry && !geo.hasCountry() && !namesCountryData()) {
      problems.add(placed.file(), placed.line(), placed.key(), r.target().id() + " rules need country data: set"
          + " gatehouse.geo.country-database or gatehouse.geo.ip2asn");
    }
  }
}
