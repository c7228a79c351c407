package io.gatehouse.core.reputation;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One configured feed ({@code gatehouse.reputation.feed.NAME.*}).
 *
 * @param name the feed's name
 * @param url the {@code http(s)} URL it is fetched from, or {@code null} for a file
 * @param file the file it is read from, or {@code null} for a URL
 * @param score the threat score of a listed address (CSV lines carry their own)
 * @param format the format
 * @param refresh how often it is fetched or re-read
 */
public record FeedSpec(String name, URI url, Path file, int score, FeedFormat format, Duration refresh) {

  public FeedSpec {
    Objects.requireNonNull(name, "name");
    if ((url == null) == (file == null)) {
      throw new IllegalArgumentException("a feed has a URL or a file, not both or neither");
    }
  }

  /** The URL or file, as text. */
  public String source() {
    return url != null ? url.toString() : file.toString();
  }
}
