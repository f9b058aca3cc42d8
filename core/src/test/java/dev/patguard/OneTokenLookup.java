package dev.patguard;

import dev.patguard.decision.PermissionModel;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A lookup that answers every secret as one known token, and counts how often it was asked. */
final class OneTokenLookup implements TokenLookup {
  final AtomicInteger calls = new AtomicInteger();
  final PersonalAccessToken token;

  OneTokenLookup(PersonalAccessToken token) {
    this.token = token;
  }

  @Override
  public CompletableFuture<TokenFacts> lookup(String secret, SecretDigest digest) {
    calls.incrementAndGet();
    return CompletableFuture.completedFuture(
        TokenLookup.known(List.of(token), PermissionModel.strict(), digest));
  }

  @Override
  public String name() {
    return "one-token";
  }
}
