package dev.patguard.fakebrms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a token, shaped like the PAT object the fake serves. It never holds the secret.
 *
 * @param id the token id ({@code patId})
 * @param note the note
 * @param permissions the permission strings, verbatim
 * @param allProjects whether the token covers every project
 * @param projects the projects the token is scoped to
 * @param user the owner, as it is now
 * @param createdAt when it was created (fake clock)
 * @param updatedAt when it was last updated (fake clock)
 * @param expiresAt when it expires (exclusive), or null if it never expires
 * @param canReadOwnTokens whether {@link Endpoint#SELF_LIST} answers this token (403 otherwise)
 */
public record FakeToken(
    UUID id,
    String note,
    List<String> permissions,
    boolean allProjects,
    List<FakeProject> projects,
    FakeUser user,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant expiresAt,
    boolean canReadOwnTokens) {

  /**
   * Checks for nulls and copies the lists, so the record is immutable.
   *
   * @param id the token id ({@code patId}), not null
   * @param note the note, not null
   * @param permissions the permission strings, verbatim; copied, no null elements
   * @param allProjects whether the token covers every project
   * @param projects the projects the token is scoped to; copied, no null elements
   * @param user the owner, not null
   * @param createdAt when it was created (fake clock), not null
   * @param updatedAt when it was last updated (fake clock), not null
   * @param expiresAt when it expires (exclusive), or null if it never expires
   * @param canReadOwnTokens whether {@link Endpoint#SELF_LIST} answers this token (403 otherwise)
   * @throws NullPointerException if a component other than {@code expiresAt} is null, or a list
   *     holds a null
   */
  public FakeToken {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(note, "note must not be null");
    permissions = List.copyOf(permissions);
    projects = List.copyOf(projects);
    Objects.requireNonNull(user, "user must not be null");
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    Objects.requireNonNull(updatedAt, "updatedAt must not be null");
  }

  /**
   * Returns the owner's id.
   *
   * @return the user id
   */
  public UUID userId() {
    return user.id();
  }

  /**
   * Returns the expiry, empty if the token never expires.
   *
   * @return the expiry
   */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * Tells whether the token is expired at {@code now}; expiry is exclusive.
   *
   * @param now the instant to check
   * @return true if {@code expiresAt <= now}
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }
}
