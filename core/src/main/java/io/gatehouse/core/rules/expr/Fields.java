package io.gatehouse.core.rules.expr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of the language: their canonical names, types and how each is read from a
 * {@link RequestContext}. Old Cloudflare names ({@code ip.geoip.country}, ...) are aliases, so rules
 * copied from older dashboards still compile; {@link Expression#fields()} reports canonical names.
 */
final class Fields {

  /** A field: its canonical name, its type and the node that reads it ({@code null} for the header map). */
  record Field(String name, Type type, Object node) {}

  static final String HEADERS = "http.request.headers";

  private static final Map<String, Field> BY_NAME = new LinkedHashMap<>();

  static {
    field("ip.src", Type.IP, (Nodes.Ip) c -> c.clientIp());
    field("ip.src.asnum", Type.INTEGER, (Nodes.Int) c -> c.asn());
    field("ip.src.country", Type.STRING, (Nodes.Str) c -> c.country());
    field("ip.src.continent", Type.STRING, (Nodes.Str) c -> c.continent());
    field("http.host", Type.STRING, (Nodes.Str) c -> c.host());
    field("http.request.method", Type.STRING, (Nodes.Str) c -> c.method());
    field("http.request.uri", Type.STRING, (Nodes.Str) c -> c.uri());
    field("http.request.uri.path", Type.STRING, (Nodes.Str) c -> c.path());
    field("http.request.uri.query", Type.STRING, (Nodes.Str) c -> c.query());
    field("http.user_agent", Type.STRING, (Nodes.Str) c -> c.userAgent());
    field("http.referer", Type.STRING, (Nodes.Str) c -> c.referer());
    field("http.cookie", Type.STRING, (Nodes.Str) c -> c.cookie());
    field(HEADERS, Type.MAP, null);
    field("cf.threat_score", Type.INTEGER, (Nodes.Int) c -> c.threatScore());
    field("cf.client.bot", Type.BOOLEAN, (Nodes.Cond) c -> c.verifiedBot());
    alias("ip.geoip.asnum", "ip.src.asnum");
    alias("ip.geoip.country", "ip.src.country");
    alias("ip.geoip.continent", "ip.src.continent");
    alias("cf.bot_management.verified_bot", "cf.client.bot");
  }

  private Fields() {}

  private static void field(String name, Type type, Object node) {
    BY_NAME.put(name, new Field(name, type, node));
  }

  private static void alias(String alias, String canonical) {
    BY_NAME.put(alias, BY_NAME.get(canonical));
  }

  /** The field written as {@code name} (canonical or alias), or {@code null}. */
  static Field get(String name) {
    return BY_NAME.get(name);
  }

  /** Every accepted name, canonical names first. */
  static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The accepted name closest to {@code written}, if it is close enough to be a typo, or {@code null}. */
  static String suggest(String written, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(written, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    int tolerance = Math.max(2, Math.min(4, written.length() / 6));
    return bestDistance <= tolerance ? best : null;
  }

  /** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
  static int distance(String a, String b) {
    if (a.length() > 64 || b.length() > 64) {
      return Integer.MAX_VALUE;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
