package io.gatehouse.core.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DecodeCacheTest {

  @Test
  void aValueWithNothingToDecodeIsReturnedAsItIs() {
    String path = "/products/123";
    assertThat(DecodeCache.urlDecode(path, true, true)).isSameAs(path);
  }

  @Test
  void shortAndLongValuesAreLookedThroughAlike() {
    String clean = "/a/long/path/with/nothing/to/decode/in/it";
    assertThat(DecodeCache.urlDecode(clean, false, false)).isSameAs(clean);
    for (String v : List.of("%41", "a+b", "x".repeat(40) + "%41", "x".repeat(40) + "+", "+" + "x".repeat(40))) {
      assertThat(DecodeCache.urlDecode(v, false, false)).as(v).isEqualTo(Text.urlDecode(v, false, false))
          .isNotEqualTo(v);
    }
  }

  @Test
  void theSameValueIsDecodedOnceAndTheResultReused() {
    String path = "/caf%C3%A9/%2e%2e/a+b";
    String first = DecodeCache.urlDecode(path, false, false);
    assertThat(first).isEqualTo("/café/../a b");
    assertThat(DecodeCache.urlDecode(path, false, false)).isSameAs(first);
  }

  @Test
  void eachCombinationOfOptionsKeepsItsOwnResult() {
    String v = "%25u0041%252e";
    for (int round = 0; round < 2; round++) {
      for (int options = 0; options < 4; options++) {
        boolean recursive = options >= 2;
        boolean unicode = options % 2 == 1;
        assertThat(DecodeCache.urlDecode(v, recursive, unicode)).as("options %d", options)
            .isEqualTo(Text.urlDecode(v, recursive, unicode));
      }
    }
    assertThat(DecodeCache.urlDecode(v, true, true)).isEqualTo("A.");
    assertThat(DecodeCache.urlDecode(v, false, false)).isEqualTo("%u0041%2e");
  }

  @Test
  void anEqualValueThatIsAnotherInstanceDecodesTheSame() {
    String a = new String("%41%42");
    String b = new String("%41%43");
    assertThat(DecodeCache.urlDecode(a, false, false)).isEqualTo("AB");
    assertThat(DecodeCache.urlDecode(b, false, false)).isEqualTo("AC");
    assertThat(DecodeCache.urlDecode(new String("%41%42"), false, false)).isEqualTo("AB");
  }

  @Test
  void threadsDoNotSeeEachOthersValues() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < 20_000; i++) {
            String v = "%" + Integer.toHexString(0x41 + random.nextInt(26)) + "+" + random.nextInt(3);
            boolean recursive = random.nextBoolean();
            if (!DecodeCache.urlDecode(v, recursive, false).equals(Text.urlDecode(v, recursive, false))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
