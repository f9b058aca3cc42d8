package dev.patguard;

import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.PermissionModel;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/personal-access-tokens} with the presented secret.
 *
 * <p>401 means the token is not live. 403 means it is live but may not read its own facts; the
 * operator is warned once that this strategy cannot serve such tokens. On 200 the candidates are
 * the owner's tokens, less those that expired more than the skew margin ago (by our clock). A token
 * that expired within the margin stays a candidate: BRMS accepted the presented secret, and if its
 * clock is behind ours (or it expires lazily) the presented token may be exactly that one. Dropping
 * it would let the owner's other tokens decide for it; kept, it denies {@code TOKEN_EXPIRED}, and
 * "every candidate must permit" stays conservative. If every token is beyond the margin, all are
 * kept and the decision says expired. A single candidate is exact.
 */
final class SelfLookup implements TokenLookup {
  private static final System.Logger LOG = System.getLogger(SelfLookup.class.getName());

  private final BrmsClient client;
  private final Clock clock;
  private final Duration expirySkew;
  private final PermissionModel model;
  private final AtomicBoolean warnedForbidden = new AtomicBoolean();

  SelfLookup(BrmsClient client, Clock clock, Duration expirySkew, PermissionModel model) {
    this.client = client;
    this.clock = clock;
    this.expirySkew = expirySkew;
    this.model = model;
  }

  @Override
  public CompletableFuture<TokenFacts> lookup(String secret, SecretDigest digest) {
    return find(secret, digest).thenApply(Found::facts);
  }

  @Override
  public CompletableFuture<Found> find(String secret, SecretDigest digest) {
    return client
        .listOwnTokens(secret)
        .handle(
            (tokens, error) -> {
              if (error == null) {
                return found(tokens, digest);
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (cause instanceof TokenRejectedException) {
                return Found.of(new TokenFacts.Rejected("BRMS rejected the token (401)"));
              }
              if (cause instanceof LookupForbiddenException) {
                if (warnedForbidden.compareAndSet(false, true)) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "token "
                          + digest.fingerprint()
                          + " is live but may not list its own"
                          + " tokens (403): the self lookup cannot decide for such tokens; they are denied LOOKUP_FORBIDDEN."
                          + " Use the indexed lookup to serve them. (Logged once.)");
                }
                return Found.of(
                    new TokenFacts.Forbidden("the token may not read its own facts (403)"));
              }
              return Found.of(TokenLookup.unavailable(cause));
            });
  }

  private Found found(List<PersonalAccessToken> tokens, SecretDigest digest) {
    if (tokens.isEmpty()) {
      // The token authenticated yet its owner has no tokens: BRMS contradicts itself. Fail closed.
      return Found.of(
          new TokenFacts.Unavailable(
              IndeterminateCause.MALFORMED_RESPONSE,
              "BRMS authenticated token "
                  + digest.fingerprint()
                  + " but listed no tokens for its owner"));
    }
    // A token still counts while it is unexpired at now - margin; the subtraction saturates.
    Instant cutoff = TimeMath.plus(clock.instant(), expirySkew.negated());
    List<PersonalAccessToken> candidates = new ArrayList<>(tokens.size());
    for (PersonalAccessToken t : tokens) {
      if (!t.isExpiredAt(cutoff)) {
        candidates.add(t);
      }
    }
    return TokenLookup.found(candidates.isEmpty() ? tokens : candidates, model, digest);
  }

  @Override
  public String name() {
    return "self";
  }

  @Override
  public String toString() {
    return "TokenLookup[self via " + client.baseUrl() + "]";
  }
}
