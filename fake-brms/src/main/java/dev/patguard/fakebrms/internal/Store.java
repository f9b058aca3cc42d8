package dev.patguard.fakebrms.internal;

import dev.patguard.fakebrms.Deployment;
import dev.patguard.fakebrms.FakeProject;
import dev.patguard.fakebrms.FakeToken;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The fake's state: projects, users, tokens and deployments. One lock guards it; the critical
 * sections are map look-ups, and responses are rendered from immutable snapshots outside the lock.
 * Tokens are also indexed by owner and users by email, so that neither a user's token list nor a
 * new user's email check scans everything: filling the fake with 100 000 tokens stays linear.
 */
public final class Store {

  private final Clock clock;
  private final UUID organisationId;
  private final Map<UUID, FakeProject> projects = new LinkedHashMap<>();
  private final Map<String, UUID> projectIdsByKey = new HashMap<>();
  private final Map<UUID, FakeUser> users = new LinkedHashMap<>();
  private final Map<UUID, TokenRecord> tokens = new LinkedHashMap<>();

  /** Each user's token ids, in the order {@link #tokens} holds them (creation order). */
  private final Map<UUID, LinkedHashSet<UUID>> tokenIdsByUser = new HashMap<>();

  /** User ids by {@link #emailKey(String) case-folded email}, for the uniqueness check. */
  private final Map<String, UUID> userIdsByEmail = new HashMap<>();

  private final Map<String, UUID> tokenIdsBySecret = new HashMap<>();
  private final List<Deployment> deployments = new ArrayList<>();
  private int generatedUsers;

  /**
   * Creates an empty store.
   *
   * @param clock the clock for timestamps and expiry
   * @param organisationId the organisation of every project
   */
  public Store(Clock clock, UUID organisationId) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.organisationId = Objects.requireNonNull(organisationId, "organisationId must not be null");
  }

  /**
   * Returns the organisation id.
   *
   * @return the id
   */
  public UUID organisationId() {
    return organisationId;
  }

  /**
   * Returns the clock's instant truncated to milliseconds, the precision the JSON shows.
   *
   * @return now
   */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Creates a project.
   *
   * @param key the unique key
   * @param name the name
   * @return the project
   */
  public synchronized FakeProject createProject(String key, String name) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(name, "name must not be null");
    if (key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
    if (projectIdsByKey.containsKey(key)) {
      throw new IllegalArgumentException("a project with key " + key + " already exists");
    }
    Instant now = now();
    FakeProject project =
        new FakeProject(UUID.randomUUID(), key, name, organisationId, "1", false, now, now);
    projects.put(project.id(), project);
    projectIdsByKey.put(key, project.id());
    return project;
  }

  /**
   * Finds a project by id (UUID text) or key.
   *
   * @param keyOrId the key or id
   * @return the project
   */
  public synchronized Optional<FakeProject> project(String keyOrId) {
    Objects.requireNonNull(keyOrId, "keyOrId must not be null");
    UUID id = projectIdsByKey.get(keyOrId);
    if (id == null) {
      id = Uuids.parse(keyOrId);
    }
    return id == null ? Optional.empty() : Optional.ofNullable(projects.get(id));
  }

  /**
   * Lists the projects in creation order.
   *
   * @return the projects
   */
  public synchronized List<FakeProject> projects() {
    return List.copyOf(projects.values());
  }

  /**
   * Adds a user.
   *
   * @param user the user; its id and email must be new
   * @return the user
   */
  public synchronized FakeUser addUser(FakeUser user) {
    Objects.requireNonNull(user, "user must not be null");
    if (users.containsKey(user.id())) {
      throw new IllegalArgumentException("a user with id " + user.id() + " already exists");
    }
    String emailKey = emailKey(user.email());
    if (userIdsByEmail.containsKey(emailKey)) {
      throw new IllegalArgumentException("a user with email " + user.email() + " already exists");
    }
    users.put(user.id(), user);
    userIdsByEmail.put(emailKey, user.id());
    return user;
  }

  /**
   * The key under which two emails collide exactly when {@link String#equalsIgnoreCase} says they
   * are equal: each code point upper-cased, then lower-cased (what {@code equalsIgnoreCase}
   * compares when the code points differ).
   */
  static String emailKey(String email) {
    StringBuilder key = new StringBuilder(email.length());
    email
        .codePoints()
        .forEach(cp -> key.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
    return key.toString();
  }

  /**
   * Returns a fresh email for a user created without one.
   *
   * @param prefix such as {@code user}
   * @return such as {@code user-3@fake-brms.test}
   */
  public synchronized String nextEmail(String prefix) {
    return prefix + "-" + (++generatedUsers) + "@fake-brms.test";
  }

  /**
   * Finds a user.
   *
   * @param userId the id
   * @return the user as it is now
   */
  public synchronized Optional<FakeUser> user(UUID userId) {
    return Optional.ofNullable(users.get(userId));
  }

  /**
   * Lists the users in creation order.
   *
   * @return the users
   */
  public synchronized List<FakeUser> users() {
    return List.copyOf(users.values());
  }

  /**
   * Changes a user's status.
   *
   * @param userId the user
   * @param status the new status
   */
  public synchronized void setUserStatus(UUID userId, String status) {
    Objects.requireNonNull(status, "status must not be null");
    FakeUser user = requireUser(userId);
    users.put(userId, user.withStatus(status, now()));
  }

  /**
   * Mints a token.
   *
   * @param id a fixed id, or null for a random one
   * @param ownerId an existing user
   * @param note the note
   * @param permissions verbatim permissions
   * @param allProjects the flag
   * @param projectKeys project keys; unknown ones are created
   * @param expiresAt the expiry or null
   * @param secret a fixed secret or null for a random one
   * @param canReadOwnTokens whether the self list answers this token
   * @return the minted token
   */
  public synchronized MintedToken mint(
      @Nullable UUID id,
      UUID ownerId,
      String note,
      List<String> permissions,
      boolean allProjects,
      List<String> projectKeys,
      @Nullable Instant expiresAt,
      @Nullable String secret,
      boolean canReadOwnTokens) {
    requireUser(ownerId);
    UUID patId = id != null ? id : UUID.randomUUID();
    if (tokens.containsKey(patId)) {
      throw new IllegalArgumentException("a token with id " + patId + " already exists");
    }
    if (secret != null && tokenIdsBySecret.containsKey(secret)) {
      // Never echo the secret.
      throw new IllegalArgumentException("another token already has this secret");
    }
    List<UUID> projectIds = new ArrayList<>();
    for (String key : projectKeys) {
      UUID projectId = projectIdsByKey.get(key);
      projectIds.add(projectId != null ? projectId : createProject(key, key).id());
    }
    String actualSecret = secret != null ? secret : freshSecret();
    Instant now = now();
    TokenRecord token =
        new TokenRecord(
            patId,
            ownerId,
            actualSecret,
            note,
            permissions,
            allProjects,
            projectIds,
            now,
            now,
            expiresAt,
            canReadOwnTokens);
    put(token);
    return new MintedToken(patId, ownerId, actualSecret);
  }

  /**
   * Removes a token; its secret stops working.
   *
   * @param patId the token
   */
  public synchronized void revoke(UUID patId) {
    TokenRecord token = requireToken(patId);
    tokens.remove(patId);
    tokenIdsBySecret.remove(token.secret());
    LinkedHashSet<UUID> own = tokenIdsByUser.get(token.userId());
    if (own != null) {
      own.remove(patId);
      if (own.isEmpty()) {
        tokenIdsByUser.remove(token.userId());
      }
    }
  }

  /**
   * Sets a token's expiry to one second before now.
   *
   * @param patId the token
   */
  public synchronized void expire(UUID patId) {
    TokenRecord token = requireToken(patId);
    tokens.put(patId, token.withExpiresAt(now().minus(Duration.ofSeconds(1))));
  }

  /**
   * Returns a snapshot of a token.
   *
   * @param patId the token
   * @return the snapshot
   */
  public synchronized Optional<FakeToken> token(UUID patId) {
    TokenRecord token = tokens.get(patId);
    return token == null ? Optional.empty() : Optional.of(view(token));
  }

  /**
   * Returns snapshots of a user's tokens, expired ones included.
   *
   * @param userId the user
   * @return the tokens in creation order
   */
  public synchronized List<FakeToken> tokensOf(UUID userId) {
    LinkedHashSet<UUID> own = tokenIdsByUser.get(userId);
    if (own == null) {
      return List.of();
    }
    List<FakeToken> result = new ArrayList<>(own.size());
    for (UUID patId : own) {
      result.add(view(tokens.get(patId)));
    }
    return List.copyOf(result);
  }

  /**
   * Lists the accepted deployments.
   *
   * @return the deployments in order
   */
  public synchronized List<Deployment> deployments() {
    return List.copyOf(deployments);
  }

  /**
   * Copies the state: projects, users, tokens (secrets included), deployments and the counter
   * behind generated emails. The clock and the organisation id are not state: they never change.
   *
   * @return the copy, which never changes
   */
  public synchronized State snapshot() {
    return new State(
        List.copyOf(projects.values()),
        List.copyOf(users.values()),
        List.copyOf(tokens.values()),
        List.copyOf(deployments),
        generatedUsers);
  }

  /**
   * Puts the state back as it was in a snapshot: what was added since is gone, what was changed or
   * removed is back. The snapshot stays as it is, so it can be restored again.
   *
   * @param state from {@link #snapshot()} of this store
   */
  public synchronized void restore(State state) {
    Objects.requireNonNull(state, "state must not be null");
    projects.clear();
    projectIdsByKey.clear();
    users.clear();
    userIdsByEmail.clear();
    tokens.clear();
    tokenIdsByUser.clear();
    tokenIdsBySecret.clear();
    deployments.clear();
    for (FakeProject project : state.projects) {
      projects.put(project.id(), project);
      projectIdsByKey.put(project.key(), project.id());
    }
    for (FakeUser user : state.users) {
      users.put(user.id(), user);
      userIdsByEmail.put(emailKey(user.email()), user.id());
    }
    // In creation order, so each user's index keeps the order of the token map.
    state.tokens.forEach(this::put);
    deployments.addAll(state.deployments);
    generatedUsers = state.generatedUsers;
  }

  /** The store's content at a {@link #snapshot()}: immutable values only, and opaque. */
  public static final class State {
    private final List<FakeProject> projects;
    private final List<FakeUser> users;
    private final List<TokenRecord> tokens;
    private final List<Deployment> deployments;
    private final int generatedUsers;

    private State(
        List<FakeProject> projects,
        List<FakeUser> users,
        List<TokenRecord> tokens,
        List<Deployment> deployments,
        int generatedUsers) {
      this.projects = projects;
      this.users = users;
      this.tokens = tokens;
      this.deployments = deployments;
      this.generatedUsers = generatedUsers;
    }

    @Override
    public String toString() {
      // Counts only: the tokens hold secrets.
      return projects.size()
          + " projects, "
          + users.size()
          + " users, "
          + tokens.size()
          + " tokens, "
          + deployments.size()
          + " deployments";
    }
  }

  /** Finds the live (known, unexpired) token with this secret. */
  synchronized Optional<FakeToken> authenticate(String secret) {
    UUID patId = tokenIdsBySecret.get(secret);
    TokenRecord token = patId == null ? null : tokens.get(patId);
    if (token == null) {
      return Optional.empty();
    }
    FakeToken view = view(token);
    // Expiry is exclusive: at expiresAt the token is expired.
    return view.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(view);
  }

  /** Deletes one of the user's own tokens; empty if the user has no such token. */
  synchronized Optional<FakeToken> deleteOwn(UUID userId, UUID patId) {
    TokenRecord token = tokens.get(patId);
    if (token == null || !token.userId().equals(userId)) {
      return Optional.empty();
    }
    FakeToken view = view(token);
    revoke(patId);
    return Optional.of(view);
  }

  /** Finds a service user (not a plain member). */
  synchronized Optional<FakeUser> serviceUser(UUID userId) {
    FakeUser user = users.get(userId);
    return user != null && user.isService() ? Optional.of(user) : Optional.empty();
  }

  /** Finds a token of this user. */
  synchronized Optional<FakeToken> tokenOf(UUID userId, UUID patId) {
    TokenRecord token = tokens.get(patId);
    return token != null && token.userId().equals(userId)
        ? Optional.of(view(token))
        : Optional.empty();
  }

  /** Gives a token a new random secret and expiry; the old secret stops working. */
  synchronized Optional<Issued> regenerate(UUID userId, UUID patId, @Nullable Instant expiresAt) {
    TokenRecord token = tokens.get(patId);
    if (token == null || !token.userId().equals(userId)) {
      return Optional.empty();
    }
    tokenIdsBySecret.remove(token.secret());
    TokenRecord renewed = token.withSecret(freshSecret(), expiresAt, now());
    put(renewed);
    return Optional.of(new Issued(view(renewed), renewed.secret()));
  }

  /** Creates a token for a user from already validated project ids. */
  synchronized Issued create(
      UUID userId,
      String note,
      List<String> permissions,
      boolean allProjects,
      List<UUID> projectIds,
      @Nullable Instant expiresAt) {
    Instant now = now();
    TokenRecord token =
        new TokenRecord(
            UUID.randomUUID(),
            userId,
            freshSecret(),
            note,
            permissions,
            allProjects,
            projectIds,
            now,
            now,
            expiresAt,
            true);
    put(token);
    return new Issued(view(token), token.secret());
  }

  synchronized void recordDeployment(Deployment deployment) {
    deployments.add(deployment);
  }

  /** A token together with its new secret, for create and regenerate responses. */
  record Issued(FakeToken token, String secret) {
    @Override
    public String toString() {
      return "Issued[" + token.id() + "]";
    }
  }

  private void put(TokenRecord token) {
    tokens.put(token.id(), token);
    tokenIdsBySecret.put(token.secret(), token.id());
    // A token already present keeps its place, as it does in the LinkedHashMap above.
    tokenIdsByUser.computeIfAbsent(token.userId(), u -> new LinkedHashSet<>()).add(token.id());
  }

  private String freshSecret() {
    String secret = Secrets.next();
    while (tokenIdsBySecret.containsKey(secret)) {
      secret = Secrets.next();
    }
    return secret;
  }

  private FakeUser requireUser(UUID userId) {
    Objects.requireNonNull(userId, "userId must not be null");
    FakeUser user = users.get(userId);
    if (user == null) {
      throw new IllegalArgumentException("no user with id " + userId);
    }
    return user;
  }

  private TokenRecord requireToken(UUID patId) {
    Objects.requireNonNull(patId, "patId must not be null");
    TokenRecord token = tokens.get(patId);
    if (token == null) {
      throw new IllegalArgumentException("no token with id " + patId);
    }
    return token;
  }

  private FakeToken view(TokenRecord token) {
    List<FakeProject> scoped = new ArrayList<>(token.projectIds().size());
    for (UUID projectId : token.projectIds()) {
      FakeProject project = projects.get(projectId);
      if (project != null) {
        scoped.add(project);
      }
    }
    return new FakeToken(
        token.id(),
        token.note(),
        token.permissions(),
        token.allProjects(),
        scoped,
        requireUser(token.userId()),
        token.createdAt(),
        token.updatedAt(),
        token.expiresAt(),
        token.canReadOwnTokens());
  }
}
