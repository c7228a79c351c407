package io.gatehouse.core.reputation;

/**
 * A feed line that was not used, and why. Rejected lines are counted and reported, never dropped in
 * silence: a feed whose format changed under it must be noticed.
 *
 * @param line the line number, from 1
 * @param text the line, cut to 120 characters
 * @param reason why it was rejected
 */
public record RejectedLine(int line, String text, String reason) {

  @Override
  public String toString() {
    return "line " + line + ": " + reason + ": '" + text + "'";
  }
}
