package io.gatehouse.core.rules.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body fields, read from the first bytes of the body that the engine buffered
 * ({@link Expression.Context#body()}): the raw text, the form of an {@code application/x-www-form-urlencoded}
 * body, the parts of a {@code multipart/form-data} one, and the type its first bytes show. Each is
 * computed once per request, on its first read.
 *
 * <p>Every parser here reads any bytes and never looks past the buffer: a part cut off by the end of the
 * buffer is kept as far as it goes, as Cloudflare keeps a truncated body.
 */
final class Body {

  /** The parts of a multipart body: for each part its names, file names and content types, and each part's value. */
  record Multipart(List<List<String>> names, List<List<String>> filenames, List<List<String>> contentTypes,
      List<String> values, Map<String, List<String>> map) {
    static final Multipart NONE = new Multipart(List.of(), List.of(), List.of(), List.of(), Map.of());
  }

  /** The most parts read from one body; a body of more is read as far as that. */
  static final int MAX_PARTS = 1000;

  private Body() {}

  static String raw(Expression.Context c) {
    return Derived.memo(c, Derived.BODY_RAW, x -> {
      byte[] b = x.body();
      return b == null ? null : Text.fromBytes(b, 0, b.length);
    });
  }

  private static String contentType(Expression.Context c) {
    List<String> types = c.header("content-type");
    return types == null || types.isEmpty() ? "" : types.get(0);
  }

  /** The media type of a Content-Type value in lower case, without parameters. */
  static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return Text.lower((semi < 0 ? contentType : contentType.substring(0, semi)).strip());
  }

  static Derived.Pairs form(Expression.Context c) {
    return Derived.memo(c, Derived.BODY_FORM, x -> {
      String raw = raw(x);
      if (raw == null || !mediaType(contentType(x)).equals("application/x-www-form-urlencoded")) {
        return Derived.Pairs.NONE;
      }
      return Derived.pairs(raw, '&');
    });
  }

  static Multipart multipart(Expression.Context c) {
    return Derived.memo(c, Derived.BODY_MULTIPART, x -> {
      byte[] b = x.body();
      String type = contentType(x);
      if (b == null || !mediaType(type).startsWith("multipart/")) {
        return Multipart.NONE;
      }
      String boundary = parameter(type, "boundary");
      // RFC 2046 allows 70 characters, and no line break.
      return boundary == null || boundary.isEmpty() || boundary.length() > 70 || boundary.indexOf('\n') >= 0
          || boundary.indexOf('\r') >= 0 ? Multipart.NONE : parts(b, boundary);
    });
  }

  /** The parameter {@code name} of a header value such as {@code form-data; name="a"}, unquoted, or {@code null}. */
  static String parameter(String value, String name) {
    int i = value.indexOf(';');
    while (i >= 0 && i < value.length()) {
      int next = nextSemicolon(value, i + 1);
      String p = value.substring(i + 1, next).strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals(name)) {
        String v = p.substring(eq + 1).strip();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
          v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
      }
      i = next;
    }
    return null;
  }

  /** The next {@code ;} at or after {@code from} outside quotes, or the end. */
  private static int nextSemicolon(String s, int from) {
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && quoted) {
        i++;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ';' && !quoted) {
        return i;
      }
    }
    return s.length();
  }

  private static Multipart parts(byte[] b, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    List<List<String>> names = new ArrayList<>();
    List<List<String>> filenames = new ArrayList<>();
    List<List<String>> types = new ArrayList<>();
    List<String> values = new ArrayList<>();
    int at = indexOf(b, delimiter, 0);
    while (at >= 0 && names.size() < MAX_PARTS) {
      int start = at + delimiter.length;
      if (start + 1 < b.length && b[start] == '-' && b[start + 1] == '-') {
        break; // the closing delimiter
      }
      start = lineEnd(b, start);
      int next = indexOf(b, delimiter, start);
      int end = next < 0 ? b.length : next;
      // Headers up to an empty line, then the value, less the line break before the next delimiter.
      String disposition = null;
      String partType = null;
      int i = start;
      while (i < end) {
        int eol = lineEnd(b, i);
        int contentEnd = eol;
        while (contentEnd > i && (b[contentEnd - 1] == '\n' || b[contentEnd - 1] == '\r')) {
          contentEnd--;
        }
        if (contentEnd == i) {
          i = eol;
          break;
        }
        String line = Text.fromBytes(b, i, Math.min(contentEnd, end));
        int colon = line.indexOf(':');
        if (colon > 0) {
          String header = Text.lower(line.substring(0, colon).strip());
          if (header.equals("content-disposition")) {
            disposition = line.substring(colon + 1).strip();
          } else if (header.equals("content-type")) {
            partType = line.substring(colon + 1).strip();
          }
        }
        i = eol;
      }
      int valueEnd = end;
      if (next >= 0) {
        if (valueEnd > i && b[valueEnd - 1] == '\n') {
          valueEnd--;
        }
        if (valueEnd > i && b[valueEnd - 1] == '\r') {
          valueEnd--;
        }
      }
      String name = disposition == null ? null : parameter(disposition, "name");
      String filename = disposition == null ? null : parameter(disposition, "filename");
      names.add(name == null ? List.of() : List.of(name));
      filenames.add(filename == null ? List.of() : List.of(filename));
      types.add(partType == null ? List.of() : List.of(partType));
      values.add(Text.fromBytes(b, Math.min(i, valueEnd), valueEnd));
      if (next < 0) {
        break;
      }
      at = next;
    }
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      if (!names.get(k).isEmpty()) {
        map.computeIfAbsent(names.get(k).get(0), key -> new ArrayList<>(1)).add(values.get(k));
      }
    }
    map.replaceAll((key, list) -> Collections.unmodifiableList(list));
    return new Multipart(Collections.unmodifiableList(names), Collections.unmodifiableList(filenames),
        Collections.unmodifiableList(types), Collections.unmodifiableList(values), Collections.unmodifiableMap(map));
  }

  /** Just past the line break after {@code from}, or the end. */
  private static int lineEnd(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return b.length;
  }

  /**
   * Where the delimiter {@code part} starts a line of {@code b} at or after {@code from}, or -1. Only line
   * starts are tried, as only there a delimiter stands; and since a delimiter holds no line break, no byte
   * is compared from more than one start, so the search is linear in the body whatever the boundary.
   */
  static int indexOf(byte[] b, byte[] part, int from) {
    outer:
    for (int i = Math.max(0, from), last = b.length - part.length; i <= last; i++) {
      if (i > 0 && b[i - 1] != '\n') {
        continue;
      }
      for (int k = 0; k < part.length; k++) {
        if (b[i + k] != part[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * The type the body's first bytes show ({@code http.request.body.mime}): the common image, audio, video,
   * archive and document signatures, and JSON, XML and HTML by their first character; {@code ""} when
   * they show none.
   */
  static String mime(Expression.Context c) {
    return Derived.memo(c, Derived.BODY_MIME, x -> {
      byte[] b = x.body();
      return b == null ? null : sniff(b);
    });
  }

  static String sniff(byte[] b) {
    if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (starts(b, 0, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'A', 'V', 'E')) {
      return "audio/wav";
    }
    if (starts(b, 4, 'f', 't', 'y', 'p')) {
      return "video/mp4";
    }
    if (starts(b, 0, 'I', 'D', '3') || starts(b, 0, 0xFF, 0xFB)) {
      return "audio/mpeg";
    }
    if (starts(b, 0, 'O', 'g', 'g', 'S')) {
      return "audio/ogg";
    }
    if (starts(b, 0, '%', 'P', 'D', 'F', '-')) {
      return "application/pdf";
    }
    if (starts(b, 0, 'P', 'K', 3, 4)) {
      return "application/zip";
    }
    if (starts(b, 0, 0x1F, 0x8B)) {
      return "application/gzip";
    }
    if (starts(b, 0, 'M', 'Z')) {
      return "application/x-msdownload";
    }
    if (starts(b, 0, 0x7F, 'E', 'L', 'F')) {
      return "application/x-elf";
    }
    int i = 0;
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    if (i == b.length) {
      return "";
    }
    if (b[i] == '{' || b[i] == '[') {
      return "application/json";
    }
    if (b[i] == '<') {
      String head = Text.lower(Text.fromBytes(b, i, Math.min(b.length, i + 15)));
      if (head.startsWith("<?xml")) {
        return "text/xml";
      }
      if (head.startsWith("<!doctype html") || head.startsWith("<html")) {
        return "text/html";
      }
    }
    return "";
  }

  private static boolean starts(byte[] b, int at, int... signature) {
    if (b.length < at + signature.length) {
      return false;
    }
    for (int k = 0; k < signature.length; k++) {
      if ((b[at + k] & 0xFF) != signature[k]) {
        return false;
      }
    }
    return true;
  }
}
