package dev.patguard.fakebrms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a token to mint, given to {@link FakeBrms#mint(java.util.function.Consumer)}.
 * Defaults: owned by a fresh active service user, note {@code fake-brms token}, no permissions, no
 * projects, expires in 30 days, a random 40-character base62 secret, may read its own tokens.
 */
public final class TokenSpec {

  private @Nullable UUID id;
  private @Nullable UUID ownerId;
  private String note = "fake-brms token";
  private List<String> permissions = List.of();
  private List<String> projectKeys = List.of();
  private boolean allProjects;
  private @Nullable Duration expiresIn = Duration.ofDays(30);
  private @Nullable Instant expiresAt;
  private @Nullable String secret;
  private boolean canReadOwnTokens = true;

  TokenSpec() {}

  /**
   * Sets a fixed token id.
   *
   * @param patId the id
   * @return this spec
   */
  public TokenSpec id(UUID patId) {
    this.id = Objects.requireNonNull(patId, "patId must not be null");
    return this;
  }

  /**
   * Sets the owner.
   *
   * @param owner a user of this fake
   * @return this spec
   */
  public TokenSpec owner(FakeUser owner) {
    Objects.requireNonNull(owner, "owner must not be null");
    return owner(owner.id());
  }

  /**
   * Sets the owner by id.
   *
   * @param userId the id of a user of this fake
   * @return this spec
   */
  public TokenSpec owner(UUID userId) {
    this.ownerId = Objects.requireNonNull(userId, "userId must not be null");
    return this;
  }

  /**
   * Sets the note.
   *
   * @param value the note
   * @return this spec
   */
  public TokenSpec note(String value) {
    this.note = Objects.requireNonNull(value, "note must not be null");
    return this;
  }

  /**
   * Sets the permissions (replacing earlier ones), kept verbatim, unknown strings included.
   *
   * @param values such as {@code releases:deploy}
   * @return this spec
   */
  public TokenSpec permissions(String... values) {
    Objects.requireNonNull(values, "permissions must not be null");
    return permissions(Arrays.asList(values));
  }

  /**
   * Sets the permissions (replacing earlier ones), kept verbatim, unknown strings included.
   *
   * @param values such as {@code releases:deploy}
   * @return this spec
   */
  public TokenSpec permissions(Collection<String> values) {
    this.permissions = copy(values, "permissions");
    return this;
  }

  /**
   * Sets the projects by key (replacing earlier ones); unknown keys create the project.
   *
   * @param keys project keys
   * @return this spec
   */
  public TokenSpec projects(String... keys) {
    Objects.requireNonNull(keys, "projects must not be null");
    return projects(Arrays.asList(keys));
  }

  /**
   * Sets the projects by key (replacing earlier ones); unknown keys create the project.
   *
   * @param keys project keys
   * @return this spec
   */
  public TokenSpec projects(Collection<String> keys) {
    List<String> copy = copy(keys, "projects");
    copy.forEach(k -> UserSpec.nonBlank(k, "project key"));
    this.projectKeys = copy;
    return this;
  }

  /**
   * Sets whether the token covers every project.
   *
   * @param value the flag
   * @return this spec
   */
  public TokenSpec allProjects(boolean value) {
    this.allProjects = value;
    return this;
  }

  /**
   * Expires the token this long after minting (fake clock).
   *
   * @param duration positive
   * @return this spec
   */
  public TokenSpec expiresIn(Duration duration) {
    Objects.requireNonNull(duration, "expiresIn must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("expiresIn must be positive: " + duration);
    }
    this.expiresIn = duration;
    this.expiresAt = null;
    return this;
  }

  /**
   * Expires the token at this instant; one in the past mints an expired token.
   *
   * @param instant the expiry, exclusive
   * @return this spec
   */
  public TokenSpec expiresAt(Instant instant) {
    this.expiresAt = Objects.requireNonNull(instant, "expiresAt must not be null");
    this.expiresIn = null;
    return this;
  }

  /**
   * Makes the token never expire ({@code expiresAt} null).
   *
   * @return this spec
   */
  public TokenSpec neverExpires() {
    this.expiresIn = null;
    this.expiresAt = null;
    return this;
  }

  /**
   * Sets a fixed secret instead of a random one.
   *
   * @param value visible ASCII without spaces, unique within the fake
   * @return this spec
   */
  public TokenSpec secret(String value) {
    Objects.requireNonNull(value, "secret must not be null");
    // The message never echoes the secret.
    if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("secret must be non-empty visible ASCII without spaces");
    }
    this.secret = value;
    return this;
  }

  /**
   * Sets whether {@link Endpoint#SELF_LIST} answers this token; false makes it answer 403.
   *
   * @param value the flag
   * @return this spec
   */
  public TokenSpec canReadOwnTokens(boolean value) {
    this.canReadOwnTokens = value;
    return this;
  }

  @Nullable UUID id() {
    return id;
  }

  @Nullable UUID ownerId() {
    return ownerId;
  }

  String note() {
    return note;
  }

  List<String> permissions() {
    return permissions;
  }

  List<String> projectKeys() {
    return projectKeys;
  }

  boolean allProjects() {
    return allProjects;
  }

  @Nullable Instant expiryFrom(Instant now) {
    return expiresIn != null ? now.plus(expiresIn) : expiresAt;
  }

  @Nullable String secret() {
    return secret;
  }

  boolean canReadOwnTokens() {
    return canReadOwnTokens;
  }

  private static List<String> copy(Collection<String> values, String name) {
    Objects.requireNonNull(values, name + " must not be null");
    List<String> copy = new ArrayList<>(values.size());
    for (String v : values) {
      copy.add(Objects.requireNonNull(v, name + " must not contain null"));
    }
    return List.copyOf(copy);
  }
}
