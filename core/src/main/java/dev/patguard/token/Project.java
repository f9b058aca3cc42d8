package dev.patguard.token;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A project a token is scoped to, as BRMS describes it.
 *
 * @param id the project id
 * @param name the display name, if BRMS sent one
 * @param organisationId the owning organisation, if sent
 * @param version the project version string, if sent
 * @param key the project's short key (such as {@code web-shop}), if sent; requirements may name a
 *     project by key, and a project without one can only be matched by id
 * @param isProtected BRMS's {@code protected} flag; what it changes is not documented, so it is
 *     carried but never used to widen or narrow a decision
 * @param createdAt when the project was created, if sent
 * @param updatedAt when it was last updated, if sent
 */
public record Project(
    UUID id,
    @Nullable String name,
    @Nullable UUID organisationId,
    @Nullable String version,
    @Nullable String key,
    boolean isProtected,
    @Nullable Instant createdAt,
    @Nullable Instant updatedAt) {

  /**
   * Checks the id; everything else may be missing, as BRMS may not send it.
   *
   * @param id the project id; not null
   * @param name the display name, or null
   * @param organisationId the owning organisation, or null
   * @param version the project version string, or null
   * @param key the project's short key, or null (then only an id can name it)
   * @param isProtected BRMS's {@code protected} flag, carried but never used in a decision
   * @param createdAt when the project was created, or null
   * @param updatedAt when it was last updated, or null
   * @throws NullPointerException if {@code id} is null
   */
  public Project {
    Objects.requireNonNull(id, "id must not be null");
  }

  /**
   * A project known only by id and key: what tests and requirements usually need.
   *
   * @param id the project id; not null
   * @param key the project key, or null
   * @return an unprotected project whose name is its key, with nothing else known
   * @throws NullPointerException if {@code id} is null
   */
  public static Project of(UUID id, @Nullable String key) {
    return new Project(id, key, null, null, key, false, null, null);
  }

  /**
   * The key if there is one, else the id: how reasons and reports name this project.
   *
   * @return the key, or the id in lower case
   */
  public String label() {
    return key != null ? key : id.toString();
  }
}
