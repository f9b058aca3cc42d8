package dev.patguard.internal;

/**
 * The one check of the canonical UUID text shape, for every reader of ids: token JSON and project
 * names. {@code UUID.fromString} is not such a check: it accepts short forms such as {@code
 * "1-1-1-1-1"}, and any 36-character string with five {@code '-'}-separated parts {@code
 * Long.parseLong} can read. A property test holds this equal to the pattern {@code
 * [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}.
 */
public final class Uuids {
  private Uuids() {}

  /** 8-4-4-4-12 hex digits, either case. */
  public static boolean isCanonical(String text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean ok =
          i == 8 || i == 13 || i == 18 || i == 23
              ? c == '-'
              : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
