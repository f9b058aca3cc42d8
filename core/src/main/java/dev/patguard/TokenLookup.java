package dev.patguard;

import dev.patguard.token.SecretDigest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A strategy that finds the facts of the token a secret belongs to.
 *
 * <p>Implementations must never let anything the caller sends besides the secret (a header, a
 * parameter) narrow the candidates, and must complete exceptionally — never with a result —
 * when BRMS cannot be asked.
 */
interface TokenLookup {

  /**
   * Finds the token {@code secret} belongs to.
   *
   * @param secret the presented secret (only ever sent to BRMS, never logged)
   * @param digest its SHA-256, for strategies keyed by digest
   */
  CompletableFuture<LookupResult> lookup(String secret, SecretDigest digest);

  /** A short name for logs and decisions: {@code self}, {@code indexed}. */
  String name();

  /**
   * Lists the presenter's own tokens with the presented secret. Exact when the owner has one
   * candidate; otherwise the candidates are every token of the owner that is live or expired
   * less than {@code expirySkew} ago, decided conservatively (an expired candidate denies).
   */
  static TokenLookup self(BrmsClient client, Clock clock, Duration expirySkew) {
    return new SelfLookup(client, clock, expirySkew);
  }

  /**
   * Looks the secret's SHA-256 up in an index file, then reads the token from the admin endpoint.
   * The client must have an admin credential. The file is re-read when it changes.
   *
   * @see TokenIndex for the file format
   */
  static TokenLookup indexed(BrmsClient client, Path indexFile) {
    if (!client.hasAdminCredential()) {
      throw new IllegalArgumentException(
          "the indexed lookup reads tokens from the admin endpoint: configure an admin credential");
    }
    return new IndexedLookup(client, new TokenIndex(indexFile));
  }
}
