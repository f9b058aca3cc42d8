package dev.patguard.redis;

import dev.patguard.spi.SharedTokenCache;
import dev.patguard.token.SecretDigest;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Fleet mode on Redis: a {@link SharedTokenCache} that every replica of an app shares, through
 * Lettuce.
 *
 * <pre>{@code
 * RedisSharedCache fleet = RedisSharedCache.builder()
 *     .uri("rediss://cache.internal:6380")
 *     .credentials("patguard", () -> System.getenv("REDIS_PASSWORD"))
 *     .fleetKeys(FleetKeys.fromEnv("PATGUARD_FLEET_KEYS"))
 *     .build();
 * PatGuard guard = PatGuard.builder().baseUrl(brms).sharedCache(fleet).build();
 * }</pre>
 *
 * <p><b>What Redis sees.</b> Keys are {@code <prefix>t:<key id>:<HMAC-SHA256 of the secret's digest
 * under the fleet key>} — never the secret, never a plain hash of it. Values are sealed with
 * AES-256-GCM under the fleet key with the Redis key as associated data, so whoever can write to
 * Redis but lacks the fleet key can neither read a token's facts (its owner's email included),
 * forge an entry, nor move one token's entry under another's key: such an entry, a garbled one or
 * one sealed with a key this replica lacks is a miss (counted by the guard as a shared-level error
 * and warned at a bounded rate), never a grant. Lifetimes are the guard's ({@code PX} on every
 * write); an entry also carries its own sealed end of validity, so a key kept past its TTL serves
 * nothing.
 *
 * <p><b>Revocation broadcast.</b> {@link #invalidate} deletes the entry (under every key id), holds
 * it against writes for a while (so that a lookup in flight during the revocation cannot put it
 * back), and publishes a sealed message on {@code <prefix>invalidations}; every replica drops the
 * secret from its own cache. A message that does not open may have named anything, so it drops
 * everything. Each time the subscription is confirmed — at start and after every reconnect — the
 * replicas drop everything they hold, since messages sent meanwhile were lost. {@link
 * #invalidateToken} does the same by BRMS token id: every write lists its entry in an index per
 * token id its facts name ({@code <prefix>i:<key id>:<HMAC of the id>}, so Redis sees no plain id),
 * and one script holds the id and every listed entry and deletes them. {@link #evict} and {@link
 * #evictToken} say what Redis confirmed (entries deleted, subscribers reached).
 *
 * <p><b>Coalescing.</b> A replica that misses both levels takes a short lock ({@code SET
 * <prefix>l:<key id>:<HMAC> NX PX}, as long as the guard's lock wait) and asks BRMS; the others
 * wait for its answer to appear, up to the guard's lock wait, then ask BRMS themselves.
 *
 * <p><b>Faults are never decisions.</b> Redis down, slow, flushed, refusing the password: the guard
 * decides from its own cache and BRMS. Commands fail fast while disconnected, time out after the
 * command timeout (default 100 ms), and after a run of failures a circuit breaker stops calling
 * Redis for a while, so a dead Redis costs no per-request wait. A connection that cannot be made is
 * retried in the background.
 *
 * <p>Thread-safe; one instance may serve several guards in one process. Close it when done.
 */
public final class RedisSharedCache implements SharedTokenCache, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisSharedCache.class.getName());

  /** Largest value read back; core's entries are a few kilobytes. */
  private static final int MAX_VALUE_BYTES = 1 << 20;

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final String label;
  private final Supplier<FleetKeys> keys;
  private final String prefix;
  private final byte[] channel;
  private final Duration reconnectDelay;
  private final long holdMillis;
  private final CircuitBreaker breaker;
  private final ScheduledExecutorService scheduler;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final BoundedWarning connectionWarning = new BoundedWarning(LOG);
  // Its own bound: the subscription is opened beside the command connection, and whichever failed
  // first must not hold back why the other did (a refused password, say) for 30 s.
  private final BoundedWarning subscriptionWarning = new BoundedWarning(LOG);
  private final BoundedWarning messageWarning = new BoundedWarning(LOG);
  private final AtomicBoolean closed = new AtomicBoolean();

  private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
  private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
  private volatile boolean subscribed;
  private final AtomicBoolean listening = new AtomicBoolean();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private volatile @Nullable String lastConnectFailure;

  private RedisSharedCache(Builder b, RedisURI uri) {
    this.uri = uri;
    this.label = b.label;
    this.keys = Objects.requireNonNull(b.keys);
    this.prefix = b.prefix;
    this.channel = (prefix + "invalidations").getBytes(StandardCharsets.UTF_8);
    this.reconnectDelay = b.reconnectDelay;
    this.holdMillis = Math.max(1, b.invalidationHold.toMillis());
    this.breaker = new CircuitBreaker(b.breakerFailures, b.breakerOpen.toNanos(), b.ticker);
    // Lettuce's own reconnection backs off up to 30 s, which would keep a replica off the shared
    // level (and its invalidations) long after Redis came back: retry at the configured delay.
    this.resources =
        DefaultClientResources.builder().reconnectDelay(Delay.constant(b.reconnectDelay)).build();
    this.client = RedisClient.create(resources);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // While disconnected, fail at once instead of queueing until the timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build())
            .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
            .build());
    client.addListener(new ConnectionStates());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "patguard-redis-connect");
              t.setDaemon(true);
              return t;
            });
    scheduler.execute(this::connect);
    // The pub/sub connection opens with the first subscriber (a guard subscribes when it is
    // built): a cache only used to invalidate, as by the CLI, neither listens nor counts among
    // the receivers of its own invalidations.
  }

  /**
   * Starts configuring a shared cache; the URI and the fleet keys are required.
   *
   * @return a new builder holding every default
   */
  public static Builder builder() {
    return new Builder();
  }

  private void connect() {
    if (closed.get() || connection != null) {
      return;
    }
    try {
      connection = client.connect(ByteArrayCodec.INSTANCE, uri);
      connected.complete(null);
      LOG.log(System.Logger.Level.INFO, () -> "patguard fleet cache connected to " + label);
    } catch (RuntimeException e) {
      lastConnectFailure = describe(e);
      connectionWarning.warn(
          "patguard fleet cache cannot connect to "
              + label
              + " ("
              + describe(e)
              + "); deciding from each replica's own cache and BRMS, retrying every "
              + reconnectDelay);
      retry(this::connect);
    }
  }

  private void connectPubSub() {
    if (closed.get() || pubSub != null) {
      return;
    }
    try {
      StatefulRedisPubSubConnection<byte[], byte[]> c =
          client.connectPubSub(ByteArrayCodec.INSTANCE, uri);
      c.addListener(new Messages());
      pubSub = c;
      c.async()
          .subscribe(channel)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  // Not subscribed, so not listening: close and start over.
                  subscriptionWarning.warn(
                      "patguard fleet cache could not subscribe to invalidations on "
                          + label
                          + " ("
                          + describe(error)
                          + "); retrying every "
                          + reconnectDelay);
                  pubSub = null;
                  c.closeAsync();
                  retry(this::connectPubSub);
                }
              });
    } catch (RuntimeException e) {
      subscriptionWarning.warn(
          "patguard fleet cache cannot subscribe to invalidations on "
              + label
              + " ("
              + describe(e)
              + "); retrying every "
              + reconnectDelay);
      retry(this::connectPubSub);
    }
  }

  private void retry(Runnable task) {
    if (!closed.get()) {
      try {
        scheduler.schedule(task, reconnectDelay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed meanwhile.
      }
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return cause == e || cause.getMessage() == null ? top : top + ": " + cause.getMessage();
  }

  /**
   * Waits until the command connection is open, for a tool that runs one command and exits (such as
   * {@code patguard invalidate}); a guard never needs to, since it never waits for Redis.
   *
   * @param timeout the longest wait, positive
   * @throws TimeoutException if not connected by then; its message names the Redis by scheme, host
   *     and port and says why the last attempt failed (never a password)
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitConnection(Duration timeout) throws TimeoutException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout must not be null");
    try {
      connected.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String why = lastConnectFailure;
      throw new TimeoutException(
          "not connected to "
              + label
              + " within "
              + timeout
              + (why == null ? ": the first attempt has not ended" : ": " + why));
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the connection future cannot fail", e);
    }
  }

  /** The Redis key for {@code digest} under {@code key}: an HMAC, never the digest. */
  private byte[] redisKey(FleetKey key, SecretDigest digest) {
    return name("t", key, digest);
  }

  /**
   * {@code <prefix><kind>:<key id>:{<HMAC>}}: {@code t} the entry, {@code x} the hold an
   * invalidation leaves, {@code l} the coalescing lock (the braces keep a secret's keys together).
   */
  private byte[] name(String kind, FleetKey key, SecretDigest digest) {
    return name(kind, key, digest.toBytes());
  }

  /**
   * {@code <prefix>i:<key id>:{<HMAC of "id:" + uuid>}}, the index of the entries naming a token
   * id, or ({@code kind} {@code x}) the hold an invalidation by that id leaves. Keyed like entries,
   * so Redis sees nothing that links an entry to a BRMS token id; the input ({@code id:} and 36
   * characters) never has a digest's 32 bytes, so the two cannot collide.
   */
  private byte[] tokenName(String kind, FleetKey key, UUID tokenId) {
    return name(kind, key, ("id:" + tokenId).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] name(String kind, FleetKey key, byte[] macInput) {
    String mac = Base64.getUrlEncoder().withoutPadding().encodeToString(key.mac(macInput));
    return (prefix + kind + ":" + key.id() + ":{" + mac + "}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes the entry unless an invalidation's hold is on it or on one of the token ids it names: a
   * lookup that was in flight when the token was revoked must not put its answer back after the
   * invalidation deleted it. Then adds the entry to the index of each token id, which lives at
   * least as long as the entry. KEYS: entry, its hold, then (index, index hold) per token id; ARGV:
   * the sealed value, the lifetime in ms.
   */
  private static final String PUT =
      "for i = 2, #KEYS, 2 do if redis.call('exists', KEYS[i]) == 1 then return 0 end end"
          + " redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])"
          + " for i = 3, #KEYS, 2 do"
          + " redis.call('sadd', KEYS[i], KEYS[1])"
          + " if redis.call('pttl', KEYS[i]) < tonumber(ARGV[2]) then"
          + " redis.call('pexpire', KEYS[i], ARGV[2]) end"
          + " end return 1";

  /**
   * Per key id: holds the token id against writes, holds and deletes every entry its index lists,
   * deletes the index; answers how many entries it deleted. KEYS: (index, index hold) per key id;
   * ARGV: the prefix, the hold in ms. Only names of entries ({@code <prefix>t:}) are followed.
   */
  private static final String INVALIDATE_TOKEN =
      "local p = ARGV[1] local deleted = 0"
          + " for i = 1, #KEYS, 2 do"
          + " redis.call('set', KEYS[i + 1], '1', 'PX', ARGV[2])"
          + " for _, m in ipairs(redis.call('smembers', KEYS[i])) do"
          + " if string.sub(m, 1, #p + 2) == p .. 't:' then"
          + " redis.call('set', p .. 'x:' .. string.sub(m, #p + 3), '1', 'PX', ARGV[2])"
          + " deleted = deleted + redis.call('del', m)"
          + " end end"
          + " redis.call('del', KEYS[i])"
          + " end return deleted";

  private StatefulRedisConnection<byte[], byte[]> ready() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c == null) {
      throw new RedisUnavailableException("not connected to " + label);
    }
    if (!breaker.allow()) {
      throw new RedisUnavailableException(
          "circuit open after repeated failures of " + label + "; not asking it for a while");
    }
    return c;
  }

  /** Records the outcome of a command for the breaker; sealed-entry failures are not Redis's. */
  private <T> CompletableFuture<T> tracked(CompletableFuture<T> command) {
    return command.whenComplete(
        (v, e) -> {
          if (e == null) {
            breaker.success();
          } else {
            breaker.failure();
          }
        });
  }

  @Override
  public CompletableFuture<Optional<byte[]>> get(SecretDigest digest) {
    try {
      List<FleetKey> ring = keys.get().all();
      StatefulRedisConnection<byte[], byte[]> c = ready();
      List<byte[]> names = new ArrayList<>(ring.size());
      List<CompletableFuture<byte[]>> reads = new ArrayList<>(ring.size());
      for (FleetKey k : ring) {
        byte[] name = redisKey(k, digest);
        names.add(name);
        reads.add(c.async().get(name).toCompletableFuture());
      }
      return tracked(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)))
          .thenApply(ignored -> open(ring, names, reads));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The first entry that opens, current key first; none present: empty; none opens: fails. */
  private Optional<byte[]> open(
      List<FleetKey> ring, List<byte[]> names, List<CompletableFuture<byte[]>> reads) {
    SealedEntryException unreadable = null;
    for (int i = 0; i < ring.size(); i++) {
      byte[] sealed = reads.get(i).join();
      if (sealed == null) {
        continue;
      }
      try {
        if (sealed.length > MAX_VALUE_BYTES) {
          throw new SealedEntryException("is larger than " + MAX_VALUE_BYTES + " bytes");
        }
        return Optional.of(ring.get(i).open(names.get(i), sealed));
      } catch (SealedEntryException e) {
        if (unreadable == null) {
          unreadable =
              new SealedEntryException(
                  "the Redis entry under key id \"" + ring.get(i).id() + "\" " + e.getMessage());
        }
      }
    }
    if (unreadable != null) {
      throw unreadable;
    }
    return Optional.empty();
  }

  @Override
  public CompletableFuture<Void> put(SecretDigest digest, byte[] value, Duration ttl) {
    return put(digest, value, ttl, Set.of());
  }

  /**
   * Stores the entry and lists it in the index of each token id it names (an HMAC under the fleet
   * key, like the entry's name), so that {@link #invalidateToken} finds it.
   */
  @Override
  public CompletableFuture<Void> put(
      SecretDigest digest, byte[] value, Duration ttl, Set<UUID> tokenIds) {
    try {
      long millis = ttl.toMillis(); // rounds down: never longer than asked
      if (millis < 1) {
        return CompletableFuture.completedFuture(null);
      }
      FleetKey current = keys.get().current();
      StatefulRedisConnection<byte[], byte[]> c = ready();
      byte[] name = redisKey(current, digest);
      byte[] sealed = current.seal(name, value);
      List<byte[]> names = new ArrayList<>(2 + 2 * tokenIds.size());
      names.add(name);
      names.add(name("x", current, digest));
      for (UUID id : tokenIds) {
        names.add(tokenName("i", current, id));
        names.add(tokenName("x", current, id));
      }
      byte[][] keys = names.toArray(new byte[0][]);
      byte[] px = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
      return tracked(
              c.async()
                  .<Long>eval(PUT, io.lettuce.core.ScriptOutputType.INTEGER, keys, sealed, px)
                  .toCompletableFuture())
          .thenApply(ok -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Deletes the lock only if it still holds our token: it may have expired and been retaken. */
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"
          + " return 0";

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  @Override
  public CompletableFuture<Optional<Lock>> tryLock(SecretDigest digest, Duration lease) {
    try {
      long millis = Math.max(1, lease.toMillis());
      FleetKey current = keys.get().current();
      StatefulRedisConnection<byte[], byte[]> c = ready();
      byte[] name = name("l", current, digest);
      byte[] token = new byte[16];
      RANDOM.nextBytes(token);
      return tracked(
              c.async().set(name, token, SetArgs.Builder.nx().px(millis)).toCompletableFuture())
          .thenApply(
              ok ->
                  "OK".equals(ok)
                      ? Optional.<Lock>of(() -> release(c, name, token))
                      : Optional.<Lock>empty());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void release(
      StatefulRedisConnection<byte[], byte[]> c, byte[] name, byte[] token) {
    // Best effort: the lock expires after its lease anyway.
    c.async().eval(RELEASE, io.lettuce.core.ScriptOutputType.INTEGER, new byte[][] {name}, token);
  }

  @Override
  public CompletableFuture<Void> invalidate(SecretDigest digest) {
    return evict(digest).thenApply(e -> null);
  }

  /**
   * What {@link #invalidate} does, saying what Redis confirmed: how many entries it deleted and how
   * many subscribers received the invalidation.
   *
   * @param digest the secret's digest
   * @return completes when the entry is deleted (under every key id) and the invalidation
   *     published; fails if Redis could not be asked or did not answer within the command timeout
   */
  public CompletableFuture<Eviction> evict(SecretDigest digest) {
    try {
      FleetKeys ring = keys.get();
      StatefulRedisConnection<byte[], byte[]> c = connection;
      if (c == null) {
        throw new RedisUnavailableException("not connected to " + label);
      }
      // No breaker here: a revocation is worth a try whenever the connection is up. Per key id,
      // the hold first, then the delete: one connection runs them in order, so a write from
      // another replica lands before the delete (and is deleted) or after the hold (and refused).
      List<CompletableFuture<?>> steps = new ArrayList<>();
      List<CompletableFuture<Long>> deletes = new ArrayList<>();
      for (FleetKey k : ring.all()) {
        steps.add(
            c.async()
                .set(name("x", k, digest), new byte[] {1}, SetArgs.Builder.px(holdMillis))
                .toCompletableFuture());
        CompletableFuture<Long> del = c.async().del(redisKey(k, digest)).toCompletableFuture();
        steps.add(del);
        deletes.add(del);
      }
      byte[] message = message(ring.current(), digestMessage(digest));
      return tracked(
          CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
              .thenCompose(n -> c.async().publish(channel, message).toCompletableFuture())
              .thenApply(
                  receivers ->
                      new Eviction(
                          deletes.stream().mapToLong(CompletableFuture::join).sum(), receivers)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Deletes every entry naming BRMS token {@code tokenId} (found through its index, under every key
   * id), holds them and the id against writes for the invalidation hold, and publishes a sealed
   * invalidation by token id; every subscribed replica drops the entries naming that id.
   */
  @Override
  public CompletableFuture<Void> invalidateToken(UUID tokenId) {
    return evictToken(tokenId).thenApply(e -> null);
  }

  /**
   * What {@link #invalidateToken} does, saying what Redis confirmed: how many entries it deleted
   * and how many subscribers received the invalidation.
   *
   * @param tokenId the BRMS token id
   * @return completes when the entries are deleted and the invalidation published; fails if Redis
   *     could not be asked or did not answer within the command timeout
   */
  public CompletableFuture<Eviction> evictToken(UUID tokenId) {
    Objects.requireNonNull(tokenId, "tokenId must not be null");
    try {
      FleetKeys ring = keys.get();
      StatefulRedisConnection<byte[], byte[]> c = connection;
      if (c == null) {
        throw new RedisUnavailableException("not connected to " + label);
      }
      List<byte[]> names = new ArrayList<>();
      for (FleetKey k : ring.all()) {
        names.add(tokenName("i", k, tokenId));
        names.add(tokenName("x", k, tokenId));
      }
      byte[] message = message(ring.current(), tokenMessage(tokenId));
      // One script: no write lands between reading an index and deleting what it lists.
      return tracked(
          c.async()
              .<Long>eval(
                  INVALIDATE_TOKEN,
                  io.lettuce.core.ScriptOutputType.INTEGER,
                  names.toArray(new byte[0][]),
                  prefix.getBytes(StandardCharsets.UTF_8),
                  Long.toString(holdMillis).getBytes(StandardCharsets.US_ASCII))
              .toCompletableFuture()
              .thenCompose(
                  deleted ->
                      c.async()
                          .publish(channel, message)
                          .toCompletableFuture()
                          .thenApply(receivers -> new Eviction(deleted, receivers))));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A digest's invalidation: its 32 bytes (version 1, as before token ids). */
  private static byte[] digestMessage(SecretDigest digest) {
    return digest.toBytes();
  }

  /**
   * A token id's invalidation: {@code 0x02 | 16 bytes of the UUID}. A replica that knows only
   * digests finds no 32-byte digest in it and drops everything, which is never wrong.
   */
  private static byte[] tokenMessage(UUID tokenId) {
    return java.nio.ByteBuffer.allocate(17)
        .put((byte) 2)
        .putLong(tokenId.getMostSignificantBits())
        .putLong(tokenId.getLeastSignificantBits())
        .array();
  }

  /**
   * {@code len(id) | id | seal(what)}, with the channel and the key id as associated data; {@code
   * what} is a digest's 32 bytes or a token id's 17.
   */
  private byte[] message(FleetKey key, byte[] what) {
    byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = key.seal(messageAad(id), what);
    byte[] out = new byte[1 + id.length + sealed.length];
    out[0] = (byte) id.length;
    System.arraycopy(id, 0, out, 1, id.length);
    System.arraycopy(sealed, 0, out, 1 + id.length, sealed.length);
    return out;
  }

  private byte[] messageAad(byte[] id) {
    byte[] aad = new byte[channel.length + 1 + id.length];
    System.arraycopy(channel, 0, aad, 0, channel.length);
    aad[channel.length] = ':';
    System.arraycopy(id, 0, aad, channel.length + 1, id.length);
    return aad;
  }

  /** What an invalidation names: a secret's digest or a token id, never both. */
  private record Named(@Nullable SecretDigest digest, @Nullable UUID tokenId) {}

  private Named readMessage(byte[] message) {
    if (message.length < 2
        || message[0] < 1
        || message[0] > 32
        || message.length < 1 + message[0]) {
      throw new SealedEntryException("is not an invalidation of version 1");
    }
    byte[] id = java.util.Arrays.copyOfRange(message, 1, 1 + message[0]);
    String keyId = new String(id, StandardCharsets.US_ASCII);
    FleetKey key =
        keys.get()
            .find(keyId)
            .orElseThrow(
                () -> new SealedEntryException("is sealed with a key id this replica lacks"));
    byte[] plain =
        key.open(
            messageAad(id), java.util.Arrays.copyOfRange(message, 1 + id.length, message.length));
    if (plain.length == 32) {
      return new Named(SecretDigest.fromBytes(plain), null);
    }
    if (plain.length == 17 && plain[0] == 2) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(plain, 1, 16);
      return new Named(null, new UUID(b.getLong(), b.getLong()));
    }
    throw new SealedEntryException("holds neither a digest nor a token id");
  }

  @Override
  public Subscription subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    listeners.add(listener);
    if (listening.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::connectPubSub);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed meanwhile: nothing to listen to.
      }
    }
    return () -> listeners.remove(listener);
  }

  /** Tells every guard to drop everything: invalidations may have been missed. */
  private void resetAll() {
    for (Listener l : listeners) {
      try {
        l.onReset();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "a shared-cache listener threw", e);
      }
    }
  }

  /**
   * Whether the invalidation subscription is confirmed now. While it is not, invalidations sent by
   * other replicas do not reach this one (it drops everything once the subscription is back). The
   * subscription is made for the first {@linkplain #subscribe listener} (a guard subscribes when it
   * is built), so a cache no guard uses is never subscribed.
   *
   * @return true once Redis has confirmed the subscription (and the guards have dropped what they
   *     held), until the connection drops
   */
  public boolean isSubscribed() {
    return subscribed;
  }

  /**
   * Whether the command connection is open now.
   *
   * @return true while connected (commands may still be refused by the circuit breaker)
   */
  public boolean isConnected() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    return c != null && c.isOpen();
  }

  /**
   * Whether the circuit breaker stops commands now.
   *
   * @return true while commands fail at once after a run of failures
   */
  public boolean isCircuitOpen() {
    return breaker.isOpen();
  }

  @Override
  public String name() {
    return "redis";
  }

  /** Closes the connections and stops the background reconnection; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.shutdownNow();
    subscribed = false;
    StatefulRedisPubSubConnection<byte[], byte[]> p = pubSub;
    if (p != null) {
      p.close();
    }
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisSharedCache[" + label + ", prefix=" + prefix + "]";
  }

  /** The invalidation channel's messages and the subscription's confirmations. */
  private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {
    @Override
    public void message(byte[] from, byte[] message) {
      Named named;
      try {
        named = readMessage(message);
      } catch (RuntimeException e) {
        // It may have named any of our entries: drop them all rather than miss a revocation.
        messageWarning.warn(
            "patguard fleet cache received an invalidation on "
                + label
                + " that "
                + (e instanceof SealedEntryException ? e.getMessage() : describe(e))
                + "; dropping every replica-local entry");
        resetAll();
        return;
      }
      for (Listener l : listeners) {
        try {
          if (named.digest() != null) {
            l.onInvalidated(named.digest());
          } else {
            l.onTokenInvalidated(Objects.requireNonNull(named.tokenId()));
          }
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "a shared-cache listener threw", e);
        }
      }
    }

    @Override
    public void subscribed(byte[] to, long count) {
      // At start and after every reconnect (Lettuce subscribes again): what was sent while we were
      // not subscribed is lost, so drop everything; only then say so, so that whoever sees
      // isSubscribed() also sees the reset done.
      resetAll();
      subscribed = true;
    }
  }

  /** Notices when the subscription's connection drops. */
  private final class ConnectionStates implements RedisConnectionStateListener {
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      if (handler == pubSub) {
        subscribed = false;
      }
    }
  }

  /** Configures a {@link RedisSharedCache}; each setting is checked as it is made. */
  public static final class Builder {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:{}-]{1,64}");

    private @Nullable String uri;
    private String label = "";
    private @Nullable String username;
    private @Nullable Supplier<String> password;
    private @Nullable Supplier<FleetKeys> keys;
    private String prefix = "patguard:";
    private Duration commandTimeout = Duration.ofMillis(100);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration invalidationHold = Duration.ofSeconds(10);
    private int breakerFailures = 5;
    private Duration breakerOpen = Duration.ofSeconds(2);
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /**
     * Where Redis is (required): {@code redis://host:port[/db]}, or {@code rediss://} for TLS.
     * Prefer {@link #credentials} to a password in the URI, which would sit in configuration.
     *
     * @param uri a {@code redis} or {@code rediss} URI
     * @return this builder
     * @throws IllegalArgumentException if it is not such a URI; the message never quotes a password
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri must not be null");
      String trimmed = uri.strip();
      int colon = trimmed.indexOf("://");
      String scheme = colon < 0 ? "" : trimmed.substring(0, colon);
      if (!scheme.equals("redis") && !scheme.equals("rediss")) {
        throw new IllegalArgumentException(
            "the Redis URI must start with redis:// or rediss:// (TLS), got "
                + (colon < 0 ? "no scheme" : "\"" + scheme + "://\""));
      }
      RedisURI parsed;
      try {
        parsed = RedisURI.create(trimmed);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "the Redis URI does not parse (" + e.getClass().getSimpleName() + ")");
      }
      if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
        throw new IllegalArgumentException("the Redis URI names no host");
      }
      this.uri = trimmed;
      this.label = scheme + "://" + parsed.getHost() + ":" + parsed.getPort();
      return this;
    }

    /**
     * The ACL user and password (default: those in the URI, if any), read once at {@link #build}.
     *
     * @param username the ACL user, or null for the default user
     * @param password supplies the password, such as {@code () -> System.getenv("REDIS_PASSWORD")}
     * @return this builder
     */
    public Builder credentials(@Nullable String username, Supplier<String> password) {
      this.username = username;
      this.password = Objects.requireNonNull(password, "password must not be null");
      return this;
    }

    /**
     * The fleet keys (required), asked at each use so that a file can rotate them.
     *
     * @param keys such as {@link FleetKeys#fromEnv} or {@link FleetKeys#fromFile}
     * @return this builder
     */
    public Builder fleetKeys(Supplier<FleetKeys> keys) {
      this.keys = Objects.requireNonNull(keys, "fleetKeys must not be null");
      return this;
    }

    /**
     * What every key and the channel start with (default {@code patguard:}), to share a Redis
     * between apps or environments.
     *
     * @param prefix 1 to 64 characters from {@code A-Z a-z 0-9 _ . : { } -}
     * @return this builder
     * @throws IllegalArgumentException if it is not of that shape
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "keyPrefix must not be null");
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix must be 1 to 64 characters from A-Z a-z 0-9 _ . : { } -, got \""
                + prefix
                + "\"");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * The longest one Redis command may take (default 100 ms); keep it below the guard's shared
     * cache timeout.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /**
     * The longest a connection may take to open (default 1 s); it is opened in the background.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long to wait before trying again to open a connection that could not be opened, and
     * between Lettuce's attempts to reconnect one that dropped (default 1 s): a replica is back on
     * the shared level, and subscribed, within about this long after Redis is.
     *
     * @param delay positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder reconnectDelay(Duration delay) {
      this.reconnectDelay = positive(delay, "reconnectDelay");
      return this;
    }

    /**
     * How long after an invalidation no replica may write that secret's entry (default 10 s), so
     * that a lookup already in flight when the token was revoked cannot put its answer back after
     * the invalidation deleted it. Keep it above the guards' request timeout; meanwhile the
     * replicas ask BRMS about that secret themselves.
     *
     * @param hold positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder invalidationHold(Duration hold) {
      this.invalidationHold = positive(hold, "invalidationHold");
      return this;
    }

    /**
     * The circuit breaker (default: open after 5 failures in a row, for 2 s).
     *
     * @param failures failures in a row that open it, at least 1
     * @param openFor how long it stays open before one trial command, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code failures} is below 1 or {@code openFor} not
     *     positive
     */
    public Builder circuitBreaker(int failures, Duration openFor) {
      if (failures < 1) {
        throw new IllegalArgumentException(
            "circuitBreaker failures must be at least 1, got " + failures);
      }
      this.breakerOpen = positive(openFor, "circuitBreaker openFor");
      this.breakerFailures = failures;
      return this;
    }

    /**
     * The monotonic nanosecond source the circuit breaker's periods are timed by (default {@link
     * System#nanoTime}); tests pass a fake.
     *
     * @param nanoTime a monotonic source of nanoseconds
     * @return this builder
     */
    public Builder ticker(LongSupplier nanoTime) {
      this.ticker = Objects.requireNonNull(nanoTime, "ticker must not be null");
      return this;
    }

    /**
     * Builds the cache and starts connecting in the background: it never waits for Redis, and a
     * Redis that is down only means misses until it is back.
     *
     * @return a new shared cache; close it when done
     * @throws IllegalStateException if the URI or the fleet keys are missing, or the keys cannot be
     *     read
     * @throws IllegalArgumentException if the keys do not parse
     */
    public RedisSharedCache build() {
      if (uri == null) {
        throw new IllegalStateException(
            "uri must be set: RedisSharedCache.builder().uri(\"redis://host:6379\")");
      }
      if (keys == null) {
        throw new IllegalStateException(
            "fleetKeys must be set: .fleetKeys(FleetKeys.fromEnv(\"PATGUARD_FLEET_KEYS\"))");
      }
      // Read once now, so that a missing or malformed key fails at start, not at the first miss.
      Objects.requireNonNull(keys.get(), "the fleet key supplier returned null");
      RedisURI copy = RedisURI.create(uri);
      copy.setTimeout(commandTimeout);
      if (password != null) {
        String secret = password.get();
        if (secret == null || secret.isEmpty()) {
          throw new IllegalStateException("the Redis password supplier returned nothing");
        }
        if (username != null) {
          copy.setAuthentication(username, secret.toCharArray());
        } else {
          copy.setAuthentication(secret.toCharArray());
        }
      }
      return new RedisSharedCache(this, copy);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
