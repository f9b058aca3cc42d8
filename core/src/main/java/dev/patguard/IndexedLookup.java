package dev.patguard;

import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.PermissionModel;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The index maps the secret's digest to ids; the admin endpoint supplies the facts. Exact. */
final class IndexedLookup implements TokenLookup {
  private final BrmsClient client;
  private final TokenIndex index;
  private final PermissionModel model;

  IndexedLookup(BrmsClient client, TokenIndex index, PermissionModel model) {
    this.client = client;
    this.index = index;
    this.model = model;
  }

  @Override
  public CompletableFuture<TokenFacts> lookup(String secret, SecretDigest digest) {
    return find(secret, digest).thenApply(Found::facts);
  }

  @Override
  public CompletableFuture<Found> find(String secret, SecretDigest digest) {
    Optional<TokenIndex.Entry> entry = index.find(digest);
    if (entry.isEmpty()) {
      return CompletableFuture.completedFuture(
          Found.of(new TokenFacts.Rejected("the token is not in the index")));
    }
    TokenIndex.Entry e = entry.get();
    return client
        .getServiceUserToken(e.userId(), e.patId())
        .handle(
            (token, error) -> {
              if (error == null) {
                return checked(token, e, digest);
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (cause instanceof NotFoundException) {
                return Found.of(
                    new TokenFacts.Rejected("the index names a token BRMS no longer has (404)"));
              }
              return Found.of(TokenLookup.unavailable(cause));
            });
  }

  private Found checked(PersonalAccessToken token, TokenIndex.Entry e, SecretDigest digest) {
    if (!token.id().toString().equals(e.patId())
        || !token.user().id().toString().equals(e.userId())) {
      return Found.of(
          new TokenFacts.Unavailable(
              IndeterminateCause.MALFORMED_RESPONSE,
              "BRMS answered token "
                  + token.id()
                  + " of user "
                  + token.user().id()
                  + " when asked for token "
                  + e.patId()
                  + " of user "
                  + e.userId()));
    }
    return TokenLookup.found(List.of(token), model, digest);
  }

  @Override
  public String name() {
    return "indexed";
  }

  @Override
  public String toString() {
    return "TokenLookup[indexed " + index + " via " + client.baseUrl() + "]";
  }
}
