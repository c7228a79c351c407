package io.gatehouse.servlet;

/**
 * An admin request that cannot be made sense of: the endpoints answer 400 with the message as
 * {@code error}. Thrown from deep in the parsing so that each endpoint reads as its happy path.
 */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    // Never logged and never shown with a trace: the message is the whole answer.
    super(message, null, false, false);
  }
}
