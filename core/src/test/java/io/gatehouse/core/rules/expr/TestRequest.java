package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
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
 * (repeat it for several). A value with spaces goes in double quotes, where {@code \"} and {@code \\} are
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
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    return this;
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
    return query.isEmpty() ? path : path + "?" + query;
  }

  @Override
  public String path() {
    return path;
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
