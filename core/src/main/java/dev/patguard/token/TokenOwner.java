package dev.patguard.token;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The user a token belongs to.
 *
 * @param id the user id
 * @param email the user's email, if sent
 * @param type BRMS's user type (seen: {@code self}, {@code member}, {@code service account}, {@code
 *     invited}); the full set is not documented, so it is informational only
 * @param status BRMS's user status (seen: {@code active}, {@code pending}); {@code null} when BRMS
 *     did not send one, which a decision treats as not active
 * @param firstName first name, if sent
 * @param lastName last name, if sent
 * @param isService whether this is a service user
 * @param createdAt when the user was created, if sent
 * @param updatedAt when the user was last updated, if sent
 */
public record TokenOwner(
    UUID id,
    @Nullable String email,
    @Nullable String type,
    @Nullable String status,
    @Nullable String firstName,
    @Nullable String lastName,
    boolean isService,
    @Nullable Instant createdAt,
    @Nullable Instant updatedAt) {

  /**
   * Checks the id; everything else may be missing, as BRMS may not send it.
   *
   * @param id the user id; not null
   * @param email the user's email, or null
   * @param type BRMS's user type, or null; informational only
   * @param status BRMS's user status, or null (a decision treats null as not active)
   * @param firstName first name, or null
   * @param lastName last name, or null
   * @param isService whether this is a service user
   * @param createdAt when the user was created, or null
   * @param updatedAt when the user was last updated, or null
   * @throws NullPointerException if {@code id} is null
   */
  public TokenOwner {
    Objects.requireNonNull(id, "id must not be null");
  }

  /**
   * An owner known only by id, email and status: what tests usually need.
   *
   * @param id the user id; not null
   * @param email the user's email, or null
   * @param status the user's status, such as {@code active}; null is treated as not active
   * @return an owner that is not a service user, with nothing else known
   * @throws NullPointerException if {@code id} is null
   */
  public static TokenOwner of(UUID id, @Nullable String email, @Nullable String status) {
    return new TokenOwner(id, email, null, status, null, null, false, null, null);
  }
}
