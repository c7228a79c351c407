package io.gatehouse.core;

/** Whether decisions are carried out. */
public enum Mode {
  /** Mitigations are carried out. */
  ENFORCE,
  /** Mitigations are decided and recorded but the request goes through. */
  SIMULATE
}
