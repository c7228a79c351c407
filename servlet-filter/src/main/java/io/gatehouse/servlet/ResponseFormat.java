package io.gatehouse.servlet;

import java.util.Locale;

/** The body formats Gatehouse renders, chosen from the request's {@code Accept} header. */
enum ResponseFormat {
  HTML("text/html"),
  JSON("application/json"),
  TEXT("text/plain");

  final String mediaType;

  ResponseFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /**
   * The format the client prefers by {@code q} value (RFC 9110 §12.5.1), the most specific matching
   * range deciding each format's {@code q}. On equal {@code q}, a format the client named outright beats
   * one it only accepts through a wildcard (an API client sending
   * {@code application/json, text/plain, *}{@code /*} wants JSON); after that HTML wins, as it does
   * without an {@code Accept} header, since browsers and tools like curl should see the page.
   */
  static ResponseFormat negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return HTML;
    }
    ResponseFormat best = HTML;
    double bestScore = -1;
    for (ResponseFormat f : values()) {
      double score = score(accept, f.mediaType);
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    return bestScore < 1 ? HTML : best;
  }

  /**
   * {@code q} scaled, plus the specificity of the range that set it (0..2) as a tie-breaker; below 1 means
   * not acceptable.
   */
  private static double score(String accept, String mediaType) {
    int slash = mediaType.indexOf('/');
    String type = mediaType.substring(0, slash);
    int bestSpecificity = -1;
    double q = 0;
    int ranges = 0;
    for (String range : accept.split(",")) {
      if (++ranges > 64) {
        break;
      }
      String[] parts = range.split(";", -1);
      String r = parts[0].trim().toLowerCase(Locale.ROOT);
      int specificity;
      if (r.equals(mediaType)) {
        specificity = 2;
      } else if (r.equals(type + "/*")) {
        specificity = 1;
      } else if (r.equals("*/*")) {
        specificity = 0;
      } else {
        continue;
      }
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        q = parseQ(parts);
      }
    }
    return q <= 0 ? 0 : q * 1000 + bestSpecificity;
  }

  private static double parseQ(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
        try {
          double q = Double.parseDouble(p.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
