package dev.patguard.testing;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.TokenOwner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Tokens for tests: the seed fixture, and a builder with sensible, live defaults. */
public final class TestTokens {
  /** The fixed "now" every decision test runs at. */
  public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  public static final UUID OWNER_ID = UUID.fromString("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d");

  private TestTokens() {}

  /** The seed example with realistic values ({@code fixtures/seed-token.json}). */
  public static String seedJson() {
    try (InputStream in = TestTokens.class.getResourceAsStream("/fixtures/seed-token.json")) {
      Objects.requireNonNull(in, "fixtures/seed-token.json is not on the test class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A stable id for the project with this key, so that tests can name it by id or by key. */
  public static UUID projectId(String key) {
    return UUID.nameUUIDFromBytes(("project:" + key).getBytes(StandardCharsets.UTF_8));
  }

  public static Builder token() {
    return new Builder();
  }

  /**
   * Builds a {@link PersonalAccessToken}; defaults: live for 30 days, owner active, no permissions.
   */
  public static final class Builder {
    private UUID id = UUID.randomUUID();
    private String note = "test token";
    private final List<String> permissions = new ArrayList<>();
    private boolean allProjects;
    private final List<Project> projects = new ArrayList<>();
    private UUID ownerId = OWNER_ID;
    private String email = "ci-bot@example.com";
    private String status = "active";
    private Instant expiresAt = NOW.plus(Duration.ofDays(30));

    private Builder() {}

    public Builder id(UUID id) {
      this.id = id;
      return this;
    }

    public Builder note(String note) {
      this.note = note;
      return this;
    }

    public Builder permissions(String... names) {
      permissions.addAll(List.of(names));
      return this;
    }

    public Builder permissions(Collection<String> names) {
      permissions.addAll(names);
      return this;
    }

    public Builder allProjects(boolean allProjects) {
      this.allProjects = allProjects;
      return this;
    }

    /** Adds the project with this key (and the id {@link #projectId(String)} gives it). */
    public Builder project(String key) {
      projects.add(Project.of(projectId(key), key));
      return this;
    }

    public Builder projects(Collection<String> keys) {
      keys.forEach(this::project);
      return this;
    }

    public Builder ownerId(UUID ownerId) {
      this.ownerId = ownerId;
      return this;
    }

    /** The owner's status; {@code null} for none sent. */
    public Builder status(String status) {
      this.status = status;
      return this;
    }

    /** The expiry; {@code null} for a token that never expires. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public Builder neverExpires() {
      this.expiresAt = null;
      return this;
    }

    public PersonalAccessToken build() {
      return new PersonalAccessToken(
          id,
          note,
          permissions,
          allProjects,
          projects,
          TokenOwner.of(ownerId, email, status),
          NOW.minus(Duration.ofDays(1)),
          null,
          expiresAt);
    }
  }
}
