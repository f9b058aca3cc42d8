package dev.patguard.fakebrms;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A project as served inside a token's {@code projects} array.
 *
 * @param id the project id
 * @param key the project key, unique within the fake
 * @param name the display name
 * @param organisationId the organisation shared by every project of the fake
 * @param version the project version string
 * @param isProtected the {@code protected} flag
 * @param createdAt when it was created (fake clock)
 * @param updatedAt when it was last updated (fake clock)
 */
public record FakeProject(
    UUID id,
    String key,
    String name,
    UUID organisationId,
    String version,
    boolean isProtected,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Checks that no component is null.
   *
   * @param id the project id
   * @param key the project key, unique within the fake
   * @param name the display name
   * @param organisationId the organisation shared by every project of the fake
   * @param version the project version string
   * @param isProtected the {@code protected} flag
   * @param createdAt when it was created (fake clock)
   * @param updatedAt when it was last updated (fake clock)
   * @throws NullPointerException if a component is null
   */
  public FakeProject {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(organisationId, "organisationId must not be null");
    Objects.requireNonNull(version, "version must not be null");
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    Objects.requireNonNull(updatedAt, "updatedAt must not be null");
  }
}
