package io.gatehouse.core.bot;

import java.util.List;
import java.util.Objects;

/**
 * What the Browser Integrity Check found about one request.
 *
 * <p>Immutable and thread-safe.
 *
 * @param failed whether any finding is failing: the request is to be refused with error 1012
 * @param findings every failing finding and signal, in the order the heuristics ran
 */
public record IntegrityResult(boolean failed, List<Finding> findings) {

  /** Nothing found. */
  public static final IntegrityResult CLEAN = new IntegrityResult(false, List.of());

  public IntegrityResult {
    findings = List.copyOf(findings);
    boolean anyFailing = findings.stream().anyMatch(Finding::failing);
    if (failed != anyFailing) {
      throw new IllegalArgumentException("failed must say whether a finding is failing");
    }
  }

  /** A result holding these findings, failed when one of them is. */
  public static IntegrityResult of(List<Finding> findings) {
    return findings.isEmpty() ? CLEAN : new IntegrityResult(findings.stream().anyMatch(Finding::failing), findings);
  }

  /** The first failing finding, the one an event names as the reason; {@code null} when none failed. */
  public Finding firstFailure() {
    for (Finding f : findings) {
      if (f.failing()) {
        return f;
      }
    }
    return null;
  }

  /**
   * One thing a heuristic noticed about a request. A failing finding is a reason to refuse the request
   * (error 1012); a non-failing one is a signal, recorded in events and explain output but deciding
   * nothing.
   *
   * <p>Immutable and thread-safe.
   *
   * @param heuristic the heuristic's stable snake_case name, as listed by
   *     {@link BrowserIntegrityCheck#heuristics()}
   * @param detail what was seen, for people: printable ASCII, never the raw header value
   * @param failing whether this finding fails the check
   */
  public record Finding(String heuristic, String detail, boolean failing) {

    public Finding {
      Objects.requireNonNull(heuristic, "heuristic");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
