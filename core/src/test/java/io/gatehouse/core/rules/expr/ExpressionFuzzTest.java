package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule expressions, written by the site's owner or pasted from the CDN's dashboard, and the requests they
 * judge, sent by anyone. {@link Expression#compile} may fail only with an {@link ExpressionException}
 * whose column lies inside the text (or one past its end); what compiles must judge any request, a
 * {@link Expression.Context} answering {@code null} everywhere included, without throwing, the same way
 * twice, and {@code not (E)} must judge it the other way; and an {@link Expression.Index} of it must name it
 * for every request it matches.
 *
 * <p>The input's last bytes describe the request; the rest is the expression, so an expression is a
 * seed as it is. The request's strings are picked from the expression's own string literals, so that
 * comparisons can match. {@code core/fuzz.sh expressions} fuzzes this for longer.
 */
class ExpressionFuzzTest {

  private static final String[] ADDRESSES = {"192.0.2.1", "192.0.2.200", "203.0.113.1", "198.51.100.7", "10.1.2.3",
      "2001:db8:1::1", "2001:db8::ffff", "::ffff:192.0.2.1", "0.0.0.0", "255.255.255.255", "::", "ffff::1"};
  private static final String[] STRINGS = {"", "/", "/wp-login.php", "/admin", "/API/x", "a", "A", "%2Fadmin%zz",
      "%C3%A9%ff", "Mozilla/5.0", "sqlmap/1.7", "GET", "POST", "example.com", "\u212a\u017f", "x".repeat(300),
      "\u0000\r\n", "*", "\\"};

  @FuzzTest(maxDuration = "10s")
  @DictionaryFile(resourcePath = "ExpressionFuzzTest.dict")
  void compilesAndJudgesAnyExpression(FuzzedDataProvider data) {
    List<FilledRequest> requests = new ArrayList<>();
    int count = data.consumeInt(1, 3);
    for (int i = 0; i < count; i++) {
      requests.add(request(data));
    }
    String source = data.consumeRemainingAsString();

    Expression e;
    try {
      e = Expression.compile(source, TestLists.STANDARD);
    } catch (ExpressionException ex) {
      assertThat(ex.column()).as("column of %s in %s", ex.problem(), source).isBetween(1, source.length() + 1);
      assertThat(ex.problem()).isNotBlank();
      assertThat(ex.caret(source)).contains("^");
      return;
    }
    assertThat(e.source()).isEqualTo(source);
    Expression negated = compileOrNull("not (" + source + ")");
    List<String> literals = literals(source);
    Expression.Index index = Expression.Index.of(List.of(e));
    for (FilledRequest r : requests) {
      r.fill(literals);
      boolean matches = e.matches(r);
      if (matches) {
        assertThat(index.candidates(r)).as("the index names %s, which matches", source).containsExactly(0);
      }
      assertThat(e.matches(r)).as("%s, judged twice", source).isEqualTo(matches);
      if (negated != null) {
        assertThat(negated.matches(r)).as("not (%s)", source).isEqualTo(!matches);
      }
    }
    boolean overNothing = e.matches(NOTHING);
    if (overNothing) {
      assertThat(index.candidates(NOTHING)).as("the index over nothing names %s", source).containsExactly(0);
    }
    if (negated != null) {
      assertThat(negated.matches(NOTHING)).as("not (%s) over a request of nulls", source).isEqualTo(!overNothing);
    }
  }

  private static Expression compileOrNull(String source) {
    try {
      return Expression.compile(source, TestLists.STANDARD);
    } catch (ExpressionException ex) {
      return null;
    }
  }

  /** A request whose values are chosen now and whose strings are filled in from the expression. */
  private static FilledRequest request(FuzzedDataProvider data) {
    FilledRequest r = new FilledRequest(data.consumeLong());
    r.ip = data.consumeBoolean() ? IpAddress.tryParse(data.pickValue(ADDRESSES)) : null;
    r.asn = data.pickValue(new long[] {0, 64496, 64511, 13335, 4_294_967_295L});
    r.score = data.consumeInt(0, 100);
    r.bot = data.consumeBoolean();
    return r;
  }

  /** The string literals of {@code source}, roughly: whatever stands between double quotes. */
  private static List<String> literals(String source) {
    List<String> out = new ArrayList<>(List.of(STRINGS));
    int i = source.indexOf('"');
    while (i >= 0 && out.size() < 64) {
      int j = source.indexOf('"', i + 1);
      if (j < 0) {
        break;
      }
      out.add(source.substring(i + 1, j));
      i = source.indexOf('"', j + 1);
    }
    return out;
  }

  /** A {@link TestRequest} whose string fields are picked, by a seed from the input, among given values. */
  private static final class FilledRequest extends TestRequest {
    private long seed;

    FilledRequest(long seed) {
      this.seed = seed;
    }

    private String pick(List<String> values) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      return values.get((int) ((seed >>> 33) % values.size()));
    }

    void fill(List<String> values) {
      country = pick(values);
      continent = pick(values);
      method = pick(values);
      path = pick(values);
      query = pick(values);
      set("host", pick(values));
      set("ua", pick(values));
      set("referer", pick(values));
      set("cookie", pick(values));
      for (String name : new String[] {"accept", "x-forwarded-for", "content-type", pick(values)}) {
        int n = (int) ((seed >>> 40) & 3);
        for (int k = 0; k < n; k++) {
          header(name, pick(values));
        }
        seed = seed * 6364136223846793005L + 1442695040888963407L;
      }
    }
  }

  /** A context that answers {@code null} (or nothing) to everything: every value is missing. */
  private static final Expression.Context NOTHING = new Expression.Context() {
    @Override
    public IpAddress clientIp() {
      return null;
    }

    @Override
    public long asn() {
      return 0;
    }

    @Override
    public String country() {
      return null;
    }

    @Override
    public String continent() {
      return null;
    }

    @Override
    public String host() {
      return null;
    }

    @Override
    public String method() {
      return null;
    }

    @Override
    public String uri() {
      return null;
    }

    @Override
    public String path() {
      return null;
    }

    @Override
    public String query() {
      return null;
    }

    @Override
    public String userAgent() {
      return null;
    }

    @Override
    public String referer() {
      return null;
    }

    @Override
    public String cookie() {
      return null;
    }

    @Override
    public List<String> header(String lowerCaseName) {
      return null;
    }

    @Override
    public int threatScore() {
      return 0;
    }

    @Override
    public boolean verifiedBot() {
      return false;
    }
  };
}
