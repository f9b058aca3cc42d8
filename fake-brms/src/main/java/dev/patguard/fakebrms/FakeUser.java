package dev.patguard.fakebrms;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A user of the fake, as served inside a token's {@code user} object (plus {@link #admin()}, which
 * is not served). A snapshot: {@link FakeBrms#setOwnerStatus(UUID, String)} does not change it.
 *
 * @param id the user id
 * @param email the email address
 * @param type the user type, such as {@code service account} or {@code member}
 * @param status the status, such as {@code active}
 * @param firstName the first name
 * @param lastName the last name
 * @param isService whether it is a service user (the service endpoints only serve these)
 * @param admin whether its tokens may call the service-user endpoints
 * @param createdAt when it was created (fake clock)
 * @param updatedAt when it was last updated (fake clock)
 */
public record FakeUser(
    UUID id,
    String email,
    String type,
    String status,
    String firstName,
    String lastName,
    boolean isService,
    boolean admin,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Checks that no component is null.
   *
   * @param id the user id
   * @param email the email address
   * @param type the user type, such as {@code service account} or {@code member}
   * @param status the status, such as {@code active}
   * @param firstName the first name
   * @param lastName the last name
   * @param isService whether it is a service user (the service endpoints only serve these)
   * @param admin whether its tokens may call the service-user endpoints
   * @param createdAt when it was created (fake clock)
   * @param updatedAt when it was last updated (fake clock)
   * @throws NullPointerException if a component is null
   */
  public FakeUser {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(email, "email must not be null");
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(status, "status must not be null");
    Objects.requireNonNull(firstName, "firstName must not be null");
    Objects.requireNonNull(lastName, "lastName must not be null");
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    Objects.requireNonNull(updatedAt, "updatedAt must not be null");
  }

  /**
   * Returns a copy with another status.
   *
   * @param newStatus the status
   * @param now the update time
   * @return the copy
   */
  public FakeUser withStatus(String newStatus, Instant now) {
    return new FakeUser(
        id, email, type, newStatus, firstName, lastName, isService, admin, createdAt, now);
  }
}
