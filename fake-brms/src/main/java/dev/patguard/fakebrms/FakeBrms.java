package dev.patguard.fakebrms;

import dev.patguard.fakebrms.internal.Counters;
import dev.patguard.fakebrms.internal.DataFile;
import dev.patguard.fakebrms.internal.Faults;
import dev.patguard.fakebrms.internal.HttpFront;
import dev.patguard.fakebrms.internal.Store;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A BRMS-compatible HTTP server on 127.0.0.1: personal-access-token endpoints, release endpoints,
 * token minting, fault injection and request counters. Thread-safe.
 *
 * <pre>{@code
 * try (FakeBrms brms = FakeBrms.builder().clock(clock).start()) {
 *     MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
 *     // send "Authorization: Bearer " + t.secret() to brms.baseUrl()
 * }
 * }</pre>
 *
 * <p>Authentication: a bearer secret that is unknown, revoked or expired ({@code expiresAt <= now}
 * on the fake's clock) gets 401. The owner's status does not affect authentication, since what the
 * real BRMS does is unknown; patguard checks the status itself.
 */
public final class FakeBrms implements AutoCloseable {

  private final Store store;
  private final Faults faults;
  private final Counters counters;
  private final HttpFront front;
  private final Clock clock;

  private FakeBrms(Store store, Faults faults, Counters counters, HttpFront front, Clock clock) {
    this.store = store;
    this.faults = faults;
    this.counters = counters;
    this.front = front;
    this.clock = clock;
  }

  /**
   * Returns a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a fake with the defaults: system UTC clock, ephemeral port, no data.
   *
   * @return the running fake
   */
  public static FakeBrms start() {
    return builder().start();
  }

  /**
   * Returns the base URL.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI baseUrl() {
    return front.baseUrl();
  }

  /**
   * Returns the organisation id shared by all projects.
   *
   * @return the id
   */
  public UUID organisationId() {
    return store.organisationId();
  }

  /**
   * Returns the clock used for timestamps and expiry.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Creates a project with a random id.
   *
   * @param key the unique key, such as {@code web-shop}
   * @param name the display name
   * @return the project
   */
  public FakeProject createProject(String key, String name) {
    return store.createProject(key, name);
  }

  /**
   * Finds a project by key or id.
   *
   * @param keyOrId the key, or the id as text
   * @return the project
   */
  public Optional<FakeProject> project(String keyOrId) {
    return store.project(keyOrId);
  }

  /**
   * Lists the projects.
   *
   * @return the projects in creation order
   */
  public List<FakeProject> projects() {
    return store.projects();
  }

  /**
   * Creates a user.
   *
   * @param spec sets up the user, e.g. {@code u -> u.email("ci@acme.test").serviceAccount()}
   * @return the user
   */
  public FakeUser createUser(Consumer<UserSpec> spec) {
    Objects.requireNonNull(spec, "spec must not be null");
    UserSpec s = new UserSpec();
    spec.accept(s);
    String email =
        s.email() != null ? s.email() : store.nextEmail(s.service() ? "service" : "user");
    int at = email.indexOf('@');
    String firstName =
        s.firstName() != null ? s.firstName() : at > 0 ? email.substring(0, at) : email;
    UUID id = s.id() != null ? s.id() : UUID.randomUUID();
    Instant now = store.now();
    return store.addUser(
        new FakeUser(
            id,
            email,
            s.type(),
            s.status(),
            firstName,
            s.lastName(),
            s.service(),
            s.isAdmin(),
            now,
            now));
  }

  /**
   * Finds a user.
   *
   * @param userId the id
   * @return the user as it is now
   */
  public Optional<FakeUser> user(UUID userId) {
    return store.user(Objects.requireNonNull(userId, "userId must not be null"));
  }

  /**
   * Lists the users.
   *
   * @return the users in creation order
   */
  public List<FakeUser> users() {
    return store.users();
  }

  /**
   * Mints a token.
   *
   * @param spec sets up the token, e.g. {@code t ->
   *     t.permissions("releases:deploy").projects("web-shop")}
   * @return the token with its secret
   */
  public MintedToken mint(Consumer<TokenSpec> spec) {
    Objects.requireNonNull(spec, "spec must not be null");
    TokenSpec s = new TokenSpec();
    spec.accept(s);
    UUID owner =
        s.ownerId() != null
            ? s.ownerId()
            : createUser(u -> u.serviceAccount().status("active")).id();
    return store.mint(
        s.id(),
        owner,
        s.note(),
        s.permissions(),
        s.allProjects(),
        s.projectKeys(),
        s.expiryFrom(store.now()),
        s.secret(),
        s.canReadOwnTokens());
  }

  /**
   * Mints a token with the defaults of {@link TokenSpec}.
   *
   * @return the token with its secret
   */
  public MintedToken mint() {
    return mint(s -> {});
  }

  /**
   * Revokes a token: its secret gets 401 and it disappears from lists.
   *
   * @param patId the token id
   * @throws IllegalArgumentException if there is no such token
   */
  public void revoke(UUID patId) {
    store.revoke(patId);
  }

  /**
   * Expires a token: sets {@code expiresAt} to one second before the clock's now.
   *
   * @param patId the token id
   * @throws IllegalArgumentException if there is no such token
   */
  public void expire(UUID patId) {
    store.expire(patId);
  }

  /**
   * Changes a user's status, served as {@code user.status}; authentication is not affected.
   *
   * @param userId the user
   * @param status such as {@code inactive}
   * @throws IllegalArgumentException if there is no such user
   */
  public void setOwnerStatus(UUID userId, String status) {
    store.setUserStatus(userId, status);
  }

  /**
   * Returns a snapshot of a token.
   *
   * @param patId the token id
   * @return the token, empty if unknown or revoked
   */
  public Optional<FakeToken> token(UUID patId) {
    return store.token(Objects.requireNonNull(patId, "patId must not be null"));
  }

  /**
   * Returns snapshots of a user's tokens, expired ones included.
   *
   * @param userId the user
   * @return the tokens in creation order
   */
  public List<FakeToken> tokensOf(UUID userId) {
    return store.tokensOf(Objects.requireNonNull(userId, "userId must not be null"));
  }

  /**
   * Lists the deployments accepted on {@link Endpoint#DEPLOY}.
   *
   * @return the deployments in order
   */
  public List<Deployment> deployments() {
    return store.deployments();
  }

  /**
   * Applies a fault to every request to an endpoint until {@link #clearFaults()}. Faults queue per
   * endpoint in injection order; this one hides any injected after it.
   *
   * @param endpoint the endpoint
   * @param fault the fault
   */
  public void inject(Endpoint endpoint, Fault fault) {
    faults.inject(endpoint, fault, 0);
  }

  /**
   * Applies a fault to the next {@code times} requests to an endpoint, then the next injected fault
   * (if any) or healthy answers follow.
   *
   * @param endpoint the endpoint
   * @param fault the fault
   * @param times at least 1
   */
  public void inject(Endpoint endpoint, Fault fault, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    faults.inject(endpoint, fault, times);
  }

  /** Removes all faults. */
  public void clearFaults() {
    faults.clear();
  }

  /**
   * Removes the faults of one endpoint.
   *
   * @param endpoint the endpoint
   */
  public void clearFaults(Endpoint endpoint) {
    faults.clear(endpoint);
  }

  /**
   * Records the fake's state, to put it back later with {@link #restore(Snapshot)}: projects, users
   * (with their status), tokens (minted, revoked, expired or regenerated, by the Java API or over
   * HTTP), deployments and injected faults (with the requests a counted fault has left, and where a
   * random fault's seeded sequence stands). Not recorded: the request counters (see {@link
   * #resetCounters()}) and the clock, which belongs to the caller (a {@link MutableClock} goes back
   * with {@link MutableClock#set}).
   *
   * <pre>{@code
   * FakeBrms.Snapshot clean = brms.snapshot();   // after the shared setup
   * // ... a test mints, revokes, injects ...
   * brms.restore(clean);                         // the next test starts from the shared setup
   * }</pre>
   *
   * @return the snapshot; it never changes, and its {@code toString} shows counts, never secrets
   */
  public Snapshot snapshot() {
    return new Snapshot(this, store.snapshot(), faults.snapshot());
  }

  /**
   * Puts the fake back as it was at a snapshot: tokens minted since are gone (their secrets get
   * 401), revoked, expired or regenerated ones are back as they were, and so are users, projects,
   * deployments and faults. A snapshot can be restored any number of times. The counters and the
   * clock are left alone. Requests being served meanwhile finish with what they started with;
   * restore while none are in flight for a clean cut.
   *
   * @param snapshot a snapshot of this fake
   * @throws IllegalArgumentException if the snapshot was taken of another fake
   */
  public void restore(Snapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot must not be null");
    if (snapshot.of != this) {
      throw new IllegalArgumentException(snapshot + " was taken of another fake, not " + this);
    }
    store.restore(snapshot.store);
    faults.restore(snapshot.faults);
  }

  /**
   * Returns how many requests reached an endpoint, faulted and rejected ones included.
   *
   * @param endpoint the endpoint
   * @return the count since start or {@link #resetCounters()}
   */
  public long requestCount(Endpoint endpoint) {
    return counters.count(endpoint);
  }

  /**
   * Returns how many requests reached the fake.
   *
   * @return the count since start or {@link #resetCounters()}
   */
  public long totalRequests() {
    return counters.total();
  }

  /**
   * Returns the most requests to an endpoint served at the same time. A request is in flight from
   * its arrival until its answer is ready to send (a latency fault's wait included), so a client
   * that has read an answer never finds its request still counted: the peak is what clients had
   * outstanding.
   *
   * @param endpoint the endpoint
   * @return the peak since start or {@link #resetCounters()}
   */
  public int peakConcurrency(Endpoint endpoint) {
    return counters.peak(endpoint);
  }

  /**
   * Returns the most requests served at the same time, all endpoints together.
   *
   * @return the peak since start or {@link #resetCounters()}
   */
  public int peakConcurrency() {
    return counters.peak();
  }

  /**
   * Returns the requests being served now.
   *
   * @return the number
   */
  public int inFlight() {
    return counters.inFlight();
  }

  /**
   * Returns the requests to an endpoint being served now.
   *
   * @param endpoint the endpoint
   * @return the number
   */
  public int inFlight(Endpoint endpoint) {
    return counters.inFlight(endpoint);
  }

  /** Zeroes the request counts; peaks restart from the requests in flight. */
  public void resetCounters() {
    counters.reset();
  }

  /** Stops at once: connections are closed, latency faults interrupted, threads ended. */
  @Override
  public void close() {
    front.close();
  }

  @Override
  public String toString() {
    return "FakeBrms[" + baseUrl() + "]";
  }

  /**
   * The state of one fake at one moment, taken by {@link FakeBrms#snapshot()} and put back by
   * {@link FakeBrms#restore(Snapshot)}. Opaque and immutable; it holds the tokens' secrets but
   * never shows them.
   */
  public static final class Snapshot {

    private final FakeBrms of;
    private final Store.State store;
    private final Faults.State faults;

    private Snapshot(FakeBrms of, Store.State store, Faults.State faults) {
      this.of = of;
      this.store = store;
      this.faults = faults;
    }

    @Override
    public String toString() {
      return "FakeBrms.Snapshot[" + store + ", " + faults.size() + " faults]";
    }
  }

  /** Configures and starts a {@link FakeBrms}; each setting is checked as it is set. */
  public static final class Builder {

    private Clock clock = Clock.systemUTC();
    private int port;
    private UUID organisationId = UUID.randomUUID();
    private final List<DataFile> data = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the clock for timestamps and expiry; tests pass a clock they can move.
     *
     * @param value the clock, default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    /**
     * Sets the port on 127.0.0.1.
     *
     * @param value 0 (the default) for an ephemeral port, or 1 to 65535
     * @return this builder
     */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + value);
      }
      this.port = value;
      return this;
    }

    /**
     * Sets the organisation id of all projects.
     *
     * @param value the id, default random
     * @return this builder
     */
    public Builder organisationId(UUID value) {
      this.organisationId = Objects.requireNonNull(value, "organisationId must not be null");
      return this;
    }

    /**
     * Loads projects, users and tokens from a data file (see the module README); it is parsed and
     * checked now and applied on {@link #start()}.
     *
     * @param file the JSON file
     * @return this builder
     * @throws DataFileException if the file is malformed
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public Builder load(Path file) {
      data.add(DataFile.read(Objects.requireNonNull(file, "file must not be null")));
      return this;
    }

    /**
     * Loads projects, users and tokens from data-file JSON; see {@link #load(Path)}.
     *
     * @param json the JSON, read fully but not closed
     * @return this builder
     * @throws DataFileException if the JSON is malformed
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public Builder loadData(InputStream json) {
      data.add(DataFile.read(Objects.requireNonNull(json, "json must not be null"), "<stream>"));
      return this;
    }

    /**
     * Starts the server and applies loaded data.
     *
     * @return the running fake
     * @throws java.io.UncheckedIOException if the port cannot be bound
     * @throws DataFileException if loaded data conflicts with itself
     */
    public FakeBrms start() {
      Store store = new Store(clock, organisationId);
      Faults faults = new Faults();
      Counters counters = new Counters();
      HttpFront front = HttpFront.start(port, store, faults, counters);
      FakeBrms brms = new FakeBrms(store, faults, counters, front, clock);
      try {
        for (DataFile file : data) {
          file.applyTo(brms);
        }
      } catch (RuntimeException e) {
        brms.close();
        throw e;
      }
      return brms;
    }
  }
}
