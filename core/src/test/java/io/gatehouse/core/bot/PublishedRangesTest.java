package io.gatehouse.core.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PublishedRangesTest {

  private static Path resource(String name) throws Exception {
    return Path.of(PublishedRangesTest.class.getResource("/crawlers/" + name).toURI());
  }

  private static IntervalIndex<Cidr> parse(String json) throws IOException {
    return PublishedRanges.parse(new StringReader(json), "ranges.json");
  }

  @Test
  void loadsGooglesShape() throws Exception {
    IntervalIndex<Cidr> index = PublishedRanges.load(resource("googlebot.json"));
    assertThat(index.get(IpAddress.parse("66.249.64.0"))).hasToString("66.249.64.0/27");
    assertThat(index.get(IpAddress.parse("66.249.64.63"))).hasToString("66.249.64.32/27");
    assertThat(index.get(IpAddress.parse("66.249.64.64"))).isNull();
    assertThat(index.get(IpAddress.parse("2001:4860:4801:12::1"))).hasToString("2001:4860:4801:12::/64");
    assertThat(index.get(IpAddress.parse("2001:4860:4801:11::1"))).isNull();
    assertThat(index.get(IpAddress.parse("::ffff:66.249.66.5"))).hasToString("66.249.66.0/27");
  }

  @Test
  void aLoadedFileVerifiesItsCrawler() throws Exception {
    FakeDns dns = new FakeDns();
    try (CrawlerVerifier v = CrawlerVerifier.builder().resolver(dns)
        .publishedRangesFile("Googlebot", resource("googlebot.json")).build()) {
      assertThat(v.status("Googlebot/2.1 (+http://www.google.com/bot.html)", IpAddress.parse("66.249.66.30")))
          .isEqualTo(CrawlerVerifier.Status.verified("Googlebot", "inside published range 66.249.66.0/27"));
      assertThat(dns.reverseCalls).hasValue(0);
    }
  }

  @Test
  void entriesWithBothFamiliesAndOverlapsAreAccepted() throws IOException {
    IntervalIndex<Cidr> index = parse("{\"prefixes\": [{\"ipv4Prefix\": \"192.0.2.0/24\", \"ipv6Prefix\": \"2001:db8::/32\"},"
        + " {\"ipv4Prefix\": \"192.0.2.128/25\"}, {\"ipv4Prefix\": \" 198.51.100.7 \"}]}");
    assertThat(index.get(IpAddress.parse("192.0.2.200"))).isNotNull();
    assertThat(index.get(IpAddress.parse("2001:db8::1"))).isNotNull();
    assertThat(index.get(IpAddress.parse("198.51.100.7"))).hasToString("198.51.100.7/32");
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of("", "ranges.json is not valid JSON"),
        Arguments.of("{\"prefixes\": [", "ranges.json is not valid JSON"),
        Arguments.of("{\"creationTime\": 1e99999999999, \"prefixes\": [{\"ipv4Prefix\": \"192.0.2.0/24\"}]}",
            "ranges.json is not valid JSON: a number is out of range"),
        Arguments.of("[]", "expected a JSON object with \"prefixes\", found an array"),
        Arguments.of("{}", "expected a \"prefixes\" array, found none"),
        Arguments.of("{\"prefixes\": {}}", "expected a \"prefixes\" array, found an object"),
        Arguments.of("{\"prefixes\": []}", "ranges.json lists no prefixes"),
        Arguments.of("{\"prefixes\": [{\"ipv4Prefix\": \"66.249.64.1/27\"}]}",
            "prefixes[0].ipv4Prefix: '66.249.64.1/27' has host bits set; the network is 66.249.64.0/27"),
        Arguments.of("{\"prefixes\": [{\"ipv4Prefix\": \"66.249.64.0/27\"}, {\"ipv6Prefix\": \"66.249.65.0/27\"}]}",
            "prefixes[1].ipv6Prefix: '66.249.65.0/27' is not an IPv6 network"),
        Arguments.of("{\"prefixes\": [{\"ipv4Prefix\": \"2001:db8::/32\"}]}",
            "prefixes[0].ipv4Prefix: '2001:db8::/32' is not an IPv4 network"),
        Arguments.of("{\"prefixes\": [{\"ipv4Prefix\": \"066.249.64.0/27\"}]}", "prefixes[0].ipv4Prefix: '066.249.64.0/27'"),
        Arguments.of("{\"prefixes\": [{\"ipv4Prefix\": 42}]}", "prefixes[0].ipv4Prefix: expected a string, found a number"),
        Arguments.of("{\"prefixes\": [{\"ipPrefix\": \"192.0.2.0/24\"}]}",
            "prefixes[0]: has neither \"ipv4Prefix\" nor \"ipv6Prefix\""),
        Arguments.of("{\"prefixes\": [\"192.0.2.0/24\"]}", "prefixes[0]: expected an object, found a string"),
        Arguments.of("{\"prefixes\": [{\"ipv4Prefix\": \"192.0.2.0/24\"}, {\"ipv4Prefix\": \"192.0.2.0/33\"}]}",
            "1 bad prefix of 2:\n  prefixes[1].ipv4Prefix: '192.0.2.0/33' is not a network"));
  }

  @ParameterizedTest
  @MethodSource("broken")
  void brokenFilesAreErrorsNamingThePosition(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(IOException.class).hasMessageContaining(message);
  }

  @Test
  void manyBadPrefixesAreCountedAndTheFirstTenListed() {
    StringBuilder json = new StringBuilder("{\"prefixes\": [");
    for (int i = 0; i < 25; i++) {
      json.append(i == 0 ? "" : ",").append("{\"ipv4Prefix\": \"10.0.0.").append(i + 1).append("/8\"}");
    }
    json.append("]}");
    assertThatThrownBy(() -> parse(json.toString())).isInstanceOf(IOException.class)
        .hasMessageContaining("25 bad prefixes of 25")
        .hasMessageContaining("prefixes[9].ipv4Prefix")
        .hasMessageNotContaining("prefixes[10]")
        .hasMessageContaining("... and 15 more");
  }

  @Test
  void missingFile(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> PublishedRanges.load(dir.resolve("nope.json"))).isInstanceOf(IOException.class)
        .hasMessage("no such file: " + dir.resolve("nope.json"));
    Path empty = Files.writeString(dir.resolve("empty.json"), "{\"creationTime\": \"x\", \"prefixes\": []}");
    assertThatThrownBy(() -> PublishedRanges.load(empty)).isInstanceOf(IOException.class)
        .hasMessage(empty + " lists no prefixes");
  }
}
