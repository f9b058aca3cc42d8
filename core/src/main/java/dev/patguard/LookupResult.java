package dev.patguard;

import dev.patguard.token.PersonalAccessToken;
import java.util.List;

/**
 * What a lookup found: candidate tokens, or a verdict that the secret is no good. Failures to
 * ask BRMS at all are not results: they complete the lookup's future exceptionally with a
 * {@link dev.patguard.BrmsException}.
 */
sealed interface LookupResult permits LookupResult.Found, LookupResult.Rejected, LookupResult.Forbidden {

  /**
   * The presented token is one of {@code candidates} (exactly one when the lookup is exact).
   *
   * @param candidates never empty
   */
  record Found(List<PersonalAccessToken> candidates) implements LookupResult {
    public Found {
      candidates = List.copyOf(candidates);
      if (candidates.isEmpty()) {
        throw new IllegalArgumentException("a found lookup needs at least one candidate");
      }
    }
  }

  /**
   * The secret is not a live token: unknown, revoked or expired.
   *
   * @param detail why, for operators (no secret)
   */
  record Rejected(String detail) implements LookupResult {}

  /**
   * The token is live but may not read its own facts, so this strategy cannot decide for it.
   *
   * @param detail why, for operators (no secret)
   */
  record Forbidden(String detail) implements LookupResult {}
}
