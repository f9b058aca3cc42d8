package dev.patguard.junit;

/** What to do when a variable a token check needs is not set. */
public enum OnMissing {
  /** Fail the test with a message naming the variable (the default: CI must not pass silently). */
  FAIL,
  /** Skip (disable) the test, naming the variable: for local runs without secrets. */
  SKIP
}
