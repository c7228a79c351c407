package io.gatehouse.core.geo;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Network;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads geo files into interval indexes: MaxMind ASN and country (or city) databases, and iptoasn TSV
 * files. The {@code .mmdb} reader is used only to walk every network once; afterwards lookups never
 * touch the file, allocate nothing and cost one binary search. {@link GeoLookup#of} turns what they load
 * into a lookup; the engine reaches these loaders through {@code GeoLookup}'s static methods.
 *
 * <p>Stateless and thread-safe: each call reads its own file.
 */
final class GeoFiles {

  private GeoFiles() {}

  /**
   * The AS data of an ASN database in MaxMind's format: MaxMind's (GeoLite2-ASN, GeoIP2-ISP), DB-IP Lite's
   * ({@code DBIP-ASN-Lite}) or ip-location-db's, whose database types are spelt in any case.
   *
   * @throws IOException saying what is wrong with the file
   */
  static IntervalIndex<GeoLookup.Asn> maxMindAsn(Path path) throws IOException {
    try (Reader reader = open(path)) {
      String type = reader.getMetadata().databaseType();
      String t = type.toLowerCase(Locale.ROOT);
      if (!t.contains("asn") && !t.contains("isp") || t.contains("country") && !t.contains("asn")) {
        throw new IOException(path + " is a " + type + " database, not an ASN database");
      }
      Map<Long, GeoLookup.Asn> shared = new HashMap<>();
      IntervalIndex.Builder<GeoLookup.Asn> b = IntervalIndex.builder();
      Networks<AsnRecord> networks = reader.networks(AsnRecord.class);
      while (networks.hasNext()) {
        DatabaseRecord<AsnRecord> r = networks.next();
        AsnRecord data = r.data();
        if (data == null || data.number() == null || data.number() <= 0) {
          continue;
        }
        GeoLookup.Asn info = shared.computeIfAbsent(data.number(), n -> new GeoLookup.Asn(n, data.organization()));
        b.add(cidr(r.network()), info);
      }
      if (shared.isEmpty()) {
        throw new IOException(path + " is a " + type + " database without an AS number"
            + " (autonomous_system_number) in any record");
      }
      return b.build();
    } catch (IOException | RuntimeException | InvalidNetworkException e) {
      throw failure(path, e);
    }
  }

  /**
   * The country data of a country or city database in MaxMind's format: the country, or where there is
   * none (an anycast or satellite network), the registered country. Read in MaxMind's layout
   * ({@code country.iso_code}, as GeoLite2, GeoIP2 and DB-IP Lite write it) and in the flat one
   * ({@code country_code}, as the ip-location-db files do), with the database type spelt in any case
   * ({@code GeoLite2-Country}, {@code DBIP-Country-Lite}, {@code geo-whois-asn-country}).
   *
   * @throws IOException saying what is wrong with the file
   */
  static IntervalIndex<String> maxMindCountry(Path path) throws IOException {
    try (Reader reader = open(path)) {
      String type = reader.getMetadata().databaseType();
      String t = type.toLowerCase(Locale.ROOT);
      if (!t.contains("country") && !t.contains("city") && !t.contains("enterprise") && !t.contains("location")) {
        throw new IOException(path + " is a " + type + " database, not a country or city database");
      }
      IntervalIndex.Builder<String> b = IntervalIndex.builder();
      Networks<CountryRecord> networks = reader.networks(CountryRecord.class);
      int found = 0;
      while (networks.hasNext()) {
        DatabaseRecord<CountryRecord> r = networks.next();
        String code = r.data() == null ? null : r.data().code();
        if (code != null) {
          b.add(cidr(r.network()), code);
          found++;
        }
      }
      if (found == 0) {
        throw new IOException(path + " is a " + type + " database without a country (country.iso_code or"
            + " country_code) in any record");
      }
      return b.build();
    } catch (IOException | RuntimeException | InvalidNetworkException e) {
      throw failure(path, e);
    }
  }

  /**
   * The city data of a MaxMind city database, read per address from the database held in memory (a city
   * database has millions of networks, which an index of their own would hold twice); {@code null} when
   * the database is not a city one.
   */
  static GeoLookup.Cities maxMindCity(Path path) throws IOException {
    Reader reader;
    try {
      if (!Files.isRegularFile(path)) {
        throw new NoSuchFileException(path.toString());
      }
      reader = new Reader(path.toFile(), Reader.FileMode.MEMORY);
    } catch (IOException | RuntimeException e) {
      throw failure(path, e);
    }
    if (!reader.getMetadata().databaseType().contains("City")) {
      reader.close();
      return null;
    }
    return ip -> {
      try {
        CityRecord r = reader.get(java.net.InetAddress.getByAddress(ip.toBytes()), CityRecord.class);
        return r == null ? null : r.place();
      } catch (IOException | RuntimeException e) {
        // A corrupt record is no city, never a failed request.
        return null;
      }
    };
  }

  private static Reader open(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString());
    }
    return new Reader(path.toFile());
  }

  private static IOException failure(Path path, Exception e) {
    if (e instanceof NoSuchFileException) {
      return new IOException("no such file: " + path, e);
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (message.startsWith(path.toString())) {
      return new IOException(message, e);
    }
    return new IOException("cannot read MaxMind database " + path + ": " + message, e);
  }

  /**
   * A MaxMind network as ours. IPv6 databases keep IPv4 in {@code ::/96}; networks there are IPv4.
   */
  static Cidr cidr(Network network) {
    byte[] bytes = network.networkAddress().getAddress();
    int prefix = network.prefixLength();
    if (bytes.length == 16 && prefix >= 96 && isZero(bytes, 12)) {
      byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
      return Cidr.covering(IpAddress.ofBytes(v4), prefix - 96);
    }
    return Cidr.covering(IpAddress.ofBytes(bytes), bytes.length == 4 && prefix > 32 ? prefix - 96 : prefix);
  }

  private static boolean isZero(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Loads an iptoasn TSV file ({@code range_start range_end AS_number country_code AS_description}),
   * IPv4, IPv6 or combined, with addresses as literals or (IPv4) as 32-bit numbers. Ranges with AS 0
   * ("Not routed") carry no AS; country {@code None} is unknown.
   *
   * @throws IOException listing the first bad lines with their numbers
   */
  static GeoLookup.Ip2Asn ip2asn(Path path) throws IOException {
    IntervalIndex.Builder<GeoLookup.Asn> asns = IntervalIndex.builder();
    IntervalIndex.Builder<String> countries = IntervalIndex.builder();
    Map<Long, GeoLookup.Asn> shared = new HashMap<>();
    Map<String, String> codes = new HashMap<>();
    List<String> bad = new ArrayList<>();
    int badCount = 0;
    int lineNo = 0;
    int ranges = 0;
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String problem = ip2asnLine(line, asns, countries, shared, codes);
        if (problem == null) {
          ranges++;
        } else {
          badCount++;
          if (bad.size() < 5) {
            bad.add(path + ":" + lineNo + ": " + problem);
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException("no such file: " + path, e);
    } catch (MalformedInputException e) {
      throw new IOException(path + " is not UTF-8 text (line " + (lineNo + 1) + ")", e);
    }
    if (badCount > 0) {
      throw new IOException(badCount + " bad line" + (badCount == 1 ? "" : "s") + " in iptoasn file "
          + path + (badCount > bad.size() ? " (the first " + bad.size() + " shown)" : "") + ": "
          + String.join("; ", bad));
    }
    if (ranges == 0) {
      throw new IOException("iptoasn file " + path + " holds no ranges");
    }
    return new GeoLookup.Ip2Asn(asns.build(), countries.build(), lineNo);
  }

  private static String ip2asnLine(String line, IntervalIndex.Builder<GeoLookup.Asn> asns,
      IntervalIndex.Builder<String> countries, Map<Long, GeoLookup.Asn> shared, Map<String, String> codes) {
    String[] f = line.split("\t", 5);
    if (f.length < 4) {
      return "expected range_start, range_end, AS_number, country_code and AS_description separated by tabs";
    }
    IpAddress first = address(f[0]);
    IpAddress last = address(f[1]);
    if (first == null || last == null) {
      return "'" + (first == null ? f[0] : f[1]) + "' is not an address";
    }
    if (first.isV4() != last.isV4() || first.compareTo(last) > 0) {
      return "'" + f[0] + "' to '" + f[1] + "' is not a range";
    }
    long asn;
    try {
      asn = Long.parseLong(f[2].trim());
    } catch (NumberFormatException e) {
      return "'" + f[2] + "' is not an AS number";
    }
    if (asn < 0 || asn > 4_294_967_295L) {
      return "'" + f[2] + "' is not an AS number";
    }
    String country = f[3].trim().toUpperCase(Locale.ROOT);
    if (asn > 0) {
      String org = f.length > 4 ? f[4].trim() : "";
      asns.add(first, last, shared.computeIfAbsent(asn, n -> new GeoLookup.Asn(n, org)));
    }
    if (country.length() == 2 && !country.equals("ZZ")) {
      countries.add(first, last, codes.computeIfAbsent(country, c -> c));
    } else if (!country.equalsIgnoreCase("NONE") && !country.isEmpty() && !country.equals("ZZ")) {
      return "'" + f[3] + "' is not a country code";
    }
    return null;
  }

  private static IpAddress address(String text) {
    String t = text.trim();
    if (!t.isEmpty() && t.length() <= 10 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long n = Long.parseLong(t);
      return n <= 0xffff_ffffL ? IpAddress.ofV4((int) n) : null;
    }
    return IpAddress.tryParse(t);
  }

  // The MaxMind reader builds these by reflection through their canonical constructors, which is why they
  // are public; each component names the database field it is read from.

  /** The fields of a MaxMind ASN record that Gatehouse reads. */
  public record AsnRecord(@MaxMindDbParameter(name = "autonomous_system_number") Long number,
      @MaxMindDbParameter(name = "autonomous_system_organization") String organization) {}

  /**
   * The fields of a country or city record that Gatehouse reads: MaxMind's nested {@code country} and
   * {@code registered_country}, or the flat {@code country_code} of ip-location-db.
   */
  public record CountryRecord(@MaxMindDbParameter(name = "country") Place country,
      @MaxMindDbParameter(name = "registered_country") Place registeredCountry,
      @MaxMindDbParameter(name = "country_code") String countryCode) {

    String code() {
      if (country != null && country.isoCode() != null) {
        return country.isoCode();
      }
      if (registeredCountry != null && registeredCountry.isoCode() != null) {
        return registeredCountry.isoCode();
      }
      return flat(countryCode);
    }

    /** A flat code as a country: two letters, upper case, one string each; {@code ZZ} and others none. */
    private static String flat(String code) {
      if (code == null || code.length() != 2 || !Character.isLetter(code.charAt(0))
          || !Character.isLetter(code.charAt(1))) {
        return null;
      }
      String c = code.toUpperCase(Locale.ROOT);
      return c.equals("ZZ") ? null : c.intern();
    }
  }

  /** The fields of a MaxMind city record that Gatehouse reads. */
  public record CityRecord(@MaxMindDbParameter(name = "city") Named city,
      @MaxMindDbParameter(name = "subdivisions") java.util.List<Subdivision> subdivisions,
      @MaxMindDbParameter(name = "postal") Postal postal,
      @MaxMindDbParameter(name = "location") Location location,
      @MaxMindDbParameter(name = "country") Place country) {

    GeoLookup.City place() {
      Subdivision first = subdivisions == null || subdivisions.isEmpty() ? null : subdivisions.get(0);
      String code = first == null ? null : first.isoCode();
      String countryCode = country == null ? null : country.isoCode();
      return new GeoLookup.City(city == null ? null : city.english(), first == null ? null : first.english(), code,
          code == null || countryCode == null ? null : countryCode + "-" + code,
          postal == null ? null : postal.code(),
          location == null || location.latitude() == null ? null : location.latitude().toString(),
          location == null || location.longitude() == null ? null : location.longitude().toString(),
          location == null || location.metroCode() == null ? null : location.metroCode().toString());
    }
  }

  /** A place with names by language. */
  public record Named(@MaxMindDbParameter(name = "names") java.util.Map<String, String> names) {
    String english() {
      return names == null ? null : names.get("en");
    }
  }

  /** A subdivision: its code and names. */
  public record Subdivision(@MaxMindDbParameter(name = "iso_code") String isoCode,
      @MaxMindDbParameter(name = "names") java.util.Map<String, String> names) {
    String english() {
      return names == null ? null : names.get("en");
    }
  }

  /** A postal code. */
  public record Postal(@MaxMindDbParameter(name = "code") String code) {}

  /** Coordinates and the US metro code. */
  public record Location(@MaxMindDbParameter(name = "latitude") Double latitude,
      @MaxMindDbParameter(name = "longitude") Double longitude,
      @MaxMindDbParameter(name = "metro_code") Integer metroCode) {}

  /** A country in a MaxMind record. */
  public record Place(@MaxMindDbParameter(name = "iso_code") String isoCode) {

    public Place {
      // Millions of networks share some 250 codes: keep one string each.
      isoCode = isoCode == null ? null : isoCode.intern();
    }
  }
}
