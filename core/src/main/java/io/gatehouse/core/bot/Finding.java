package io.gatehouse.core.bot;

import java.util.Objects;

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
