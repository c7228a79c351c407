package io.gatehouse.core.rules.expr;

import java.util.List;
import java.util.Random;

/**
 * Random expressions from a small grammar that covers every construct of the language: all fields, all
 * operators in both spellings, every function, sets, ranges, lists of {@link TestLists#STANDARD},
 * indexes and {@code any()}/{@code all()}. Every expression it writes compiles.
 */
final class ExpressionGenerator {

  private static final List<String> STRING_FIELDS = List.of("ip.src.country", "ip.src.continent", "http.host",
      "http.request.method", "http.request.uri", "http.request.uri.path", "http.request.uri.query",
      "http.user_agent", "http.referer", "http.cookie", "ip.geoip.country", "ip.geoip.continent",
      "http.request.full_uri", "raw.http.request.uri", "raw.http.request.uri.path",
      "raw.http.request.uri.query", "raw.http.request.full_uri", "http.x_forwarded_for", "http.request.version",
      "cf.ray_id", "ip.src.city", "ip.src.region", "ip.src.region_code", "ip.src.subdivision_1_iso_code",
      "ip.src.postal_code", "ip.src.lat", "ip.src.lon", "ip.src.metro_code", "ip.geoip.city", "cf.verified_bot_category",
      "http.request.body.raw", "http.request.body.mime");
  /** Arrays to iterate, each written so that {@code [*]} follows. */
  private static final List<String> ARRAYS = List.of("http.request.uri.args.names", "http.request.uri.args.values",
      "http.request.uri.args[\"q\"]", "http.request.headers.names", "http.request.headers.values",
      "http.request.cookies[\"session\"]", "http.request.accepted_languages", "http.request.body.form.values",
      "http.request.body.form[\"user\"]", "http.request.body.multipart.values", "split(http.host, \",\", 3)",
      "concat(http.request.headers[\"x\"], http.request.headers[\"accept\"])");
  private static final List<String> BOOLEANS = List.of("ssl", "cf.bot_management.static_resource",
      "ip.src.is_in_european_union", "http.request.body.truncated", "http.request.headers.truncated",
      "cf.tls_client_auth.cert_presented", "cf.tls_client_auth.cert_verified",
      "http.request.uri.path.extension in {\"php\" \"\"}", "lower(http.request.uri.path.extension) contains \"p\"",
      "is_timed_hmac_valid_v0(\"downloads\", http.request.uri, 10800, http.request.timestamp.sec, 8)",
      "is_timed_hmac_valid_v0(\"k\", concat(http.request.uri.path, http.request.headers[\"x\"][0]), 60,"
          + " http.request.timestamp.sec, 0, \"s\")");
  private static final List<String> HEADERS = List.of("x", "accept", "x-forwarded-for", "cookie", "user-agent");
  private static final List<String> STRING_OPS =
      List.of("eq", "==", "ne", "!=", "lt", "<", "le", "<=", "gt", ">", "ge", ">=", "contains");
  private static final List<String> ORDER_OPS =
      List.of("eq", "==", "ne", "!=", "lt", "<", "le", "<=", "gt", ">", "ge", ">=");
  private static final List<String> LITERALS = List.of("\"\"", "\"a\"", "\"/admin\"", "\"%\"", "\"%2e%2E\"",
      "\"\\\"\"", "\"\\\\\"", "r\"\\x\"", "r#\"\"q\"\"#", "\"é☁😀\"", "\"\t\"", "\"GET\"", "\"*\"", "\"<script\"");
  private static final List<String> REGEXES = List.of("\"\"", "\"(?i)sqlmap|nikto\"", "\"^/api/\"", "\"\\d+$\"",
      "\"(a+)+$\"", "r\"[\\x00-\\x1f]\"", "\"\\p{Greek}\"", "\"(?s).*\\.php\"", "\"[\\\"]\"", "\"^$\"");
  private static final List<String> WILDCARDS = List.of("\"\"", "\"*\"", "\"*.example.com\"", "\"/a/*/c\"",
      "\"\\\\*\"", "r\"a\\\\b*\"", "\"*a*b*\"", "\"%*\"");
  private static final List<String> ADDRESSES = List.of("192.0.2.1", "10.0.0.0/8", "2001:db8::/32", "::1",
      "0.0.0.0/0", "::/0", "198.51.100.0/24", "192.0.2.10..192.0.2.20", "::ffff:192.0.2.0/120", "fe80::/10");

  private final Random random;
  private int quantifierDepth;
  /** Cloudflare allows one regex_replace() or wildcard_replace() in an expression. */
  private boolean replaced;

  ExpressionGenerator(Random random) {
    this.random = random;
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** What separates {@code op} from {@code next}: sometimes nothing, where the two cannot run together. */
  private String join(String op, String next) {
    boolean wordy = Character.isLetter(op.charAt(op.length() - 1))
        && (Character.isLetterOrDigit(next.charAt(0)) || next.charAt(0) == '-' || next.charAt(0) == '$');
    String gap = random.nextInt(8) == 0 && !wordy ? "" : random.nextInt(10) == 0 ? "\n  " : " ";
    return op + gap + next;
  }

  /** A condition nested at most {@code depth} more levels. */
  String condition(int depth) {
    int choice = random.nextInt(depth >= 4 ? 4 : 9);
    return switch (choice) {
      case 0 -> stringComparison(stringOperand(2, null));
      case 1 -> integerComparison();
      case 2 -> ipComparison();
      case 3 -> pick(List.of("cf.client.bot", "cf.bot_management.verified_bot", pick(BOOLEANS), pick(BOOLEANS),
          "starts_with(" + stringOperand(1, null) + ", " + pick(LITERALS) + ")",
          "ends_with(" + stringOperand(1, null) + ", " + pick(LITERALS) + ")"));
      case 4 -> pick(List.of("not ", "!", "! ")) + maybeParens(condition(depth + 1));
      case 5 -> "(" + condition(depth + 1) + ")";
      case 6 -> condition(depth + 1) + " " + pick(List.of("and", "&&", "or", "||", "xor", "^^")) + " "
          + condition(depth + 1);
      case 7 -> quantifier(depth);
      default -> condition(depth + 1) + " " + pick(List.of("and", "or")) + " " + condition(depth + 1) + " "
          + pick(List.of("and", "or", "xor")) + " " + condition(depth + 1);
    };
  }

  private String maybeParens(String condition) {
    return "(" + condition + ")";
  }

  private String quantifier(int depth) {
    if (quantifierDepth > 1) {
      return "cf.client.bot";
    }
    quantifierDepth++;
    String header = (random.nextInt(3) == 0 ? pick(ARRAYS) : "http.request.headers[\"" + pick(HEADERS) + "\"]")
        + "[*]";
    String element = random.nextBoolean() ? header : stringOperand(1, header);
    String predicate = stringComparison(element);
    if (random.nextInt(3) == 0) {
      predicate = predicate + " " + pick(List.of("and", "or")) + " " + stringComparison(header);
    }
    if (random.nextInt(4) == 0) {
      predicate = "not (" + predicate + ")";
    }
    if (random.nextInt(5) == 0 && depth < 3) {
      predicate = predicate + " and " + condition(depth + 1);
    }
    quantifierDepth--;
    return pick(List.of("any", "all")) + "(" + predicate + ")";
  }

  /** A String value; {@code element}, when given, is a {@code [*]} operand to build on. */
  private String stringOperand(int depth, String element) {
    int choice = random.nextInt(depth <= 0 ? 2 : 6);
    String base = element != null ? element : random.nextInt(4) == 0
        ? "http.request.headers[\"" + pick(HEADERS) + "\"][" + random.nextInt(3) + "]"
        : pick(STRING_FIELDS);
    if (depth > 0 && random.nextInt(4) == 0) {
      return function(depth, element, base);
    }
    return switch (choice) {
      case 0, 1 -> base;
      case 2 -> "lower(" + stringOperand(depth - 1, element) + ")";
      case 3 -> "upper(" + stringOperand(depth - 1, element) + ")";
      case 4 -> "url_decode(" + stringOperand(depth - 1, element) + pick(List.of("", ", \"r\"", ", \"u\"", ", \"ru\""))
          + ")";
      default -> "lower(" + stringOperand(depth - 1, element) + ")" + (element != null ? "[*]" : "");
    };
  }

  /** One of the functions that make a String, over {@code base} or an operand built on {@code element}. */
  private String function(int depth, String element, String base) {
    String inner = stringOperand(depth - 1, element);
    int choice = random.nextInt(replaced ? 10 : 12);
    if (element != null && (choice == 7 || choice == 8)) {
      choice = random.nextInt(7); // these read no element, and the condition must read one
    }
    return switch (choice) {
      case 0 -> "concat(" + inner + ", " + pick(LITERALS) + ", " + pick(STRING_FIELDS) + ")";
      case 1 -> "decode_base64(" + inner + ")";
      case 2 -> "encode_base64(" + inner + pick(List.of("", ", \"u\"", ", \"p\"", ", \"up\"")) + ")";
      case 3 -> "substring(" + inner + ", " + (random.nextInt(9) - 4) + pick(List.of("", ", 3", ", -1", ", 100")) + ")";
      case 4 -> "remove_bytes(" + inner + ", " + pick(List.of("\"\\x2e\"", "\"/\"", "\"\\377a\"", "\"\"")) + ")";
      case 5 -> "lookup_json_string(" + inner + ", " + pick(List.of("\"a\"", "0", "\"a\", 1", "1, \"b\"")) + ")";
      case 6 -> "join(split(" + inner + ", " + pick(List.of("\",\"", "\"%\"", "\"ab\"")) + ", " + (1 + random.nextInt(128))
          + "), \"|\")";
      case 7 -> "to_string(" + pick(List.of("cf.threat_score", "ssl", "ip.src", "cidr(ip.src, 24, 64)",
          "cf.bot_management.score", "lookup_json_integer(http.request.body.raw, \"n\")")) + ")";
      case 8 -> "remove_query_args(" + pick(List.of("http.request.uri.query", "raw.http.request.uri.query")) + ", \"a\""
          + pick(List.of("", ", \"b\"")) + ")";
      case 9 -> base;
      case 10 -> {
        replaced = true;
        yield "regex_replace(" + inner + ", " + pick(List.of("\"(a+)(b)\"", "\"^(/)\"", "\"(?u)(\\\\p{L})\"")) + ", "
            + pick(List.of("\"${1}\"", "\"$$\"", "\"x\"")) + ")";
      }
      default -> {
        replaced = true;
        yield "wildcard_replace(" + inner + ", " + pick(List.of("\"*\"", "\"/*/*\"", "\"*a*\"")) + ", \"${1}\""
            + pick(List.of("", ", \"s\"")) + ")";
      }
    };
  }

  private String stringComparison(String operand) {
    return operand + " " + switch (random.nextInt(7)) {
      case 0, 1 -> join(pick(STRING_OPS), pick(LITERALS));
      case 2 -> join(pick(List.of("matches", "~")), pick(REGEXES));
      case 3 -> join(pick(List.of("wildcard", "strict wildcard")), pick(WILDCARDS));
      case 4 -> join("in", "{" + pick(LITERALS) + " " + pick(LITERALS) + "}");
      case 5 -> "in " + pick(List.of("$bad_hosts", "$admin_paths"));
      default -> join("contains", pick(LITERALS));
    };
  }

  private String integerComparison() {
    String operand = switch (random.nextInt(5)) {
      case 4 -> pick(List.of("cf.bot_management.score", "cf.edge.server_port", "http.request.timestamp.sec",
          "http.request.timestamp.msec", "http.request.body.size", "lookup_json_integer(http.request.body.raw, \"n\")",
          "len(http.request.uri.args.names)", "len(http.request.body.multipart.names)", "len(split(http.host, \".\", 8))"));
      case 0 -> "cf.threat_score";
      case 1 -> pick(List.of("ip.src.asnum", "ip.geoip.asnum"));
      case 2 -> "len(" + stringOperand(1, null) + ")";
      default -> "len(http.request.headers[\"" + pick(HEADERS) + "\"])";
    };
    return operand + " " + switch (random.nextInt(5)) {
      case 4 -> pick(List.of("& 0x01", "bitwise_and 6", "& 017", "eq 0x1F"));
      case 0, 1 -> join(pick(ORDER_OPS), Integer.toString(random.nextInt(60) - 5));
      case 2 -> "in {" + random.nextInt(10) + " " + random.nextInt(20) + ".." + (20 + random.nextInt(100)) + "}";
      default -> "in $bad_asns";
    };
  }

  private String ipComparison() {
    return pick(List.of("ip.src", "ip.src", "cidr(ip.src, 24, 64)", "cidr6(ip.src, 48)", "cf.edge.server_ip")) + " "
        + switch (random.nextInt(4)) {
      case 0 -> pick(ORDER_OPS) + " " + pick(List.of("192.0.2.1", "2001:db8::1", "::ffff:10.0.0.1", "0.0.0.0"));
      case 1 -> "in {" + pick(ADDRESSES) + " " + pick(ADDRESSES) + "}";
      case 2 -> "in " + pick(List.of("$office_ranges", "$blocked_ips"));
      default -> "in {" + pick(ADDRESSES) + "}";
    };
  }
}
