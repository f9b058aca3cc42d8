package dev.patguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.token.SecretDigest;

/** The starter's tests' one secret scan. */
public final class SecretScan {
  private SecretScan() {}

  /**
   * Fails if {@code text} holds any of {@code secrets}, naming a found one by its fingerprint only:
   * AssertJ's {@code doesNotContain} would quote the secret (and the text) in its failure message.
   *
   * @param text what was produced (a body, headers, a log, a {@code toString})
   * @param where what {@code text} is, for the message
   * @param secrets the secrets that must not appear
   */
  public static void assertNoSecret(String text, String where, String... secrets) {
    assertThat(secrets).as("secrets to scan for").isNotEmpty();
    for (String secret : secrets) {
      assertThat(text.contains(secret))
          .as("secret %s in %s", SecretDigest.fingerprintOf(secret), where)
          .isFalse();
    }
  }
}
