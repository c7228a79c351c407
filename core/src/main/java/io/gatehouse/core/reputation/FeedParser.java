package io.gatehouse.core.reputation;

import io.gatehouse.core.net.Cidr;
import io.gatehouse.core.net.IntervalIndex;
import io.gatehouse.core.net.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses reputation feeds. Lines are read one at a time and addresses parsed in place, so a
 * million-line feed costs one pass and one index build. Where a feed lists an address twice with
 * different scores (overlapping networks in a CSV feed), the higher score wins.
 *
 * <p>Stateless and thread-safe.
 */
final class FeedParser {

  /** Rejected lines kept with their text; the rest are only counted. */
  static final int SAMPLE = 20;

  private static final Comparator<Integer> HIGHER_SCORE = Comparator.naturalOrder();

  private FeedParser() {}

  /**
   * A feed's content after parsing.
   *
   * @param scores the listed addresses and their scores
   * @param format the format the content was read as (the detected one, for {@code auto})
   * @param entries the lines that listed an address or network
   * @param rejected the number of lines that were not used
   * @param rejectedSample the first rejected lines, with numbers and reasons
   */
  public record Parsed(IntervalIndex<Integer> scores, FeedRegistry.Format format, int entries, int rejected,
      List<FeedRegistry.Status.Rejected> rejectedSample) {

    public Parsed {
      rejectedSample = List.copyOf(rejectedSample);
    }

    /** The empty feed. */
    public static Parsed empty(FeedRegistry.Format format) {
      return new Parsed(IntervalIndex.empty(), format, 0, 0, List.of());
    }
  }

  /**
   * Parses {@code in} as {@code format}, giving listed addresses {@code score} (CSV lines carry their own).
   * With {@link FeedRegistry.Format#AUTO} the format is decided from the first lines that are not comments.
   *
   * @throws IOException when reading fails; bad lines are rejected, not thrown
   */
  public static Parsed parse(Reader in, FeedRegistry.Format format, int score) throws IOException {
    BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    List<String> head = new ArrayList<>();
    FeedRegistry.Format effective = format;
    if (format == FeedRegistry.Format.AUTO) {
      // Hold lines until one that is not a comment decides the format; they are parsed afterwards.
      String l;
      while ((l = lines.readLine()) != null) {
        head.add(l);
        String t = l.strip();
        if (!t.isEmpty() && t.charAt(0) != '#' && t.charAt(0) != ';') {
          effective = detect(t);
          break;
        }
        if (head.size() >= 1000) {
          break;
        }
      }
      if (effective == FeedRegistry.Format.AUTO) {
        effective = FeedRegistry.Format.PLAIN;
      }
    }
    Collector c = new Collector(effective, score);
    for (String h : head) {
      c.accept(h);
    }
    String l;
    while ((l = lines.readLine()) != null) {
      c.accept(l);
    }
    return new Parsed(c.builder.build(), effective, c.entries, c.rejected, c.sample);
  }

  /** Parses line after line into an index builder, counting entries and rejections. */
  private static final class Collector {
    final FeedRegistry.Format format;
    final Integer score;
    final IntervalIndex.Builder<Integer> builder = IntervalIndex.builder(HIGHER_SCORE);
    final List<FeedRegistry.Status.Rejected> sample = new ArrayList<>();
    int entries;
    int rejected;
    int lineNo;

    Collector(FeedRegistry.Format format, int score) {
      this.format = format;
      this.score = score;
    }

    void accept(String line) {
      lineNo++;
      String problem = parseLine(line, format, score, builder);
      if (problem == null) {
        entries += isEntry(line, format) ? 1 : 0;
      } else {
        rejected++;
        keep(sample, lineNo, line, problem);
      }
    }
  }

  private static void keep(List<FeedRegistry.Status.Rejected> sample, int lineNo, String line, String problem) {
    if (sample.size() < SAMPLE) {
      String text = line.length() > 120 ? line.substring(0, 120) + "..." : line;
      sample.add(new FeedRegistry.Status.Rejected(lineNo, text, problem));
    }
  }

  /** The format a first content line suggests. */
  static FeedRegistry.Format detect(String line) {
    if (line.startsWith("ExitNode ") || line.startsWith("ExitAddress ") || line.startsWith("Published ")) {
      return FeedRegistry.Format.TOR_EXITS;
    }
    int semi = line.indexOf(';');
    if (semi > 0 && line.indexOf("SBL", semi) > 0) {
      return FeedRegistry.Format.SPAMHAUS_DROP;
    }
    int comma = line.indexOf(',');
    if (comma > 0) {
      return FeedRegistry.Format.CSV;
    }
    return FeedRegistry.Format.PLAIN;
  }

  private static boolean isEntry(String line, FeedRegistry.Format format) {
    String t = line.strip();
    if (t.isEmpty() || t.charAt(0) == '#' || t.charAt(0) == ';') {
      return false;
    }
    if (format == FeedRegistry.Format.TOR_EXITS) {
      return t.startsWith("ExitAddress ");
    }
    return !(format == FeedRegistry.Format.CSV && isCsvHeader(t));
  }

  /** Adds the line's address to {@code b}; returns why it was rejected, or null. */
  private static String parseLine(String line, FeedRegistry.Format format, Integer score, IntervalIndex.Builder<Integer> b) {
    String t = line.strip();
    if (t.isEmpty() || t.charAt(0) == '#' || t.charAt(0) == ';') {
      return null;
    }
    return switch (format) {
      case PLAIN -> plain(t, score, b);
      case SPAMHAUS_DROP -> drop(t, score, b);
      case CSV -> csv(t, b);
      case TOR_EXITS -> tor(t, score, b);
      case AUTO -> throw new IllegalStateException("format not decided");
    };
  }

  private static String plain(String t, Integer score, IntervalIndex.Builder<Integer> b) {
    int end = t.length();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '#' || c == ';') {
        end = i;
        break;
      }
    }
    return network(t.substring(0, end).strip(), score, b);
  }

  private static String drop(String t, Integer score, IntervalIndex.Builder<Integer> b) {
    int semi = t.indexOf(';');
    String cidr = (semi < 0 ? t : t.substring(0, semi)).strip();
    if (semi < 0) {
      return "expected 'CIDR ; SBLnnnnnn'";
    }
    return network(cidr, score, b);
  }

  private static boolean isCsvHeader(String t) {
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("ip,") || lower.startsWith("address,") || lower.startsWith("network,")
        || lower.startsWith("cidr,");
  }

  private static String csv(String t, IntervalIndex.Builder<Integer> b) {
    if (isCsvHeader(t)) {
      return null;
    }
    int comma = t.indexOf(',');
    if (comma < 0) {
      return "expected 'address,score'";
    }
    String scoreText = t.substring(comma + 1).strip();
    int next = scoreText.indexOf(',');
    if (next >= 0) {
      scoreText = scoreText.substring(0, next).strip(); // further columns are ignored
    }
    int value;
    try {
      value = Integer.parseInt(scoreText);
    } catch (NumberFormatException e) {
      return "'" + scoreText + "' is not a score";
    }
    if (value < 1 || value > 100) {
      return "score " + value + " is outside 1..100";
    }
    return network(t.substring(0, comma).strip(), value, b);
  }

  private static String tor(String t, Integer score, IntervalIndex.Builder<Integer> b) {
    if (t.startsWith("ExitAddress ")) {
      int from = "ExitAddress ".length();
      int space = t.indexOf(' ', from);
      return network(space < 0 ? t.substring(from) : t.substring(from, space), score, b);
    }
    if (t.startsWith("ExitNode ") || t.startsWith("Published ") || t.startsWith("LastStatus ")) {
      return null;
    }
    return "not an exit-addresses line";
  }

  private static String network(String text, Integer score, IntervalIndex.Builder<Integer> b) {
    if (text.isEmpty()) {
      return "no address";
    }
    if (text.indexOf('/') < 0) {
      IpAddress ip = IpAddress.tryParse(text);
      if (ip == null) {
        return "'" + text + "' is not an address or network";
      }
      b.add(Cidr.host(ip), score);
      return null;
    }
    try {
      b.add(Cidr.parse(text), score);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
