package io.gatehouse.core.reputation;

import io.gatehouse.core.net.IntervalIndex;
import java.util.List;

/**
 * A feed's content after parsing.
 *
 * @param scores the listed addresses and their scores
 * @param format the format the content was read as (the detected one, for {@code auto})
 * @param entries the lines that listed an address or network
 * @param rejected the number of lines that were not used
 * @param rejectedSample the first rejected lines, with numbers and reasons
 */
public record ParsedFeed(IntervalIndex<Integer> scores, FeedFormat format, int entries, int rejected,
    List<RejectedLine> rejectedSample) {

  public ParsedFeed {
    rejectedSample = List.copyOf(rejectedSample);
  }

  /** The empty feed. */
  public static ParsedFeed empty(FeedFormat format) {
    return new ParsedFeed(IntervalIndex.empty(), format, 0, 0, List.of());
  }
}
