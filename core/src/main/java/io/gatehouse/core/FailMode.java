package io.gatehouse.core;

/** What an internal failure of the engine does to the request ({@code gatehouse.on-error}). */
public enum FailMode {
  /** Let the request through (fail open). */
  ALLOW,
  /** Refuse the request (fail closed). */
  BLOCK
}
