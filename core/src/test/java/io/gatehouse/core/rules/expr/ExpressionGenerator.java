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
      "http.user_agent", "http.referer", "http.cookie", "ip.geoip.country", "ip.geoip.continent");
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
      case 3 -> pick(List.of("cf.client.bot", "cf.bot_management.verified_bot",
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
    String header = "http.request.headers[\"" + pick(HEADERS) + "\"][*]";
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
    return switch (choice) {
      case 0, 1 -> base;
      case 2 -> "lower(" + stringOperand(depth - 1, element) + ")";
      case 3 -> "upper(" + stringOperand(depth - 1, element) + ")";
      case 4 -> "url_decode(" + stringOperand(depth - 1, element) + pick(List.of("", ", \"r\"", ", \"u\"", ", \"ru\""))
          + ")";
      default -> "lower(" + stringOperand(depth - 1, element) + ")" + (element != null ? "[*]" : "");
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
    String operand = switch (random.nextInt(4)) {
      case 0 -> "cf.threat_score";
      case 1 -> pick(List.of("ip.src.asnum", "ip.geoip.asnum"));
      case 2 -> "len(" + stringOperand(1, null) + ")";
      default -> "len(http.request.headers[\"" + pick(HEADERS) + "\"])";
    };
    return operand + " " + switch (random.nextInt(4)) {
      case 0, 1 -> join(pick(ORDER_OPS), Integer.toString(random.nextInt(60) - 5));
      case 2 -> "in {" + random.nextInt(10) + " " + random.nextInt(20) + ".." + (20 + random.nextInt(100)) + "}";
      default -> "in $bad_asns";
    };
  }

  private String ipComparison() {
    return "ip.src " + switch (random.nextInt(4)) {
      case 0 -> pick(ORDER_OPS) + " " + pick(List.of("192.0.2.1", "2001:db8::1", "::ffff:10.0.0.1", "0.0.0.0"));
      case 1 -> "in {" + pick(ADDRESSES) + " " + pick(ADDRESSES) + "}";
      case 2 -> "in " + pick(List.of("$office_ranges", "$blocked_ips"));
      default -> "in {" + pick(ADDRESSES) + "}";
    };
  }
}
