package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import io.gatehouse.core.net.IpAddress;
import io.gatehouse.core.rules.expr.FunctionChecker.Hmac;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * The functions against simple reference implementations: each reference is the obvious, slow way to
 * compute what Cloudflare documents, and the property is that the function agrees with it on any input.
 */
class FunctionProperties {

  // ---------------------------------------------------------------------------------------------------
  // substring, split, join, remove_bytes, remove_query_args

  @Property(tries = 2000)
  void substringTakesTheBytesBetweenTheIndexesCountingNegativeOnesFromTheEnd(
      @ForAll("ascii") String s, @ForAll @IntRange(min = -20, max = 20) int start,
      @ForAll @IntRange(min = -20, max = 20) int end) {
    StringBuilder expected = new StringBuilder();
    int n = s.length();
    int from = start < 0 ? n + start : start;
    int to = end < 0 ? n + end : end;
    for (int i = 0; i < n; i++) {
      if (i >= from && i < to) {
        expected.append(s.charAt(i));
      }
    }
    assertThat(Functions.substring(s, start, end)).isEqualTo(expected.toString());
    StringBuilder rest = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i >= from) {
        rest.append(s.charAt(i));
      }
    }
    assertThat(Functions.substring(s, start, Long.MAX_VALUE)).isEqualTo(rest.toString());
  }

  @Property(tries = 1000)
  void substringCountsUtf8Bytes(@ForAll("text") String s, @ForAll @IntRange(min = -12, max = 12) int start) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int from = Math.max(0, Math.min(b.length, start < 0 ? b.length + start : start));
    byte[] expected = Arrays.copyOfRange(b, from, b.length);
    assertThat(Functions.substring(s, start, Long.MAX_VALUE)).isEqualTo(Text.fromBytes(expected, 0, expected.length));
  }

  @Property(tries = 2000)
  void splitCutsAtEverySeparatorAndKeepsTheRestInTheLastPiece(@ForAll("commas") String s,
      @ForAll("separators") String separator, @ForAll @IntRange(min = 1, max = 128) int limit) {
    List<String> pieces = new ArrayList<>(Arrays.asList(s.split(java.util.regex.Pattern.quote(separator), -1)));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      if (expected.size() < limit - 1 || i == 0 && limit == 1) {
        expected.add(pieces.get(i));
      } else {
        expected.add(String.join(separator, pieces.subList(i, pieces.size())));
        break;
      }
    }
    if (limit == 1) {
      expected = List.of(s);
    }
    assertThat(Functions.split(s, separator, limit)).isEqualTo(expected);
  }

  @Property(tries = 1000)
  void joinUndoesSplit(@ForAll("commas") String s, @ForAll("separators") String separator) {
    assertThat(String.join(separator, Functions.split(s, separator, 128))).isEqualTo(s);
  }

  @Property(tries = 1000)
  void removeBytesDropsEveryByteOfTheSet(@ForAll("ascii") String s, @ForAll @StringLength(max = 4) String drop) {
    String ascii = drop.chars().filter(c -> c < 128).collect(StringBuilder::new, StringBuilder::appendCodePoint,
        StringBuilder::append).toString();
    StringBuilder expected = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (ascii.indexOf(c) < 0) {
        expected.append(c);
      }
    }
    assertThat(Functions.removeBytes(s, ascii.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected.toString());
  }

  @Property(tries = 1000)
  void removeQueryArgsDropsEveryOccurrenceAndKeepsTheOrder(@ForAll("queries") String query,
      @ForAll("names") Set<String> names) {
    List<String> kept = new ArrayList<>();
    for (String piece : query.split("&")) {
      String name = piece.contains("=") ? piece.substring(0, piece.indexOf('=')) : piece;
      if (!piece.isEmpty() && !names.contains(name)) {
        kept.add(piece);
      }
    }
    assertThat(Functions.removeQueryArgs(query, names)).isEqualTo(String.join("&", kept));
  }

  // ---------------------------------------------------------------------------------------------------
  // Base64

  @Property(tries = 1000)
  void encodeBase64IsStandardBase64OfTheUtf8WithoutPaddingByDefault(@ForAll("text") String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    assertThat(Functions.encodeBase64(s, false, false)).isEqualTo(Base64.getEncoder().withoutPadding().encodeToString(b));
    assertThat(Functions.encodeBase64(s, false, true)).isEqualTo(Base64.getEncoder().encodeToString(b));
    assertThat(Functions.encodeBase64(s, true, false))
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  @Property(tries = 1000)
  void decodeBase64UndoesEncodeBase64(@ForAll("text") String s, @ForAll boolean urlSafe, @ForAll boolean padding) {
    assertThat(Functions.decodeBase64(Functions.encodeBase64(s, urlSafe, padding))).isEqualTo(s);
  }

  @Property(tries = 1000)
  void decodeBase64OfAnythingElseIsMissing(@ForAll @StringLength(max = 20) String s) {
    String decoded = Functions.decodeBase64(s);
    if (decoded != null) {
      // Whatever it decodes, it is Base64: encoding the bytes again gives the text, padding aside.
      String canonical = s.replace('-', '+').replace('_', '/').replace("=", "");
      byte[] bytes = Base64.getDecoder().decode(canonical);
      assertThat(Base64.getEncoder().withoutPadding().encodeToString(bytes)).isEqualTo(canonical);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // regex_replace and wildcard_replace

  @Property(tries = 2000)
  void regexReplaceReplacesTheFirstMatchAsJavaDoes(@ForAll("abText") String s, @ForAll("abRegex") String regex) {
    com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(regex);
    Object[] replacement = re2.groupCount() >= 1 ? new Object[] {"<", 1, ">"} : new Object[] {"<>"};
    String javaReplacement = re2.groupCount() >= 1 ? "<$1>" : "<>";
    String expected = java.util.regex.Pattern.compile(regex).matcher(s).replaceFirst(javaReplacement);
    assertThat(Functions.regexReplace(s, re2, replacement)).isEqualTo(expected);
  }

  @Property(tries = 2000)
  void wildcardReplaceCapturesAsALazyRegularExpressionWould(@ForAll("abText") String s,
      @ForAll("abWildcard") String pattern, @ForAll boolean caseSensitive) {
    Wildcard w = Wildcard.compile(pattern, caseSensitive);
    StringBuilder regex = new StringBuilder("^");
    String[] pieces = pattern.split("\\*", -1);
    for (int i = 0; i < pieces.length; i++) {
      if (i > 0) {
        regex.append("(.*?)");
      }
      regex.append(java.util.regex.Pattern.quote(pieces[i]));
    }
    regex.append('$');
    int flags = java.util.regex.Pattern.DOTALL | (caseSensitive ? 0 : java.util.regex.Pattern.CASE_INSENSITIVE);
    Matcher m = java.util.regex.Pattern.compile(regex.toString(), flags).matcher(s);
    Object[] replacement = new Object[2 * w.stars() + 1];
    StringBuilder expected = new StringBuilder();
    boolean matched = m.matches();
    replacement[0] = "[";
    expected.append('[');
    for (int i = 1; i <= w.stars(); i++) {
      replacement[2 * i - 1] = i;
      replacement[2 * i] = i == w.stars() ? "]" : "|";
      if (matched) {
        expected.append(m.group(i)).append(i == w.stars() ? "]" : "|");
      }
    }
    if (w.stars() == 0) {
      replacement[0] = "[]";
      expected.append(']');
    }
    assertThat(Functions.wildcardReplace(s, w, replacement)).isEqualTo(matched ? expected.toString() : s);
  }

  // ---------------------------------------------------------------------------------------------------
  // cidr, JSON, HMAC

  @Property(tries = 2000)
  void cidrKeepsTheNetworkBitsOfTheAddress(@ForAll long hi, @ForAll long lo, @ForAll int v4,
      @ForAll @IntRange(min = 1, max = 32) int v4Bits, @ForAll @IntRange(min = 1, max = 128) int v6Bits) {
    IpAddress a6 = IpAddress.ofV6(hi, lo);
    BigInteger value = new BigInteger(1, a6.toBytes());
    BigInteger mask = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).shiftRight(v6Bits).not();
    assertThat(new BigInteger(1, a6.mask(v6Bits).toBytes())).isEqualTo(value.and(mask).and(
        BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)));
    IpAddress a4 = IpAddress.ofV4(v4);
    long expected = (v4 & 0xFFFFFFFFL) & (0xFFFFFFFFL << (32 - v4Bits)) & 0xFFFFFFFFL;
    assertThat(a4.mask(v4Bits).v4Bits() & 0xFFFFFFFFL).isEqualTo(expected);
  }

  @Property(tries = 1000)
  void lookupJsonFindsEveryLeafOfADocumentAndNothingElse(@ForAll long seed) {
    Random random = new Random(seed);
    Object document = json(random, 0);
    StringBuilder text = new StringBuilder();
    write(document, text, random);
    List<Object[]> paths = new ArrayList<>();
    Map<List<Object>, Object> leaves = new LinkedHashMap<>();
    leaves(document, new ArrayList<>(), leaves);
    for (Map.Entry<List<Object>, Object> leaf : leaves.entrySet()) {
      Object[] path = leaf.getKey().toArray();
      paths.add(path);
      if (leaf.getValue() instanceof String s) {
        assertThat(Json.string(text.toString(), path)).as(text + " at " + leaf.getKey()).isEqualTo(s);
        assertThat(Json.integer(text.toString(), path)).isEqualTo(Nodes.MISSING);
      } else if (leaf.getValue() instanceof Long n) {
        assertThat(Json.integer(text.toString(), path)).as(text + " at " + leaf.getKey()).isEqualTo(n);
        assertThat(Json.string(text.toString(), path)).isNull();
      }
    }
    assertThat(Json.string(text.toString(), new Object[] {"no such key", 99L})).isNull();
    // Cut short, the document is not JSON, and nothing is found in it.
    String cut = text.substring(0, random.nextInt(text.length()));
    for (Object[] path : paths) {
      if (!cut.isBlank() && !cut.strip().equals(text.toString().strip()) && path.length > 0) {
        assertThat(Json.string(cut, path)).as(cut).isNull();
      }
    }
  }

  private static Object json(Random random, int depth) {
    int kind = depth > 3 ? random.nextInt(3) : random.nextInt(5);
    switch (kind) {
      case 0:
        return Arbitraries.strings().withChars("ab\"\\/é\n☁").ofMaxLength(6).generator(1)
            .next(random).value();
      case 1:
        return random.nextBoolean() ? (long) random.nextInt() : random.nextLong();
      case 2:
        return List.of(true, false, "null-word").get(random.nextInt(2)) instanceof Boolean b ? b : null;
      case 3: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.putIfAbsent("k" + random.nextInt(5), json(random, depth + 1));
        }
        return map;
      }
      default: {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(json(random, depth + 1));
        }
        return list;
      }
    }
  }

  private static void write(Object value, StringBuilder out, Random random) {
    String space = random.nextInt(4) == 0 ? " \n\t" : "";
    out.append(space);
    if (value instanceof String s) {
      out.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '/' -> out.append(random.nextBoolean() ? "\\/" : "/");
          default -> out.append(c > 127 && random.nextBoolean() ? String.format(Locale.ROOT, "\\u%04x", (int) c)
              : String.valueOf(c));
        }
      }
      out.append('"');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":");
        write(e.getValue(), out, random);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(list.get(i), out, random);
      }
      out.append(']');
    } else {
      out.append(value);
    }
    out.append(space);
  }

  private static void leaves(Object value, List<Object> path, Map<List<Object>, Object> out) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        List<Object> p = new ArrayList<>(path);
        p.add(e.getKey());
        leaves(e.getValue(), p, out);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        List<Object> p = new ArrayList<>(path);
        p.add((long) i);
        leaves(list.get(i), p, out);
      }
    } else {
      out.put(path, value);
    }
  }

  @Property(tries = 500)
  void aTokenSignedAsCloudflareDocumentsIsValidUntilItExpiresAndOnlyUnchanged(@ForAll("paths") String message,
      @ForAll @IntRange(min = 1_000_000_000, max = 2_000_000_000) int issued, @ForAll @IntRange(max = 100_000) int age,
      @ForAll boolean urlSafe, @ForAll @IntRange(min = 0, max = 5) int tamperAt) throws Exception {
    byte[] key = "a secret of some length".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] digest = mac.doFinal((message + issued).getBytes(StandardCharsets.UTF_8));
    String encoded = urlSafe ? Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
        : java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(digest), StandardCharsets.UTF_8);
    String token = message + "?verify=" + issued + "-" + encoded;
    Hmac hmac = new Hmac(key, 10_800, 8, urlSafe);
    assertThat(Functions.timedHmacValid(hmac, token, (long) issued + age)).isEqualTo(age < 10_800);
    // The separator is not signed, as Cloudflare documents; the message, the timestamp and the MAC are.
    char[] tampered = token.toCharArray();
    int stamp = message.length() + "?verify=".length();
    int at = switch (tamperAt % 3) {
      case 0 -> tamperAt % message.length();
      case 1 -> stamp + tamperAt;
      default -> stamp + 11 + 10 + tamperAt;
    };
    tampered[at] = tampered[at] == '1' ? '2' : tampered[at] == 'A' ? 'B' : Character.isDigit(tampered[at]) ? '1' : 'A';
    assertThat(Functions.timedHmacValid(hmac, new String(tampered), issued)).isFalse();
    assertThat(Functions.timedHmacValid(new Hmac("another key".getBytes(StandardCharsets.UTF_8), 10_800, 8, urlSafe),
        token, issued)).isFalse();
  }

  // ---------------------------------------------------------------------------------------------------
  // Literals and derived fields

  @Property(tries = 1000)
  void integerLiteralsReadHexadecimalAndOctalAsWirefilterDoes(@ForAll @IntRange(min = 0) int n) {
    assertThat(Lexer.integerValue("0x" + Integer.toHexString(n))).isEqualTo(n);
    assertThat(Lexer.integerValue("0" + Integer.toOctalString(n))).isEqualTo(n);
    assertThat(Lexer.integerValue(Integer.toString(n).equals("0") ? "0" : Integer.toString(n))).isEqualTo(n);
  }

  @Property(tries = 1000)
  void escapedBytesReadAsTheBytesTheyName(@ForAll byte[] bytes, @ForAll boolean octal) throws ExpressionException {
    StringBuilder source = new StringBuilder("\"");
    for (byte b : bytes) {
      source.append(octal ? String.format(Locale.ROOT, "\\%03o", b & 0xFF) : String.format(Locale.ROOT, "\\x%02x", b & 0xFF));
    }
    source.append('"');
    Lexer lexer = new Lexer(source.toString());
    assertThat(lexer.stringAt(0).value()).isEqualTo(Text.fromBytes(bytes, 0, bytes.length));
  }

  @Property(tries = 1000)
  void acceptedLanguagesAreSortedByWeightKeepingTheOrderOfEqualOnes(@ForAll("languages") List<String[]> tags) {
    StringBuilder header = new StringBuilder();
    List<String[]> expected = new ArrayList<>();
    for (String[] t : tags) {
      header.append(header.length() == 0 ? "" : ", ").append(t[0]).append(t[1].isEmpty() ? "" : ";q=" + t[1]);
      double w = t[1].isEmpty() ? 1 : Double.parseDouble(t[1]);
      if (!t[0].equals("*") && w > 0) {
        expected.add(new String[] {t[0], Double.toString(w)});
      }
    }
    List<String[]> sorted = new ArrayList<>(expected);
    sorted.sort((a, b) -> Double.compare(Double.parseDouble(b[1]), Double.parseDouble(a[1])));
    assertThat(Derived.languages(List.of(header.toString()))).isEqualTo(sorted.stream().map(t -> t[0]).toList());
  }

  @Property(tries = 2000)
  void aNormalisedPathIsNormalisedAlready(@ForAll("rawPaths") String raw) {
    String once = RequestFacts.normalizePath(raw);
    assertThat(RequestFacts.normalizePath(once)).as(raw).isEqualTo(once);
    assertThat(once).doesNotContain("//").doesNotContain("\\").doesNotContain("/./").doesNotContain("/../");
  }

  // ---------------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<String> ascii() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(16);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withChars("aZ09 -_+/=é☁€\u0000\u007f").withCharRange('\u0080', '\u00ff')
        .ofMaxLength(16);
  }

  @Provide
  Arbitrary<String> commas() {
    return Arbitraries.strings().withChars("ab,;").ofMaxLength(20);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of(",", ";", ",,", "ab", "a,");
  }

  @Provide
  Arbitrary<String> queries() {
    return Arbitraries.strings().withChars("ab=&c").ofMaxLength(20);
  }

  @Provide
  Arbitrary<Set<String>> names() {
    return Arbitraries.of("a", "b", "ab", "c", "").set().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<String> abText() {
    return Arbitraries.strings().withChars("abAB/").ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> abRegex() {
    return Arbitraries.of("a", "b", "ab", "a+", "(a|b)", "(a+)b", "^a", "b$", "(ab)+", "a*", "(b*)", ".", "(.)a",
        "[ab]+", "(?i)A", "^$");
  }

  @Provide
  Arbitrary<String> abWildcard() {
    return Arbitraries.strings().withChars("abA/*").ofMaxLength(8).filter(p -> !p.contains("**"));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.strings().withChars("abc/.-_~").ofMinLength(1).ofMaxLength(20).map(p -> "/" + p);
  }

  @Provide
  Arbitrary<List<String[]>> languages() {
    Arbitrary<String> tag = Arbitraries.of("en", "fr-CH", "de", "*", "pt-BR", "zh");
    Arbitrary<String> weight = Arbitraries.of("", "1", "0.9", "0.5", "0.55", "0", "0.001");
    return net.jqwik.api.Combinators.combine(tag, weight).as((t, w) -> new String[] {t, w}).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> rawPaths() {
    return Arbitraries.strings().withChars("/\\.a%2eEf7").ofMaxLength(20);
  }
}
