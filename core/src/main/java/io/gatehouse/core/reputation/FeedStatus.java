package io.gatehouse.core.reputation;

import java.time.Instant;
import java.util.List;

/**
 * What a feed holds and how its last refreshes went, for status pages and logs.
 *
 * @param name the feed's name
 * @param source its URL or file
 * @param format the format its content was read as
 * @param score its configured score
 * @param entries lines that listed an address or network
 * @param ranges disjoint address ranges after merging
 * @param rejected lines that were not used
 * @param rejectedSample the first rejected lines with numbers and reasons
 * @param loadedAt when the data in use was loaded, or null if never
 * @param loadedFrom where it came from: {@code file}, {@code url}, {@code cache} (the last good copy on
 *     disk, used while the URL could not be fetched), or {@code none}
 * @param lastAttempt when a refresh was last tried, or null
 * @param lastError why the last refresh failed, or null when it did not
 */
public record FeedStatus(String name, String source, String format, int score, int entries, int ranges,
    int rejected, List<Rejected> rejectedSample, Instant loadedAt, String loadedFrom, Instant lastAttempt,
    String lastError) {

  /**
   * A feed line that was not used, and why. Rejected lines are counted and reported, never dropped in
   * silence: a feed whose format changed under it must be noticed.
   *
   * @param line the line number, from 1
   * @param text the line, cut to 120 characters
   * @param reason why it was rejected
   */
  public record Rejected(int line, String text, String reason) {

    @Override
    public String toString() {
      return "line " + line + ": " + reason + ": '" + text + "'";
    }
  }

  public FeedStatus {
    rejectedSample = List.copyOf(rejectedSample);
  }
}
