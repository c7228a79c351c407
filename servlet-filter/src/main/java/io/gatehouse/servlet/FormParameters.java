package io.gatehouse.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of a request whose form body Gatehouse read the start of: the query's, then the body's,
 * parsed from the body as the application's stream gives it again. A container parses its parameters
 * from its own stream, which no longer starts at the body's beginning once the rules have read it.
 *
 * <p>The body is read up to {@value #MAX_FORM} bytes, as containers bound it (Tomcat's {@code maxPostSize}
 * is 2 MB); what lies past that is not parsed.
 */
final class FormParameters {

  static final int MAX_FORM = 2 * 1024 * 1024;

  private static final FormParameters NONE = new FormParameters(false, Map.of());

  private final boolean handles;
  private final Map<String, String[]> map;

  private FormParameters(boolean handles, Map<String, String[]> map) {
    this.handles = handles;
    this.map = map;
  }

  static FormParameters of(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return NONE;
    }
    Charset charset = StandardCharsets.UTF_8;
    String encoding = request.getCharacterEncoding();
    if (encoding != null && Charset.isSupported(encoding)) {
      charset = Charset.forName(encoding);
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    add(values, request.getQueryString(), charset);
    try (InputStream in = request.getInputStream()) {
      add(values, new String(in.readNBytes(MAX_FORM), StandardCharsets.ISO_8859_1), charset);
    } catch (IOException | IllegalStateException e) {
      // The application read the body itself, or the client went away: the query's parameters remain.
    }
    Map<String, String[]> map = new LinkedHashMap<>();
    values.forEach((k, v) -> map.put(k, v.toArray(new String[0])));
    return new FormParameters(true, Collections.unmodifiableMap(map));
  }

  private static void add(Map<String, List<String>> values, String text, Charset charset) {
    if (text == null || text.isEmpty()) {
      return;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), charset);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), charset);
      values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }
  }

  private static String decode(String s, Charset charset) {
    try {
      // The text came in as ISO-8859-1, byte for byte; re-read its bytes in the form's charset.
      return new String(URLDecoder.decode(s, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1),
          charset);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  boolean handles() {
    return handles;
  }

  Map<String, String[]> map() {
    return map;
  }

  String first(String name) {
    String[] v = map.get(name);
    return v == null || v.length == 0 ? null : v[0];
  }

  String[] values(String name) {
    String[] v = map.get(name);
    return v == null ? null : v.clone();
  }
}
