package dev.patguard.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The facts BRMS holds about one personal access token: the seed schema of {@code GET
 * /api/users/service/{userId}/personal-access-tokens/{patId}}.
 *
 * <p>It never holds the secret. Permissions are the strings BRMS sent, verbatim and in order:
 * unknown ones are kept so that they can match themselves and be reported, never dropped. Parse one
 * with {@link TokenJson#parseToken(String)}.
 *
 * @param id the token id ({@code patId})
 * @param note the token's description; empty when BRMS sent none
 * @param permissions the granted permission names, verbatim
 * @param allProjects whether the token covers every project of the organisation
 * @param projects the projects the token is scoped to when {@code allProjects} is false
 * @param user the owner
 * @param createdAt when the token was created, if sent
 * @param updatedAt when it was last updated, if sent
 * @param expiresAt when it expires (exclusive: at this instant it is expired); {@code null} when it
 *     never expires
 */
public record PersonalAccessToken(
    UUID id,
    String note,
    List<String> permissions,
    boolean allProjects,
    List<Project> projects,
    TokenOwner user,
    @Nullable Instant createdAt,
    @Nullable Instant updatedAt,
    @Nullable Instant expiresAt) {

  /**
   * Checks the required components and copies the lists, so the record is immutable.
   *
   * @param id the token id ({@code patId}); not null
   * @param note the token's description, empty when BRMS sent none; not null
   * @param permissions the granted permission names, verbatim; copied, no null elements
   * @param allProjects whether the token covers every project of the organisation
   * @param projects the projects the token is scoped to; copied, no null elements
   * @param user the owner; not null
   * @param createdAt when the token was created, or null
   * @param updatedAt when it was last updated, or null
   * @param expiresAt when it expires (exclusive), or null when it never expires
   * @throws NullPointerException if a required component, a list or an element is null
   */
  public PersonalAccessToken {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(note, "note must not be null");
    permissions = List.copyOf(permissions);
    projects = List.copyOf(projects);
    Objects.requireNonNull(user, "user must not be null");
  }

  /**
   * When the token expires, or empty when it never does.
   *
   * @return {@link #expiresAt()} as an optional
   */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * Whether the token is expired at {@code now}; expiry is exclusive, so at {@code expiresAt} it
   * is.
   *
   * @param now the instant to judge at
   * @return true if the token expires and {@code now} is not before its expiry
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * A short description for messages: id and note, never a secret.
   *
   * @return {@code token <id>}, followed by the quoted note when there is one
   */
  public String describe() {
    return note.isEmpty() ? "token " + id : "token " + id + " (\"" + note + "\")";
  }
}
