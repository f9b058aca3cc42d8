package dev.patguard;

import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.PermissionModel;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * A strategy that finds the facts of the token a secret belongs to.
 *
 * <p>Implementations must never let anything the caller sends besides the secret (a header, a
 * parameter) narrow the candidates. They answer with a value — facts, rejected, forbidden or
 * unavailable — and their futures never fail: an outage is {@link TokenFacts.Unavailable}.
 */
interface TokenLookup {

  /**
   * Finds the token {@code secret} belongs to.
   *
   * @param secret the presented secret (only ever sent to BRMS, never logged)
   * @param digest its SHA-256, for strategies keyed by digest and for the grant's fingerprint
   */
  CompletableFuture<TokenFacts> lookup(String secret, SecretDigest digest);

  /**
   * Like {@link #lookup}, with the tokens a {@link TokenFacts.Known} was compiled from, so that the
   * facts can be written to a shared level and compiled again by other guards. Strategies that
   * cannot tell (the default) share no grant; their rejections are still shared.
   */
  default CompletableFuture<Found> find(String secret, SecretDigest digest) {
    return lookup(secret, digest).thenApply(facts -> new Found(facts, List.of()));
  }

  /**
   * A lookup's answer and, for a grant, the candidate tokens it was compiled from.
   *
   * @param facts the answer
   * @param candidates for a {@link TokenFacts.Known}: the tokens it was compiled from; otherwise,
   *     or when unknown, empty
   */
  record Found(TokenFacts facts, List<PersonalAccessToken> candidates) {
    public Found {
      candidates = List.copyOf(candidates);
    }

    /** An answer with no candidates: a rejection, an outage, or a grant that cannot be shared. */
    static Found of(TokenFacts facts) {
      return new Found(facts, List.of());
    }
  }

  /** A short name for logs and decisions: {@code self}, {@code indexed}. */
  String name();

  /**
   * Lists the presenter's own tokens with the presented secret. Exact when the owner has one
   * candidate; otherwise the candidates are every token of the owner that is live or expired less
   * than {@code expirySkew} ago, decided conservatively (an expired candidate denies).
   */
  static TokenLookup self(
      BrmsClient client, Clock clock, Duration expirySkew, PermissionModel model) {
    return new SelfLookup(client, clock, expirySkew, model);
  }

  /**
   * Looks the secret's SHA-256 up in an index file, then reads the token from the admin endpoint.
   * The client must have an admin credential. The file is re-read when it changes.
   *
   * @see TokenIndex for the file format
   */
  static TokenLookup indexed(BrmsClient client, Path indexFile, PermissionModel model) {
    if (!client.hasAdminCredential()) {
      throw new IllegalArgumentException(
          "the indexed lookup reads tokens from the admin endpoint: configure an admin credential");
    }
    return new IndexedLookup(client, new TokenIndex(indexFile), model);
  }

  /** The candidates' facts, compiled once. */
  static TokenFacts.Known known(
      List<PersonalAccessToken> candidates, PermissionModel model, SecretDigest digest) {
    return new TokenFacts.Known(
        Grant.compileCandidates(candidates, model, digest.fingerprint()), false);
  }

  /** The candidates' facts, compiled once, with the candidates kept for sharing. */
  static Found found(
      List<PersonalAccessToken> candidates, PermissionModel model, SecretDigest digest) {
    return new Found(known(candidates, model, digest), candidates);
  }

  /**
   * What a failure to ask BRMS means for a decision: the one place where the client's failures, a
   * shed lookup, a timeout or a bug become an {@code Indeterminate} cause.
   */
  static TokenFacts.Unavailable unavailable(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    IndeterminateCause indeterminate = causeOf(cause);
    if (indeterminate == IndeterminateCause.INTERNAL_ERROR) {
      // A bug, not an outage: the stack trace is for whoever fixes it (the decision carries the
      // message).
      System.getLogger(TokenLookup.class.getName())
          .log(
              System.Logger.Level.ERROR,
              "patguard could not decide because of an unexpected error",
              cause);
    }
    return new TokenFacts.Unavailable(
        indeterminate,
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }

  private static IndeterminateCause causeOf(Throwable failure) {
    if (failure instanceof BrmsUnavailableException u) {
      switch (u.kind()) {
        case TIMEOUT:
          return IndeterminateCause.TIMEOUT;
        case MALFORMED_RESPONSE:
          return IndeterminateCause.MALFORMED_RESPONSE;
        case MISCONFIGURED:
          return IndeterminateCause.MISCONFIGURED;
        default:
          return IndeterminateCause.BRMS_UNAVAILABLE;
      }
    }
    if (failure instanceof BrmsCredentialException) {
      return IndeterminateCause.CREDENTIAL_REFUSED;
    }
    if (failure instanceof BrmsException) {
      // 401/403/404 where the strategy did not expect them: BRMS did not answer as promised.
      return IndeterminateCause.MALFORMED_RESPONSE;
    }
    if (failure instanceof AsyncBulkhead.FullException) {
      return IndeterminateCause.OVERLOADED;
    }
    if (failure instanceof TimeoutException) {
      return IndeterminateCause.TIMEOUT;
    }
    return IndeterminateCause.INTERNAL_ERROR;
  }
}
