package io.gatehouse.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds in every format, written by whoever runs the list. {@link FeedParser#parse} promises to reject
 * bad lines, never to throw for them; and since it judges each line on its own, the whole feed must be
 * what its lines say one by one.
 *
 * <p>The input's last bytes choose the format and the score, the rest is the feed, so a feed file is a
 * seed as it is. {@code core/fuzz.sh feeds} fuzzes this for longer.
 */
class FeedParserFuzzTest {

  /** Lines checked one by one against the whole feed; enough to see every kind of line in a fuzzed feed. */
  private static final int LINES_CHECKED = 64;

  @FuzzTest(maxDuration = "10s")
  void parsesAnyFeed(FuzzedDataProvider data) throws IOException {
    FeedRegistry.Format format = data.pickValue(FeedRegistry.Format.values());
    int score = data.consumeInt(1, 100);
    String text = data.consumeRemainingAsString();

    FeedParser.Parsed parsed = FeedParser.parse(new StringReader(text), format, score);

    assertThat(parsed.format()).isNotEqualTo(FeedRegistry.Format.AUTO);
    if (format != FeedRegistry.Format.AUTO) {
      assertThat(parsed.format()).isEqualTo(format);
    } else {
      FeedRegistry.Format detected = parsed.format();
      FeedParser.Parsed again = FeedParser.parse(new StringReader(text), detected, score);
      assertThat(again.entries()).as("auto reads as the format it detected").isEqualTo(parsed.entries());
      assertThat(again.rejected()).isEqualTo(parsed.rejected());
      assertThat(again.rejectedSample()).isEqualTo(parsed.rejectedSample());
      assertThat(ranges(again.scores())).isEqualTo(ranges(parsed.scores()));
    }

    List<String> lines = lines(text);
    assertThat(parsed.entries() + parsed.rejected()).isLessThanOrEqualTo(lines.size());
    assertThat(parsed.rejectedSample()).hasSize(Math.min(parsed.rejected(), FeedParser.SAMPLE));
    int previous = 0;
    for (FeedRegistry.Status.Rejected r : parsed.rejectedSample()) {
      assertThat(r.line()).isGreaterThan(previous).isLessThanOrEqualTo(lines.size());
      assertThat(r.reason()).isNotBlank();
      assertThat(r.text().length()).isLessThanOrEqualTo(123);
      previous = r.line();
    }
    boolean ownScores = parsed.format() == FeedRegistry.Format.CSV;
    parsed.scores().forEach((first, last, value) -> {
      assertThat(value).isBetween(1, 100);
      if (!ownScores) {
        assertThat(value).isEqualTo(score);
      }
    });

    // Each line alone, against the whole: what it lists is listed at least as high in the feed.
    int entries = 0;
    int rejected = 0;
    for (int i = 0; i < lines.size() && i < LINES_CHECKED; i++) {
      FeedParser.Parsed one = FeedParser.parse(new StringReader(lines.get(i)), parsed.format(), score);
      entries += one.entries();
      rejected += one.rejected();
      one.scores().forEach((first, last, value) -> {
        assertThat(parsed.scores().get(first)).as("the first address of %s", first).isNotNull()
            .isGreaterThanOrEqualTo(value);
        assertThat(parsed.scores().get(last)).as("the last address of %s", last).isNotNull()
            .isGreaterThanOrEqualTo(value);
      });
    }
    if (lines.size() <= LINES_CHECKED) {
      assertThat(entries).as("entries, line by line").isEqualTo(parsed.entries());
      assertThat(rejected).as("rejected lines, line by line").isEqualTo(parsed.rejected());
    }
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new StringReader(text))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        out.add(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<String> ranges(IntervalIndex<Integer> index) {
    List<String> out = new ArrayList<>();
    index.forEach((IpAddress first, IpAddress last, Integer value) -> out.add(first + "-" + last + "=" + value));
    return out;
  }
}
