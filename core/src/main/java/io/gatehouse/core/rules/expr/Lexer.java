package io.gatehouse.core.rules.expr;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IpAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A cursor over the expression source with the token readers the {@link Parser} calls. Which token comes
 * next depends on what the parser expects ({@code fe80::1} is an address after <code>ip.src in {</code>, a
 * field name nowhere), so the parser drives the lexer rather than reading a token stream.
 *
 * <p>It also says what stands at a position, for the messages of the parser and of the {@link Checker}:
 * those readers leave the cursor where it is.
 *
 * <p>Not thread-safe; one per compilation.
 */
final class Lexer {

  /** The words of the language, which can be neither a field nor a function. */
  static final Set<String> KEYWORDS = keywords();

  /** A string literal: its value and the span of its source text. */
  record Literal(String value, int start, int end) {}

  final String src;
  int pos;

  Lexer(String src) {
    this.src = src;
  }

  private static Set<String> keywords() {
    Set<String> words = new HashSet<>();
    words.add("not");
    for (LogicalOp op : LogicalOp.values()) {
      words.add(op.word);
    }
    for (ComparisonOp op : ComparisonOp.values()) {
      words.add(op.word);
    }
    return Set.copyOf(words);
  }

  /** A hint for operators written in capitals ({@code AND}), which the language does not accept. */
  static String keywordHint(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (!word.equals(lower) && KEYWORDS.contains(lower)) {
      return "; operators are written in lower case: '" + lower + "'";
    }
    return "";
  }

  static ExpressionException error(int at, String problem) {
    return new ExpressionException(at + 1, problem);
  }

  void skipSpace() {
    pos = spaceEnd(pos);
  }

  /** Where the spaces, tabs and line breaks from {@code at} end. */
  int spaceEnd(int at) {
    int end = at;
    while (end < src.length()) {
      char c = src.charAt(end);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      end++;
    }
    return end;
  }

  boolean atEnd() {
    return pos >= src.length();
  }

  /** The character at the cursor, or 0 at the end. */
  char peek() {
    return pos < src.length() ? src.charAt(pos) : 0;
  }

  char peek(int ahead) {
    return pos + ahead < src.length() ? src.charAt(pos + ahead) : 0;
  }

  static boolean isIdentStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || c >= '0' && c <= '9' || c == '.';
  }

  /** Characters of a bare value: integers, ranges, addresses and networks. */
  static boolean isWordPart(char c) {
    return isIdentPart(c) || c == ':' || c == '/' || c == '-';
  }

  /** List names: letters, digits, {@code _} and {@code -}, and dots so that {@code $cf.malware} reads whole. */
  static boolean isListNamePart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.';
  }

  /** Reads a field, function or keyword name at the cursor, or returns {@code null}. */
  String readIdent() {
    if (pos >= src.length() || !isIdentStart(src.charAt(pos))) {
      return null;
    }
    int start = pos;
    while (pos < src.length() && isIdentPart(src.charAt(pos))) {
      pos++;
    }
    return src.substring(start, pos);
  }

  /** The name at {@code at}, or {@code ""}. */
  String identAt(int at) {
    if (at >= src.length() || !isIdentStart(src.charAt(at))) {
      return "";
    }
    int end = at;
    while (end < src.length() && isIdentPart(src.charAt(end))) {
      end++;
    }
    return src.substring(at, end);
  }

  /** Consumes {@code keyword} when it stands at the cursor as a whole word. */
  boolean acceptKeyword(String keyword) {
    int end = pos + keyword.length();
    if (src.startsWith(keyword, pos) && (end == src.length() || !isIdentPart(src.charAt(end)))) {
      pos += keyword.length();
      return true;
    }
    return false;
  }

  boolean acceptSymbol(String symbol) {
    if (src.startsWith(symbol, pos)) {
      pos += symbol.length();
      return true;
    }
    return false;
  }

  /** The bare value at {@code at}: a maximal run of {@link #isWordPart} characters, possibly empty. */
  String wordAt(int at) {
    int end = at;
    while (end < src.length() && isWordPart(src.charAt(end))) {
      end++;
    }
    return src.substring(at, end);
  }

  String listNameAt(int at) {
    int end = at;
    while (end < src.length() && isListNamePart(src.charAt(end))) {
      end++;
    }
    return src.substring(at, end);
  }

  boolean atStringStart() {
    return isStringStart(pos);
  }

  boolean isStringStart(int at) {
    if (at >= src.length()) {
      return false;
    }
    if (src.charAt(at) == '"') {
      return true;
    }
    if (src.charAt(at) != 'r') {
      return false;
    }
    int i = at + 1;
    while (i < src.length() && src.charAt(i) == '#') {
      i++;
    }
    return i < src.length() && src.charAt(i) == '"';
  }

  /** Reads a string literal at the cursor and moves past it; see {@link #stringAt}. */
  Literal readString() throws ExpressionException {
    Literal lit = stringAt(pos);
    pos = lit.end();
    return lit;
  }

  /** Reads a regular expression after {@code matches} at the cursor and moves past it; see {@link #regexAt}. */
  Literal readRegex() throws ExpressionException {
    Literal lit = regexAt(pos);
    pos = lit.end();
    return lit;
  }

  /**
   * The string literal at {@code start}: {@code "..."} with the escapes {@code \"}, {@code \\}, {@code \xHH}
   * (a byte in hexadecimal) and {@code \NNN} (a byte in octal), as wirefilter reads them, or a raw string
   * {@code r"..."}, {@code r#"..."#}, with as many {@code #} as needed. Bytes written as escapes are read
   * with the text around them as UTF-8, a byte that is not part of valid UTF-8 as the character with its
   * value, as {@code url_decode()} does. How long it may be is the checker's business.
   */
  Literal stringAt(int start) throws ExpressionException {
    String value;
    int end;
    if (src.charAt(start) == '"') {
      StringBuilder sb = new StringBuilder();
      java.io.ByteArrayOutputStream bytes = null;
      int i = start + 1;
      while (true) {
        if (i >= src.length()) {
          throw error(start, "the string starting here is not closed with '\"'");
        }
        char c = src.charAt(i);
        if (c == '"') {
          i++;
          break;
        }
        if (c == '\\') {
          if (i + 1 >= src.length()) {
            throw error(start, "the string starting here is not closed with '\"'");
          }
          char next = src.charAt(i + 1);
          if (next == '"' || next == '\\') {
            sb.append(next);
            i += 2;
            continue;
          }
          int b;
          if (next == 'x') {
            b = escapedByte(i, i + 2, 2, 16);
            i += 4;
          } else if (next >= '0' && next <= '7') {
            b = escapedByte(i, i + 1, 3, 8);
            i += 4;
          } else {
            throw error(i, "unknown escape '\\" + next + "' in a string; the escapes are \\\", \\\\, \\xHH and"
                + " \\NNN in octal (or use a raw string r\"...\")");
          }
          if (bytes == null) {
            bytes = new java.io.ByteArrayOutputStream();
          }
          byte[] before = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          bytes.write(before, 0, before.length);
          sb.setLength(0);
          bytes.write(b);
          continue;
        }
        sb.append(c);
        i++;
      }
      if (bytes != null) {
        byte[] after = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes.write(after, 0, after.length);
        byte[] all = bytes.toByteArray();
        value = Text.fromBytes(all, 0, all.length);
      } else {
        value = sb.toString();
      }
      end = i;
    } else {
      int i = start + 1;
      while (src.charAt(i) == '#') {
        i++;
      }
      String closing = "\"" + src.substring(start + 1, i);
      int contentStart = i + 1;
      int close = src.indexOf(closing, contentStart);
      if (close < 0) {
        throw error(start, "the raw string starting here is not closed with '" + closing + "'");
      }
      value = src.substring(contentStart, close);
      end = close + closing.length();
    }
    return new Literal(value, start, end);
  }

  /** The byte of the escape at {@code escape} whose {@code count} digits in {@code radix} start at {@code digits}. */
  private int escapedByte(int escape, int digits, int count, int radix) throws ExpressionException {
    int shownEnd = digits;
    while (shownEnd < Math.min(src.length(), digits + count) && src.charAt(shownEnd) != '"') {
      shownEnd++;
    }
    String written = src.substring(escape, shownEnd);
    int value = 0;
    for (int k = 0; k < count; k++) {
      int d = digits + k < src.length() && src.charAt(digits + k) < 128 ? Character.digit(src.charAt(digits + k), radix) : -1;
      if (d < 0) {
        throw error(escape, radix == 16 ? "the escape '" + written + "' needs two hexadecimal digits, as in \\x2e"
            : "the escape '" + written + "' needs three octal digits, as in \\056");
      }
      value = value * radix + d;
    }
    if (value > 0xFF) {
      throw error(escape, "the escape '" + written + "' is more than a byte; the largest is \\377");
    }
    return value;
  }

  /**
   * The quoted regular expression at {@code start}, read as wirefilter reads one after {@code matches}: a
   * backslash and the character after it pass to the regular expression unchanged ({@code "\.php$"} is the
   * regex {@code \.php$}, as Cloudflare's documentation writes it), except that {@code \"} outside a
   * character class stands for a quote; inside {@code [...]} a quote does not end the string. Raw strings
   * are read as usual.
   */
  Literal regexAt(int start) throws ExpressionException {
    if (src.charAt(start) != '"') {
      return stringAt(start);
    }
    StringBuilder sb = new StringBuilder();
    boolean inClass = false;
    int i = start + 1;
    while (true) {
      if (i >= src.length()) {
        throw error(start, "the string starting here is not closed with '\"'");
      }
      char c = src.charAt(i);
      if (c == '\\') {
        if (i + 1 >= src.length()) {
          throw error(start, "the string starting here is not closed with '\"'");
        }
        char next = src.charAt(i + 1);
        if (inClass || next != '"') {
          sb.append('\\');
        }
        sb.append(next);
        i += 2;
        continue;
      }
      i++;
      if (c == '"' && !inClass) {
        break;
      }
      if (c == '[' && !inClass) {
        inClass = true;
      } else if (c == ']' && inClass) {
        inClass = false;
      }
      sb.append(c);
    }
    return new Literal(sb.toString(), start, i);
  }

  /** The source text of a span, shortened for messages. */
  String shown(int start, int end) {
    String s = src.substring(start, end);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** What stands at {@code at}, for "found ..." in messages. */
  String describe(int at) {
    if (at >= src.length()) {
      return "the end of the expression";
    }
    char c = src.charAt(at);
    if (isStringStart(at)) {
      try {
        Literal lit = stringAt(at);
        return "the string " + shown(lit.start(), lit.end());
      } catch (ExpressionException e) {
        return "an unclosed string";
      }
    }
    if (c == '{') {
      return "a set";
    }
    if (c == '$') {
      return "the list $" + listNameAt(at + 1);
    }
    if (isWordPart(c)) {
      String w = wordAt(at);
      String shownWord = w.length() > 60 ? w.substring(0, 57) + "..." : w;
      if (isInteger(w)) {
        return "the integer " + shownWord;
      }
      if (Fields.get(w) != null) {
        return "the field " + w;
      }
      if (IpAddress.tryParse(w) != null) {
        return "the IP address " + w;
      }
      if (w.indexOf('/') > 0 && IpAddress.tryParse(w.substring(0, w.indexOf('/'))) != null) {
        try {
          Cidr.parse(w);
          return "the network " + w;
        } catch (IllegalArgumentException e) {
          return "'" + shownWord + "'";
        }
      }
      return "'" + shownWord + "'";
    }
    if (Character.isISOControl(c)) {
      return String.format("the control character U+%04X", (int) c);
    }
    return "'" + src.substring(at, at + Character.charCount(src.codePointAt(at))) + "'";
  }

  /**
   * Whether {@code w} is written as an integer, as wirefilter writes one: decimal digits, optionally after a
   * minus sign, or hexadecimal after {@code 0x}. Digits after a leading {@code 0} are octal, which
   * {@link #integerValue} checks.
   */
  static boolean isInteger(String w) {
    if (w.startsWith("0x") && w.length() > 2) {
      for (int i = 2; i < w.length(); i++) {
        if (Character.digit(w.charAt(i), 16) < 0) {
          return false;
        }
      }
      return true;
    }
    int i = w.startsWith("-") ? 1 : 0;
    if (i == w.length()) {
      return false;
    }
    for (; i < w.length(); i++) {
      if (w.charAt(i) < '0' || w.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of an integer {@link #isInteger} accepts, read as wirefilter reads it: {@code 0x1F} is
   * hexadecimal, {@code 017} octal (15), anything else decimal.
   *
   * @throws IllegalArgumentException saying why {@code w} is no integer in range
   */
  static long integerValue(String w) {
    int radix = 10;
    String digits = w;
    if (w.startsWith("0x")) {
      radix = 16;
      digits = w.substring(2);
    } else if (w.length() > 1 && w.charAt(0) == '0') {
      radix = 8;
      digits = w.substring(1);
      for (int i = 0; i < digits.length(); i++) {
        if (digits.charAt(i) > '7') {
          throw new IllegalArgumentException("the integer " + w + " starts with 0, which makes it octal, and "
              + digits.charAt(i) + " is not an octal digit");
        }
      }
    }
    try {
      long value = Long.parseLong(digits, radix);
      if (value != Nodes.MISSING) {
        return value;
      }
    } catch (NumberFormatException e) {
      // out of range: reported below
    }
    throw new IllegalArgumentException("the integer " + w + " is out of range");
  }

  /** Whether {@code w} looks like an attempt at an address or network, to explain why it is not one. */
  static boolean looksLikeAddress(String w) {
    if (w.isEmpty() || w.indexOf('.') < 0 && w.indexOf(':') < 0) {
      return false;
    }
    char c = w.charAt(0);
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':';
  }
}
