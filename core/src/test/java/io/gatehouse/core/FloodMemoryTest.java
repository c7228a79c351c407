package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigSource;
import io.gatehouse.core.net.IpAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a flood of maximal requests from ever new addresses leaves behind stays within the configured
 * bounds, in bytes as well as in entries. The benchmarks' {@code FloodFootprint} measures the same with
 * default settings and a million addresses.
 */
class FloodMemoryTest {

  private static final long MIB = 1 << 20;
  private static final String BLOCK_EVERYTHING = """
      gatehouse.rule.flood.expression=http.request.method ne "NEVER"
      gatehouse.rule.flood.action=block
      """;

  private static Gatehouse engine(String properties) throws ConfigException {
    return Gatehouse.builder().config(ConfigSource.text("flood.properties", properties)).watchFiles(false)
        .behaviourExecutor(Runnable::run).environment(Map.of()).build();
  }

  /** Request {@code i}: 8 KiB in every free-text field, one character outside Latin-1 in each. */
  static RequestFacts maximal(int i) {
    String big = (i + "\u0416-").repeat(8 * 1024).substring(0, 8 * 1024);
    return RequestFacts.builder().peer(IpAddress.ofV4(0x0B000000 + i).toString()).method("GET")
        .host(big.substring(0, 2048)).path("/" + big).query(big).header("User-Agent", big).build();
  }

  @Test
  void theEventLogStaysWithinItsByteBudgetUnderAFloodOfMaximalRequests() throws Exception {
    try (Gatehouse g = engine(BLOCK_EVERYTHING + "gatehouse.events.max-bytes=1MiB\n")) {
      for (int i = 0; i < 2_000; i++) {
        assertThat(g.decide(maximal(i)).action()).isEqualTo(Action.BLOCK);
      }
      // Host, path, query and User-Agent cut to 1,024 UTF-16 characters each: about 9 KB an event.
      assertThat(g.events().bytes()).isLessThanOrEqualTo(MIB);
      assertThat(g.events().size()).isBetween(110, 125);
      assertThat(g.status().eventsRecorded()).isEqualTo(2_000);
    }
  }

  @Test
  void byDefaultTheEventLogKeepsTenThousandEventsInAtMostSixteenMebibytes() throws Exception {
    try (Gatehouse g = engine(BLOCK_EVERYTHING)) {
      assertThat(g.events().capacity()).isEqualTo(10_000);
      assertThat(g.events().maxBytes()).isEqualTo(16 * MIB);
      for (int i = 0; i < 3_000; i++) {
        g.decide(maximal(i));
      }
      assertThat(g.events().bytes()).isLessThanOrEqualTo(16 * MIB);
      assertThat(g.events().size()).isLessThan(3_000);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "1048576, 1048576",
      "1MiB, 1048576",
      "1024KiB, 1048576",
      "16MiB, 16777216",
      "' 64MiB ', 67108864",
      "4GiB, 4294967296",
      "4096MiB, 4294967296"})
  void aSizeIsBytesOrKibibytesMebibytesOrGibibytes(String value, long bytes) throws Exception {
    try (Gatehouse g = engine("gatehouse.events.max-bytes=" + value + "\n")) {
      assertThat(g.events().maxBytes()).isEqualTo(bytes);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "16MB", "16 MiB", "16mib", "16M", "-1MiB", "MiB", "1.5MiB", "99999999999999999999", "''", "sixteen"})
  void anythingElseIsRefusedWithTheValueAndTheForm(String value) {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("gatehouse.events.max-bytes=" + value + "\n"))
        .satisfies(e -> assertThat(e.problems()).extracting(ConfigException.Problem::toString).containsExactly(
            "flood.properties:1: gatehouse.events.max-bytes: '" + value + "' is not a size such as 16MiB, 512KiB or"
                + " 1048576 (bytes); from 1MiB to 4GiB"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"1023KiB", "1048575", "4097MiB", "5GiB", "0", "9999999999999GiB"})
  void aSizeOutOfRangeIsRefusedWithTheRange(String value) {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> engine("gatehouse.events.max-bytes=" + value + "\n"))
        .satisfies(e -> assertThat(e.problems()).extracting(ConfigException.Problem::toString).containsExactly(
            "flood.properties:1: gatehouse.events.max-bytes: '" + value + "' is not a size from 1MiB to 4GiB"));
  }
}
