package dev.patguard.fakebrms;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A deployment the fake accepted on {@link Endpoint#DEPLOY}.
 *
 * @param projectId the project's id
 * @param projectKey the project's key
 * @param releaseId the {@code releaseId} of the request body, if any
 * @param environmentId the {@code environmentId} of the request body, if any
 * @param comment the {@code comment} of the request body, if any
 * @param patId the id of the token that deployed
 * @param at when it was accepted (fake clock)
 */
public record Deployment(
    UUID projectId,
    String projectKey,
    @Nullable String releaseId,
    @Nullable String environmentId,
    @Nullable String comment,
    UUID patId,
    Instant at) {

  /**
   * Checks the required components; the three request-body fields may be null.
   *
   * @param projectId the project's id, not null
   * @param projectKey the project's key, not null
   * @param releaseId the {@code releaseId} of the request body, or null
   * @param environmentId the {@code environmentId} of the request body, or null
   * @param comment the {@code comment} of the request body, or null
   * @param patId the id of the token that deployed, not null
   * @param at when it was accepted (fake clock), not null
   * @throws NullPointerException if a required component is null
   */
  public Deployment {
    Objects.requireNonNull(projectId, "projectId must not be null");
    Objects.requireNonNull(projectKey, "projectKey must not be null");
    Objects.requireNonNull(patId, "patId must not be null");
    Objects.requireNonNull(at, "at must not be null");
  }
}
