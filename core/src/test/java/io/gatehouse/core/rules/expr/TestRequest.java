package io.gatehouse.core.rules.expr;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.Expression.Context.Place;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Expression.Context} for tests, built field by field or from a one-line description such as
 * {@code ip=203.0.113.7 uri=/login?next=%2F h:accept=text/html score=40}.
 *
 * <p>Keys: {@code ip} ({@code none} for unknown), {@code asn}, {@code country}, {@code continent},
 * {@code host}, {@code method}, {@code uri} (sets path and query), {@code path}, {@code query}, {@code ua},
 * {@code referer}, {@code cookie}, {@code score}, {@code bot}, and {@code h:NAME} for one header value
 * (repeat it for several); for the connection {@code ssl}, {@code version}, {@code port}, {@code server},
 * {@code cert} ({@code none}, {@code presented}, {@code verified}), {@code time} (milliseconds since the
 * epoch), {@code ray}; for geo {@code city}, {@code region}, {@code region_code}, {@code subdivision},
 * {@code postal}, {@code lat}, {@code lon}, {@code metro}; for bots {@code category}, {@code botscore}; for
 * the body {@code body} (its text; {@code \xHH} stands for a byte), {@code bodysize} and
 * {@code truncated}. The path is normalised as the engine normalises it; {@code raw.*} fields see it as
 * given. A value with spaces goes in double quotes, where {@code \"} and {@code \\} are
 * escapes. {@code ua}, {@code referer}, {@code cookie} and {@code host} also set their header. Defaults: no
 * client address, AS 0, country and continent XX, host example.com, GET /, no headers, score 0, not a bot.
 */
class TestRequest implements Expression.Context {

  IpAddress ip;
  long asn;
  String country = "XX";
  String continent = "XX";
  String host = "example.com";
  String method = "GET";
  String path = "/";
  String query = "";
  String userAgent = "";
  String referer = "";
  String cookie = "";
  int score;
  boolean bot;
  final Map<String, List<String>> headers = new LinkedHashMap<>();
  final List<String[]> lines = new ArrayList<>();
  boolean ssl;
  String version;
  long port = -1;
  IpAddress server;
  String cert = "none";
  long time = -1;
  String ray;
  final Map<Place, String> places = new EnumMap<>(Place.class);
  String category = "";
  int botScore = -1;
  byte[] body;
  long bodySize = -1;
  boolean truncated;
  boolean headersTruncated;
  final Object[] memo = new Object[MEMO_SLOTS];

  static TestRequest of() {
    return new TestRequest();
  }

  /** Parses a description; {@code -} is the default request. */
  static TestRequest parse(String description) {
    TestRequest r = new TestRequest();
    String d = description.strip();
    if (d.equals("-")) {
      return r;
    }
    int i = 0;
    while (i < d.length()) {
      if (d.charAt(i) == ' ') {
        i++;
        continue;
      }
      // A token is key=value, key="value" or "key=value"; inside quotes \" and \\ are escapes.
      StringBuilder token = new StringBuilder();
      boolean quoted = false;
      while (i < d.length() && (quoted || d.charAt(i) != ' ')) {
        char c = d.charAt(i++);
        if (c == '"') {
          quoted = !quoted;
        } else if (quoted && c == '\\') {
          token.append(d.charAt(i++));
        } else {
          token.append(c);
        }
      }
      int eq = token.indexOf("=");
      if (eq < 0) {
        throw new IllegalArgumentException("no '=' in request description token " + token + ": " + d);
      }
      r.set(token.substring(0, eq), token.substring(eq + 1));
    }
    return r;
  }

  TestRequest set(String key, String value) {
    java.util.Arrays.fill(memo, null);
    switch (key) {
      case "ip" -> ip = value.equals("none") ? null : IpAddress.parse(value);
      case "asn" -> asn = Long.parseLong(value);
      case "country" -> country = value;
      case "continent" -> continent = value;
      case "host" -> {
        host = value;
        headers.put("host", new ArrayList<>(List.of(value)));
      }
      case "method" -> method = value;
      case "uri" -> {
        int q = value.indexOf('?');
        path = q < 0 ? value : value.substring(0, q);
        query = q < 0 ? "" : value.substring(q + 1);
      }
      case "path" -> path = value;
      case "query" -> query = value;
      case "ua" -> {
        userAgent = value;
        header("user-agent", value);
      }
      case "referer" -> {
        referer = value;
        header("referer", value);
      }
      case "cookie" -> {
        cookie = value;
        header("cookie", value);
      }
      case "score" -> score = Integer.parseInt(value);
      case "bot" -> bot = Boolean.parseBoolean(value);
      case "ssl" -> ssl = Boolean.parseBoolean(value);
      case "version" -> version = value;
      case "port" -> port = Long.parseLong(value);
      case "server" -> server = IpAddress.parse(value);
      case "cert" -> cert = value;
      case "time" -> time = Long.parseLong(value);
      case "ray" -> ray = value;
      case "city" -> places.put(Place.CITY, value);
      case "region" -> places.put(Place.REGION, value);
      case "region_code" -> places.put(Place.REGION_CODE, value);
      case "subdivision" -> places.put(Place.SUBDIVISION_1_ISO_CODE, value);
      case "postal" -> places.put(Place.POSTAL_CODE, value);
      case "lat" -> places.put(Place.LATITUDE, value);
      case "lon" -> places.put(Place.LONGITUDE, value);
      case "metro" -> places.put(Place.METRO_CODE, value);
      case "category" -> category = value;
      case "botscore" -> botScore = Integer.parseInt(value);
      case "body" -> {
        body = bytes(value);
        if (bodySize < 0) {
          bodySize = body.length;
        }
      }
      case "bodysize" -> bodySize = Long.parseLong(value);
      case "truncated" -> truncated = Boolean.parseBoolean(value);
      case "headers_truncated" -> headersTruncated = Boolean.parseBoolean(value);
      default -> {
        if (!key.startsWith("h:")) {
          throw new IllegalArgumentException("unknown request key " + key);
        }
        header(key.substring(2), value);
      }
    }
    return this;
  }

  TestRequest header(String name, String value) {
    java.util.Arrays.fill(memo, null);
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    lines.add(new String[] {name, value});
    return this;
  }

  /** The text as UTF-8, {@code \xHH} as the byte. */
  private static byte[] bytes(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("\\x", i) && i + 3 < text.length()) {
        out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        byte[] b = String.valueOf(text.charAt(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  @Override
  public IpAddress clientIp() {
    return ip;
  }

  @Override
  public long asn() {
    return asn;
  }

  @Override
  public String country() {
    return country;
  }

  @Override
  public String continent() {
    return continent;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String uri() {
    return query.isEmpty() ? path() : path() + "?" + query;
  }

  @Override
  public String path() {
    return RequestFacts.normalizePath(path);
  }

  @Override
  public String rawPath() {
    return path;
  }

  @Override
  public Object[] memo() {
    return memo;
  }

  @Override
  public boolean ssl() {
    return ssl;
  }

  @Override
  public String httpVersion() {
    return version;
  }

  @Override
  public int headerCount() {
    return lines.size();
  }

  @Override
  public String headerName(int i) {
    return lines.get(i)[0];
  }

  @Override
  public String headerValue(int i) {
    return lines.get(i)[1];
  }

  @Override
  public boolean headersTruncated() {
    return headersTruncated;
  }

  @Override
  public long serverPort() {
    return port;
  }

  @Override
  public IpAddress serverIp() {
    return server;
  }

  @Override
  public boolean clientCertPresented() {
    return !cert.equals("none");
  }

  @Override
  public boolean clientCertVerified() {
    return cert.equals("verified");
  }

  @Override
  public long timestampMillis() {
    return time;
  }

  @Override
  public String rayId() {
    return ray;
  }

  @Override
  public String place(Place detail) {
    return places.get(detail);
  }

  @Override
  public String verifiedBotCategory() {
    return category;
  }

  @Override
  public int botScore() {
    return botScore;
  }

  @Override
  public byte[] body() {
    return body;
  }

  @Override
  public long bodySize() {
    return bodySize;
  }

  @Override
  public boolean bodyTruncated() {
    return truncated;
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public String userAgent() {
    return userAgent;
  }

  @Override
  public String referer() {
    return referer;
  }

  @Override
  public String cookie() {
    return cookie;
  }

  @Override
  public List<String> header(String lowerCaseName) {
    return headers.getOrDefault(lowerCaseName, List.of());
  }

  @Override
  public int threatScore() {
    return score;
  }

  @Override
  public boolean verifiedBot() {
    return bot;
  }
}
