package io.gatehouse.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedParserTest {

  static FeedParser.Parsed parse(String resource, FeedRegistry.Format format, int score) throws IOException {
    try (Reader r = new InputStreamReader(FeedParserTest.class.getResourceAsStream("/feeds/" + resource),
        StandardCharsets.UTF_8)) {
      return FeedParser.parse(r, format, score);
    }
  }

  private static Integer score(FeedParser.Parsed f, String ip) {
    return f.scores().get(IpAddress.parse(ip));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"firehol_level1.netset,PLAIN", "firehol_level1.netset,AUTO"})
  void fireholNetset(String file, FeedRegistry.Format format) throws IOException {
    FeedParser.Parsed f = parse(file, format, 60);
    assertThat(f.format()).isEqualTo(FeedRegistry.Format.PLAIN);
    assertThat(f.entries()).isEqualTo(5);
    assertThat(f.rejected()).isEqualTo(2);
    assertThat(f.rejectedSample()).extracting(Object::toString).containsExactly(
        "line 24: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8: '10.0.0.1/8'",
        "line 25: 'not-an-address' is not an address or network: 'not-an-address'");
    assertThat(score(f, "192.0.2.200")).isEqualTo(60);
    assertThat(score(f, "198.51.100.17")).isEqualTo(60);
    assertThat(score(f, "198.51.100.18")).isNull();
    assertThat(score(f, "203.0.113.200")).isEqualTo(60);
    assertThat(score(f, "203.0.113.1")).isNull();
    assertThat(score(f, "2001:db8:bad:1::1")).isEqualTo(60);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SPAMHAUS_DROP", "AUTO"})
  void spamhausDrop(FeedRegistry.Format format) throws IOException {
    FeedParser.Parsed f = parse("drop.txt", format, 90);
    assertThat(f.format()).isEqualTo(FeedRegistry.Format.SPAMHAUS_DROP);
    assertThat(f.entries()).isEqualTo(3);
    assertThat(f.rejectedSample()).extracting(Object::toString).containsExactly(
        "line 8: '203.0.113.300/24' is not a network: '203.0.113.300' is not an IP address literal: '203.0.113.300/24 ; SBL100004'",
        "line 9: expected 'CIDR ; SBLnnnnnn': 'garbage line without semicolon'");
    assertThat(score(f, "198.51.100.63")).isEqualTo(90);
    assertThat(score(f, "198.51.100.64")).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"CSV", "AUTO"})
  void csvWithItsOwnScores(FeedRegistry.Format format) throws IOException {
    FeedParser.Parsed f = parse("scores.csv", format, 50);
    assertThat(f.format()).isEqualTo(FeedRegistry.Format.CSV);
    assertThat(f.entries()).isEqualTo(3);
    assertThat(score(f, "192.0.2.10")).as("the higher score of overlapping entries").isEqualTo(80);
    assertThat(score(f, "192.0.2.11")).isEqualTo(30);
    assertThat(score(f, "2001:db8::1")).isEqualTo(45);
    assertThat(f.rejectedSample()).extracting(FeedRegistry.Status.Rejected::line, FeedRegistry.Status.Rejected::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple(4, "score 101 is outside 1..100"),
        org.assertj.core.groups.Tuple.tuple(5, "'abc' is not a score"),
        org.assertj.core.groups.Tuple.tuple(7, "expected 'address,score'"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"TOR_EXITS", "AUTO"})
  void torExitAddresses(FeedRegistry.Format format) throws IOException {
    FeedParser.Parsed f = parse("exit-addresses", format, 40);
    assertThat(f.format()).isEqualTo(FeedRegistry.Format.TOR_EXITS);
    assertThat(f.entries()).isEqualTo(3);
    assertThat(score(f, "192.0.2.44")).isEqualTo(40);
    assertThat(score(f, "2001:db8:70::1")).isEqualTo(40);
    assertThat(score(f, "198.51.100.201")).isNull();
    assertThat(f.rejectedSample()).extracting(FeedRegistry.Status.Rejected::line, FeedRegistry.Status.Rejected::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple(10, "not an exit-addresses line"),
        org.assertj.core.groups.Tuple.tuple(11, "'999.51.100.202' is not an address or network"));
  }

  @Test
  void entirelyUnparsableContentHasNoEntriesAndEveryLineRejected() throws IOException {
    FeedParser.Parsed f = parse("unparsable.txt", FeedRegistry.Format.AUTO, 50);
    assertThat(f.entries()).isZero();
    assertThat(f.rejected()).isEqualTo(2);
  }

  @Test
  void onlyTheFirstRejectedLinesAreKeptButAllAreCounted() throws IOException {
    StringBuilder sb = new StringBuilder("192.0.2.1\n");
    for (int i = 0; i < 500; i++) {
      sb.append("bad").append(i).append('\n');
    }
    FeedParser.Parsed f = FeedParser.parse(new StringReader(sb.toString()), FeedRegistry.Format.PLAIN, 50);
    assertThat(f.rejected()).isEqualTo(500);
    assertThat(f.rejectedSample()).hasSize(FeedParser.SAMPLE);
    assertThat(f.rejectedSample().get(0).line()).isEqualTo(2);
  }

  @Test
  void commentsAfterEntriesAndWindowsLineEndings() throws IOException {
    FeedParser.Parsed f = FeedParser.parse(new StringReader("192.0.2.1 # seen scanning\r\n198.51.100.0/24 ; note\r\n"),
        FeedRegistry.Format.PLAIN, 50);
    assertThat(f.entries()).isEqualTo(2);
    assertThat(f.rejected()).isZero();
  }
}
