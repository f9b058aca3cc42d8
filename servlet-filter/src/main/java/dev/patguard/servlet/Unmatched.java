package dev.patguard.servlet;

import java.util.Locale;

/** What the filter does with a request no rule of the {@link RoutePolicy} matches. */
public enum Unmatched {
  /** Refuse it with 403, without looking at any token (the default). */
  DENY,
  /** Let it through if it carries any live token of an active owner. */
  AUTHENTICATED,
  /** Let it through unchecked. */
  ALLOW;

  /**
   * Reads {@code deny}, {@code authenticated} or {@code allow} (any case).
   *
   * @param text the setting, as a policy file or init-param gives it; surrounding white space is
   *     ignored
   * @return the setting it names
   * @throws IllegalArgumentException quoting the text
   */
  public static Unmatched parse(String text) {
    for (Unmatched u : values()) {
      if (u.name().toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
        return u;
      }
    }
    throw new IllegalArgumentException(
        "must be one of deny, authenticated, allow; got \"" + text + "\"");
  }
}
