package io.gatehouse.core.rules.expr;

/**
 * The state of one evaluation: the request, and the element each {@code any()} or {@code all()} is
 * currently looking at (one slot per call, numbered at compile time). Not thread-safe; one per
 * {@link Expression#matches} call.
 */
final class Eval {

  private static final String[] NO_SLOTS = new String[0];

  final RequestContext ctx;
  final String[] slots;

  Eval(RequestContext ctx, int slotCount) {
    this.ctx = ctx;
    this.slots = slotCount == 0 ? NO_SLOTS : new String[slotCount];
  }
}
