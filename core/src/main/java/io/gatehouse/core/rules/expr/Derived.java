package io.gatehouse.core.rules.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields computed from what the request shows: the query's arguments, the cookies, the header names,
 * the languages a browser accepts, the full URI. Each is computed on its first read in a request and kept
 * in the context's {@link Expression.Context#memo() memo}, so a rule set that never reads one pays
 * nothing and one that reads it often pays once.
 *
 * <p>Every parser here is total and linear in its input: it reads any text, and what it cannot make
 * sense of it keeps as text.
 */
final class Derived {

  // The memo's slots.
  static final int ARGS = 0;
  static final int COOKIES = 1;
  static final int HEADER_NAMES = 2;
  static final int HEADER_VALUES = 3;
  static final int LANGUAGES = 4;
  static final int FULL_URI = 5;
  static final int RAW_URI = 6;
  static final int RAW_FULL_URI = 7;
  static final int FORWARDED_FOR = 8;
  static final int BODY_RAW = 9;
  static final int BODY_FORM = 10;
  static final int BODY_MULTIPART = 11;
  static final int BODY_MIME = 12;

  /** The extensions {@code cf.bot_management.static_resource} counts as a static file. */
  static final Set<String> STATIC_EXTENSIONS = Set.of("7z", "avi", "avif", "apk", "bin", "bmp", "bz2", "class",
      "css", "csv", "doc", "docx", "dmg", "ejs", "eot", "eps", "exe", "flac", "gif", "gz", "ico", "iso", "jar",
      "jpeg", "jpg", "js", "json", "map", "mid", "midi", "mjs", "mkv", "mp3", "mp4", "ogg", "otf", "pdf", "pict",
      "pls", "png", "ppt", "pptx", "ps", "rar", "svg", "svgz", "swf", "tar", "tif", "tiff", "ttf", "txt", "webm",
      "webmanifest", "webp", "woff", "woff2", "xls", "xlsx", "xml", "zip", "zst");

  /** The member states of the European Union, by ISO 3166-1 alpha-2 code. */
  static final Set<String> EUROPEAN_UNION = Set.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
      "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

  /** Names and values in their order, and the same as a map from each name to its values. */
  record Pairs(List<String> names, List<String> values, Map<String, List<String>> map) {
    static final Pairs NONE = new Pairs(List.of(), List.of(), Map.of());
  }

  private Derived() {}

  /** What {@code compute} makes of the request, from {@code slot} of the memo when it was made already. */
  @SuppressWarnings("unchecked")
  static <T> T memo(Expression.Context c, int slot, Function<Expression.Context, T> compute) {
    Object[] memo = c.memo();
    if (memo == null) {
      return compute.apply(c);
    }
    Object known = memo[slot];
    if (known == null) {
      known = compute.apply(c);
      memo[slot] = known;
    }
    return (T) known;
  }

  // ---------------------------------------------------------------------------------------------------
  // URI

  static Pairs args(Expression.Context c) {
    return memo(c, ARGS, x -> pairs(x.query(), '&'));
  }

  /** {@code a=1&b&a=2} as names and values, nothing decoded; empty pieces are skipped. */
  static Pairs pairs(String text, char separator) {
    if (text == null || text.isEmpty()) {
      return Pairs.NONE;
    }
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i <= n) {
      int end = text.indexOf(separator, i);
      if (end < 0) {
        end = n;
      }
      if (end > i) {
        int eq = text.indexOf('=', i);
        if (eq < 0 || eq > end) {
          names.add(text.substring(i, end));
          values.add("");
        } else {
          names.add(text.substring(i, eq));
          values.add(text.substring(eq + 1, end));
        }
      }
      i = end + 1;
    }
    return of(names, values);
  }

  static Pairs of(List<String> names, List<String> values) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      map.computeIfAbsent(names.get(k), key -> new ArrayList<>(1)).add(values.get(k));
    }
    map.replaceAll((key, list) -> Collections.unmodifiableList(list));
    return new Pairs(Collections.unmodifiableList(names), Collections.unmodifiableList(values),
        Collections.unmodifiableMap(map));
  }

  static String rawUri(Expression.Context c) {
    return memo(c, RAW_URI, x -> {
      String path = x.rawPath();
      String q = x.query();
      return path == null ? null : q == null || q.isEmpty() ? path : path + "?" + q;
    });
  }

  static String fullUri(Expression.Context c) {
    return memo(c, FULL_URI, x -> full(x, x.uri()));
  }

  static String rawFullUri(Expression.Context c) {
    return memo(c, RAW_FULL_URI, x -> full(x, rawUri(x)));
  }

  private static String full(Expression.Context c, String uri) {
    String host = c.host();
    return host == null || uri == null ? null : (c.ssl() ? "https://" : "http://") + host + uri;
  }

  /** Every value of a header, never {@code null}. */
  static List<String> values(Expression.Context c, String lowerCaseName) {
    List<String> values = c.header(lowerCaseName);
    return values == null ? List.of() : values;
  }

  /** The last segment's extension in lower case, without the dot; {@code ""} when it has none. */
  static String extension(Expression.Context c) {
    String path = c.path();
    if (path == null) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash || dot == path.length() - 1) {
      return "";
    }
    return Text.lower(path.substring(dot + 1));
  }

  static boolean staticResource(Expression.Context c) {
    String extension = extension(c);
    return extension != null && STATIC_EXTENSIONS.contains(extension);
  }

  static boolean inEuropeanUnion(Expression.Context c) {
    String country = c.country();
    return country != null && EUROPEAN_UNION.contains(country);
  }

  // ---------------------------------------------------------------------------------------------------
  // Headers and cookies

  static List<String> headerNames(Expression.Context c) {
    return memo(c, HEADER_NAMES, x -> headerLines(x, true));
  }

  static List<String> headerValues(Expression.Context c) {
    return memo(c, HEADER_VALUES, x -> headerLines(x, false));
  }

  private static List<String> headerLines(Expression.Context c, boolean names) {
    int n = c.headerCount();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String s = names ? c.headerName(i) : c.headerValue(i);
      out.add(s == null ? "" : s);
    }
    return Collections.unmodifiableList(out);
  }

  /** The cookies by name, from every Cookie header: {@code a=1; b=2}, names and values as sent. */
  static Map<String, List<String>> cookies(Expression.Context c) {
    return memo(c, COOKIES, x -> {
      List<String> names = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (String line : values(x, "cookie")) {
        for (String piece : line.split(";")) {
          String p = piece.strip();
          if (p.isEmpty()) {
            continue;
          }
          int eq = p.indexOf('=');
          names.add(eq < 0 ? p : p.substring(0, eq).strip());
          values.add(eq < 0 ? "" : p.substring(eq + 1).strip());
        }
      }
      return of(names, values).map();
    });
  }

  /**
   * The language tags of Accept-Language by weight, highest first (equal weights in their order), without
   * {@code *} and without tags whose weight is 0 or unreadable.
   */
  static List<String> acceptedLanguages(Expression.Context c) {
    return memo(c, LANGUAGES, x -> languages(values(x, "accept-language")));
  }

  static List<String> languages(List<String> lines) {
    record Tag(String tag, int weight, int order) {}
    List<Tag> tags = new ArrayList<>();
    for (String line : lines) {
      for (String item : line.split(",")) {
        String[] parts = item.split(";");
        String tag = parts[0].strip();
        if (tag.isEmpty() || tag.equals("*")) {
          continue;
        }
        int weight = 1000;
        for (int k = 1; k < parts.length; k++) {
          String p = parts[k].strip();
          if (p.startsWith("q=") || p.startsWith("Q=")) {
            weight = weight(p.substring(2));
          }
        }
        if (weight > 0) {
          tags.add(new Tag(tag, weight, tags.size()));
        }
      }
    }
    tags.sort((a, b) -> a.weight != b.weight ? Integer.compare(b.weight, a.weight) : Integer.compare(a.order, b.order));
    List<String> out = new ArrayList<>(tags.size());
    for (Tag t : tags) {
      out.add(t.tag);
    }
    return Collections.unmodifiableList(out);
  }

  /** An RFC 9110 weight, {@code 0} to {@code 1} with up to three decimals, in thousandths; -1 when unreadable. */
  private static int weight(String q) {
    if (q.isEmpty() || q.length() > 5 || q.charAt(0) != '0' && q.charAt(0) != '1') {
      return -1;
    }
    int value = (q.charAt(0) - '0') * 1000;
    if (q.length() > 1) {
      if (q.charAt(1) != '.') {
        return -1;
      }
      int scale = 100;
      for (int k = 2; k < q.length(); k++) {
        char d = q.charAt(k);
        if (d < '0' || d > '9') {
          return -1;
        }
        value += (d - '0') * scale;
        scale /= 10;
      }
    }
    return value > 1000 ? -1 : value;
  }

  /** Every X-Forwarded-For header joined with {@code ", "}, or {@code ""} when there is none. */
  static String forwardedFor(Expression.Context c) {
    return memo(c, FORWARDED_FOR, x -> String.join(", ", values(x, "x-forwarded-for")));
  }
}
