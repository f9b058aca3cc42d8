package dev.patguard.fakebrms;

import java.util.Objects;
import java.util.UUID;

/**
 * A token just minted, with its secret. {@link #toString()} never shows the secret.
 *
 * @param id the token id ({@code patId})
 * @param userId the owner's id
 * @param secret the secret to send as {@code Authorization: Bearer <secret>}
 */
public record MintedToken(UUID id, UUID userId, String secret) {

  /**
   * Checks that no component is null.
   *
   * @param id the token id ({@code patId})
   * @param userId the owner's id
   * @param secret the secret to send as {@code Authorization: Bearer <secret>}
   * @throws NullPointerException if a component is null
   */
  public MintedToken {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(userId, "userId must not be null");
    Objects.requireNonNull(secret, "secret must not be null");
  }

  /**
   * Returns the value of an {@code Authorization} header carrying the secret.
   *
   * @return {@code Bearer <secret>}
   */
  public String authorization() {
    return "Bearer " + secret;
  }

  @Override
  public String toString() {
    // The secret stays out of logs and failure messages.
    return "MintedToken[id=" + id + ", userId=" + userId + ", secret=***]";
  }
}
