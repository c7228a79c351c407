package io.gatehouse.core;

/** What a decision tells the caller to do with a request. */
public enum Action {
  /** Let the request through to the application. */
  ALLOW,
  /** Refuse it with an error page. */
  BLOCK,
  /** Refuse it unless the visitor holds a clearance; offer the challenge that grants one. */
  CHALLENGE;

  /** The lower-case name used in events, JSON and configuration. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
