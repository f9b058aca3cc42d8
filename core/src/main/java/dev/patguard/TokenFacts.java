package dev.patguard;

import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.token.PersonalAccessToken;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What patguard knows about a presented secret, or about a token read by id: one value from the
 * lookup, through the cache, to {@link PatGuard#facts} and the decision. Never thrown, never null.
 *
 * <ul>
 *   <li>{@link Known}: BRMS answered; the facts are compiled into a {@link Grant}.
 *   <li>{@link Rejected}: not a live token (unknown, revoked, expired; by id: no such token).
 *   <li>{@link Forbidden}: a live token that may not read its own facts (self lookup only).
 *   <li>{@link Unavailable}: BRMS could not be asked or did not answer as promised; nothing is
 *       known, so no decision may rest on it.
 * </ul>
 */
public sealed interface TokenFacts {

  /**
   * The token's facts, compiled under the guard's permission model.
   *
   * @param grant the compiled grant (conservative over every candidate when the lookup was
   *     ambiguous)
   * @param stale whether BRMS failed and these facts were kept past their TTL (stale-if-error)
   * @param read the token as BRMS sent it, when it was read by id ({@link PatGuard#factsById});
   *     null for facts from a secret's lookup, which the cache keeps compiled only
   */
  record Known(Grant grant, boolean stale, @Nullable PersonalAccessToken read)
      implements TokenFacts {
    /**
     * Checks the grant.
     *
     * @param grant the compiled grant, not null
     * @param stale whether these facts were kept past their TTL because BRMS failed
     * @param read the token as BRMS sent it when read by id, or null
     * @throws NullPointerException if {@code grant} is null
     */
    public Known {
      Objects.requireNonNull(grant, "grant must not be null");
    }

    /**
     * Facts from a lookup: the compiled grant only.
     *
     * @param grant the compiled grant, not null
     * @param stale whether these facts were kept past their TTL because BRMS failed
     * @throws NullPointerException if {@code grant} is null
     */
    public Known(Grant grant, boolean stale) {
      this(grant, stale, null);
    }

    /**
     * The token as BRMS sent it, when it was read by id.
     *
     * @return the token read by {@link PatGuard#factsById}; empty for facts from a secret's lookup
     */
    public Optional<PersonalAccessToken> token() {
      return Optional.ofNullable(read);
    }
  }

  /**
   * BRMS does not accept the secret, or has no token with the ids asked for.
   *
   * @param detail why, for operators (never the secret)
   */
  record Rejected(String detail) implements TokenFacts {
    /**
     * Checks the detail.
     *
     * @param detail why, for operators (never the secret); not null
     * @throws NullPointerException if {@code detail} is null
     */
    public Rejected {
      Objects.requireNonNull(detail, "detail must not be null");
    }
  }

  /**
   * The token is live but the lookup may not read its facts (403 on the self lookup).
   *
   * @param detail why, for operators
   */
  record Forbidden(String detail) implements TokenFacts {
    /**
     * Checks the detail.
     *
     * @param detail why, for operators; not null
     * @throws NullPointerException if {@code detail} is null
     */
    public Forbidden {
      Objects.requireNonNull(detail, "detail must not be null");
    }
  }

  /**
   * Nothing is known: BRMS was down, slow, refused our credential or answered something malformed,
   * or the lookup was shed. Never cached.
   *
   * @param cause why, as the {@code Indeterminate} decision will say
   * @param detail one line for operators (never a secret)
   */
  record Unavailable(IndeterminateCause cause, String detail) implements TokenFacts {
    /**
     * Checks both.
     *
     * @param cause why, as the {@code Indeterminate} decision will say; not null
     * @param detail one line for operators (never a secret); not null
     * @throws NullPointerException if either is null
     */
    public Unavailable {
      Objects.requireNonNull(cause, "cause must not be null");
      Objects.requireNonNull(detail, "detail must not be null");
    }
  }
}
