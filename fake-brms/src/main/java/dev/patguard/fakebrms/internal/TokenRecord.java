package dev.patguard.fakebrms.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A stored token, secret included; project scope by id so renames show up in responses. */
record TokenRecord(
    UUID id,
    UUID userId,
    String secret,
    String note,
    List<String> permissions,
    boolean allProjects,
    List<UUID> projectIds,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant expiresAt,
    boolean canReadOwnTokens) {

  TokenRecord {
    permissions = List.copyOf(permissions);
    projectIds = List.copyOf(projectIds);
  }

  TokenRecord withSecret(String newSecret, @Nullable Instant newExpiresAt, Instant now) {
    return new TokenRecord(
        id,
        userId,
        newSecret,
        note,
        permissions,
        allProjects,
        projectIds,
        createdAt,
        now,
        newExpiresAt,
        canReadOwnTokens);
  }

  TokenRecord withExpiresAt(@Nullable Instant newExpiresAt) {
    return new TokenRecord(
        id,
        userId,
        secret,
        note,
        permissions,
        allProjects,
        projectIds,
        createdAt,
        updatedAt,
        newExpiresAt,
        canReadOwnTokens);
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "TokenRecord[id=" + id + ", userId=" + userId + "]";
  }
}
