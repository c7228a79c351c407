package io.gatehouse.core.bot;

import java.util.Locale;

/**
 * Plain string scanning of User-Agent values for the integrity heuristics. Nothing here uses regular
 * expressions: the input is attacker-controlled, so every check is a single bounded pass.
 *
 * <p>Stateless and thread-safe.
 */
final class UserAgents {

  /** Longer than this is not a User-Agent any browser sends (the longest in real corpora are ~500). */
  static final int MAX_LENGTH = 1024;

  /**
   * The most heap each cache of what User-Agents say may take ({@code BrowserIntegrityCheck}'s profiles,
   * {@code CrawlerClaims}' claims), by {@link #cacheWeight}; and the most entries, which the weight keeps
   * too since no entry weighs less than the one over the other. Typical User-Agents (100 to 300
   * characters) weigh the least, so 4,096 of them fit; at 1,024 characters outside Latin-1, the longest
   * that is cached, about 470 do.
   */
  static final long CACHE_BYTES = 1 << 20;
  static final int CACHE_ENTRIES = 4_096;

  private static final String MOZILLA = "mozilla";

  /**
   * HTTP libraries and command-line clients, as {@link TextTable} reads them: what a finding calls the
   * client or its ecosystem, then the product names that mean it.
   */
  private static final String SCRIPTING_CLIENT_TABLE = """
      # Command-line clients and downloaders
      curl: curl, libcurl, pycurl
      Wget: wget, wget2
      HTTPie: httpie
      aria2: aria2
      lftp: lftp
      PowerShell: powershell, windowspowershell
      Postman: postmanruntime
      Insomnia: insomnia
      # Libraries, by language
      Python: python, python-requests, python-urllib, python-urllib3, python-httpx, aiohttp, urllib3, scrapy
      Go: go-http-client, go-resty, fasthttp, colly
      Java: java, java-http-client, apache-httpclient, apache-httpasyncclient, commons-httpclient, okhttp,
        jersey, unirest-java, ahc, reactornetty, vert.x-webclient, akka-http, ktor-client
      Node.js: node, node-fetch, undici, axios, got, node-superagent, superagent, deno, bun
      Perl: libwww-perl, lwp-trivial, lwp-request, lwp::simple, www-mechanize
      PHP: php, guzzlehttp, guzzle
      Ruby: ruby, faraday, rest-client, http.rb, typhoeus, mechanize
      Rust: reqwest, ureq, isahc
      .NET: restsharp, flurl
      Dart: dart
      """;

  private static final PhraseMatcher<String> SCRIPTING_CLIENTS = scriptingClients();

  /**
   * Product names of mainstream browsers, as they write them before the version, most specific first:
   * Edge and Opera also say Chrome and Safari, Chrome also says Safari.
   */
  private static final String[] BROWSER_PRODUCTS = {
    "Edg", "Edge", "EdgA", "EdgiOS", "OPR", "CriOS", "FxiOS", "Firefox", "Chrome", "Chromium", "Safari",
  };

  /**
   * Words a client uses to say it is a robot or a tool rather than a person's browser. Such a client is
   * not pretending to be a browser, so the header-consistency check leaves it alone.
   */
  private static final String[] AUTOMATION_WORDS = {
    "bot", "crawl", "spider", "http:", "https:", "compatible", "headless", "phantomjs", "preview",
    "lighthouse", "pagespeed", "monitor",
  };

  private static final PhraseMatcher<String> HEADLESS = PhraseMatcher.<String>builder(ScannerSignatures.MAX_SCAN)
      .add("headlesschrome", "HeadlessChrome")
      .add("phantomjs", "PhantomJS")
      .add("slimerjs", "SlimerJS")
      .build();

  private UserAgents() {}

  private static PhraseMatcher<String> scriptingClients() {
    PhraseMatcher.Builder<String> b = PhraseMatcher.builder(ScannerSignatures.MAX_SCAN);
    TextTable.parse(SCRIPTING_CLIENT_TABLE).forEach((client, names) -> names.forEach(name -> b.add(name, client)));
    return b.build();
  }

  /** Whether the value is absent in effect: empty or only spaces and tabs. */
  static boolean isBlank(String ua) {
    for (int i = 0; i < ua.length(); i++) {
      char c = ua.charAt(i);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * Why the value cannot be a real User-Agent, or {@code null}. Each check is one that no browser,
   * app or honest library fails; see the package documentation for the reasoning.
   */
  static String malformed(String ua) {
    for (int i = 0; i < ua.length(); i++) {
      char c = ua.charAt(i);
      // C0 controls other than tab, and DEL. Bytes 0x80-0x9f are left alone: a UTF-8 app name read
      // as ISO-8859-1 (as servlet containers do) produces them honestly.
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return String.format(Locale.ROOT, "control character U+%04X at position %d", (int) c, i);
      }
    }
    if (ua.length() > MAX_LENGTH) {
      return ua.length() + " characters, more than " + MAX_LENGTH;
    }
    String trimmed = ua.strip();
    if (startsWithIgnoreCase(trimmed, "user-agent:") || trimmed.equalsIgnoreCase("user-agent")
        || trimmed.equalsIgnoreCase("useragent")) {
      return "the header's own name instead of a value";
    }
    int letters = 0;
    while (letters < ua.length() && PhraseMatcher.isLetter(ua.charAt(letters))) {
      letters++;
    }
    boolean mozilla = letters == MOZILLA.length() && ua.regionMatches(true, 0, MOZILLA, 0, letters);
    if (mozilla) {
      return letters < ua.length() && ua.charAt(letters) == '/' ? mozillaVersionProblem(ua, letters + 1) : null;
    }
    if (letters >= MOZILLA.length() - 1 && letters <= MOZILLA.length() + 1) {
      String lead = ua.substring(0, letters);
      if (oneEditApart(lead, MOZILLA)) {
        return "'" + lead + "' imitates 'Mozilla'";
      }
    }
    return null;
  }

  /** Checks the version after a leading {@code Mozilla/}, and that old versions don't claim new browsers. */
  private static String mozillaVersionProblem(String ua, int from) {
    int i = from;
    boolean expectDigit = true;
    while (i < ua.length()) {
      char c = ua.charAt(i);
      if (isDigit(c)) {
        expectDigit = false;
      } else if (c == '.' && !expectDigit) {
        expectDigit = true;
      } else {
        break;
      }
      i++;
    }
    // Digits separated by single dots, not ending in a dot, and no letter glued on: "5.0", "4.08", "5.00".
    if (i == from || expectDigit || (i < ua.length() && PhraseMatcher.isLetter(ua.charAt(i)))) {
      return "Mozilla version '" + printable(ua.substring(from, Math.min(ua.length(), from + 12)))
          + "' is not a number";
    }
    int majorEnd = from;
    while (majorEnd < ua.length() && isDigit(ua.charAt(majorEnd))) {
      majorEnd++;
    }
    if (majorEnd - from == 1 && ua.charAt(from) < '5') {
      String product = mainstreamProduct(ua, "Chrome", "Firefox");
      if (product != null) {
        return "Mozilla/" + ua.charAt(from) + " with " + product + "/: every " + product + " sends Mozilla/5.0";
      }
    }
    return null;
  }

  /** Whether {@code s} becomes {@code target} (lower case) by one insertion, deletion, substitution or swap. */
  static boolean oneEditApart(String s, String target) {
    String a = s.toLowerCase(Locale.ROOT);
    int la = a.length();
    int lb = target.length();
    if (Math.abs(la - lb) > 1) {
      return false;
    }
    int i = 0;
    while (i < la && i < lb && a.charAt(i) == target.charAt(i)) {
      i++;
    }
    if (i == la && i == lb) {
      return false; // equal
    }
    if (la == lb) {
      if (a.substring(i + 1).equals(target.substring(i + 1))) {
        return true; // substitution
      }
      return i + 1 < la && a.charAt(i) == target.charAt(i + 1) && a.charAt(i + 1) == target.charAt(i)
          && a.substring(i + 2).equals(target.substring(i + 2)); // adjacent swap
    }
    return la > lb ? a.substring(i + 1).equals(target.substring(i)) : a.substring(i).equals(target.substring(i + 1));
  }

  /**
   * The first of {@code names}, in the order given, that appears as a product ({@code Name/} followed by
   * a digit, the name not glued to a preceding letter or digit), or {@code null}.
   */
  static String mainstreamProduct(String ua, String... names) {
    int n = Math.min(ua.length(), ScannerSignatures.MAX_SCAN);
    for (String name : names) {
      int from = 0;
      int at;
      while ((at = ua.indexOf(name, from)) >= 0 && at < n) {
        int end = at + name.length();
        if ((at == 0 || !PhraseMatcher.isAlnum(ua.charAt(at - 1))) && end + 1 < n && ua.charAt(end) == '/'
            && isDigit(ua.charAt(end + 1))) {
          return name;
        }
        from = at + 1;
      }
    }
    return null;
  }

  /**
   * The mainstream browser a User-Agent claims to be, or {@code null}: a {@code Mozilla/5.0} value with a
   * Chrome, Firefox, Safari, Edge or Opera product token, from a client that does not say it is a robot or
   * a tool.
   */
  static String claimedBrowser(String ua) {
    if (!startsWithIgnoreCase(ua, "mozilla/5.")) {
      return null;
    }
    String product = mainstreamProduct(ua, BROWSER_PRODUCTS);
    if (product == null) {
      return null;
    }
    int n = Math.min(ua.length(), ScannerSignatures.MAX_SCAN);
    for (String word : AUTOMATION_WORDS) {
      if (containsIgnoreCase(ua, n, word)) {
        return null;
      }
    }
    return switch (product) {
      case "Edg", "Edge", "EdgA", "EdgiOS" -> "Edge";
      case "CriOS", "Chromium" -> "Chrome";
      case "FxiOS" -> "Firefox";
      case "OPR" -> "Opera";
      default -> product;
    };
  }

  /**
   * The HTTP library or command-line client a User-Agent names as a product, or {@code null}. A product
   * is {@code name/version} with the version starting with a digit (or {@code v} and a digit), anywhere
   * in the value; the first word of the value counts even without a version ({@code curl}, {@code got}).
   */
  static String scriptingClient(String ua) {
    int n = Math.min(ua.length(), ScannerSignatures.MAX_SCAN);
    int i = 0;
    while (i < n) {
      char c = ua.charAt(i);
      if (isProductSeparator(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && !isProductSeparator(ua.charAt(i)) && ua.charAt(i) != '/') {
        i++;
      }
      int end = i;
      boolean versioned = i + 1 < n && ua.charAt(i) == '/' && versionStart(ua, i + 1, n);
      boolean first = start == leadingSpaces(ua);
      if ((versioned || (first && (end == n || ua.charAt(end) != '/'))) && end - start <= 40) {
        String client = SCRIPTING_CLIENTS.exact(ua, start, end);
        if (client != null) {
          return client + " (" + printable(ua.substring(start, end)) + ")";
        }
      }
      // Skip the rest of this token, version included.
      while (i < n && !isProductSeparator(ua.charAt(i))) {
        i++;
      }
    }
    return null;
  }

  /** The headless browser a User-Agent names, or {@code null}. */
  static String headless(String ua) {
    PhraseMatcher.Match<String> m = HEADLESS.find(ua);
    return m == null ? null : m.value();
  }

  private static boolean versionStart(String ua, int i, int n) {
    if (isDigit(ua.charAt(i))) {
      return true;
    }
    return (ua.charAt(i) == 'v' || ua.charAt(i) == 'V') && i + 1 < n && isDigit(ua.charAt(i + 1));
  }

  private static int leadingSpaces(String ua) {
    int i = 0;
    while (i < ua.length() && ua.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static boolean isProductSeparator(char c) {
    return c == ' ' || c == '(' || c == ')' || c == ';' || c == ',' || c == '[' || c == ']' || c == '\t';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static boolean containsIgnoreCase(String s, int n, String word) {
    int last = n - word.length();
    for (int i = 0; i <= last; i++) {
      if (s.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** At most 40 characters of {@code s}, with anything outside printable ASCII shown as {@code ?}. */
  /**
   * What an entry keyed by {@code ua} costs a cache: the string as Java holds it (24 bytes and an array
   * of one byte a character when all are Latin-1, two otherwise) and about 160 bytes of cache node, map
   * node, value and table; never less than {@link #CACHE_BYTES} over {@link #CACHE_ENTRIES}.
   */
  static int cacheWeight(String ua) {
    int perChar = 1;
    for (int i = 0; i < ua.length() && perChar == 1; i++) {
      perChar = ua.charAt(i) > 0xFF ? 2 : 1;
    }
    long bytes = 160 + 24 + ((16L + (long) perChar * ua.length() + 7) & ~7L);
    return (int) Math.max(CACHE_BYTES / CACHE_ENTRIES, Math.min(Integer.MAX_VALUE, bytes));
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 41));
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > 40) {
      sb.append('…');
    }
    return sb.toString();
  }
}
