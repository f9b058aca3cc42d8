package dev.patguard;

import dev.patguard.token.PersonalAccessToken;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * What the benchmarks measure below core's public door: patguard's BRMS client on its own, to split
 * a cold lookup's cost between the HTTP exchange and the rest. It lives in core's package in the
 * unpublished benchmarks module (the shaded benchmarks jar runs on the class path), so core keeps
 * the client package-private. Nothing published may use it.
 */
public final class BenchmarkHooks {
  private BenchmarkHooks() {}

  /**
   * A function that lists a secret's own tokens with a fresh {@link BrmsClient} on {@code baseUrl}.
   */
  public static Function<String, List<PersonalAccessToken>> ownTokensLister(URI baseUrl) {
    BrmsClient client = BrmsClient.builder().baseUrl(baseUrl).build();
    return secret -> client.listOwnTokens(secret).join();
  }
}
