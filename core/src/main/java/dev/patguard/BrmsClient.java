package dev.patguard;

import dev.patguard.CappedBodySubscriber.BodyRefusedException;
import dev.patguard.CappedBodySubscriber.BodyTooLargeException;
import dev.patguard.internal.Uuids;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.TokenFormatException;
import dev.patguard.token.TokenJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads token facts from BRMS over HTTP (JDK {@link HttpClient}, JSON bound by {@link TokenJson}).
 *
 * <p>Three reads, all idempotent GETs:
 *
 * <ul>
 *   <li>{@link #listOwnTokens(String)} — {@code GET /api/personal-access-tokens}, authenticated by
 *       the presented secret itself; 401 is {@link TokenRejectedException}, 403 {@link
 *       LookupForbiddenException};
 *   <li>{@link #listServiceUserTokens(String)} and {@link #getServiceUserToken(String, String)} —
 *       the admin endpoints, authenticated by the admin credential; 401/403 there is {@link
 *       BrmsCredentialException}, an operator problem.
 * </ul>
 *
 * <p>Each call has one overall deadline ({@link Builder#requestTimeout}, default 5 s) within which
 * 408, 429, 5xx and I/O errors are retried (default 2 retries) with jittered exponential backoff,
 * honouring {@code Retry-After} when it fits. Redirects are never followed. Bodies above the cap
 * (default 1 MiB) are cut off and refused; a 200 that is not JSON is refused. Every failure that is
 * not a verdict on the token is a {@link BrmsUnavailableException}.
 */
final class BrmsClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BrmsClient.class.getName());
  private static final long ERROR_BODY_CAP = 16 * 1024;
  private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

  private final URI baseUrl;
  private final String basePath;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final long maxResponseBytes;
  private final @Nullable Supplier<String> adminCredential;
  private final Executor executor;
  private final @Nullable ExecutorService ownExecutor;
  private final BaseUrlDiagnosis diagnosis;

  private BrmsClient(Builder b) {
    this.baseUrl = Objects.requireNonNull(b.baseUrl, "baseUrl must be set");
    this.diagnosis = new BaseUrlDiagnosis(baseUrl);
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.requestTimeout = b.requestTimeout;
    this.maxRetries = b.maxRetries;
    this.maxResponseBytes = b.maxResponseBytes;
    this.adminCredential = b.adminCredential;
    HttpClient.Builder hb =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            // HTTP/2 only where ALPN negotiates it; a cleartext upgrade attempt buys nothing.
            .version(
                "https".equals(baseUrl.getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1);
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownExecutor = null;
    } else {
      ExecutorService own = DaemonThreads.cachedPool("patguard-brms");
      this.executor = own;
      this.ownExecutor = own;
    }
    hb.executor(executor);
    this.http = hb.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The BRMS base URL, fixed at construction. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** Whether an admin credential was configured (needed by the admin endpoints). */
  public boolean hasAdminCredential() {
    return adminCredential != null;
  }

  /**
   * {@code GET /api/personal-access-tokens} with the presented secret: every token of its owner.
   * Fails with {@link TokenRejectedException} (401), {@link LookupForbiddenException} (403) or
   * {@link BrmsUnavailableException}.
   */
  public CompletableFuture<List<PersonalAccessToken>> listOwnTokens(String secret) {
    Objects.requireNonNull(secret, "secret must not be null");
    if (!isSendable(secret)) {
      return CompletableFuture.failedFuture(
          new TokenRejectedException(
              "the presented token contains characters that cannot be sent in an HTTP header"));
    }
    return get(
        Endpoint.SELF_LIST, "/api/personal-access-tokens", () -> secret, TokenJson::parseTokenList);
  }

  /** {@code GET /api/users/service/{userId}/personal-access-tokens} with the admin credential. */
  public CompletableFuture<List<PersonalAccessToken>> listServiceUserTokens(String userId) {
    String user = checkId(userId, "userId");
    return get(
        Endpoint.SERVICE_LIST,
        "/api/users/service/" + user + "/personal-access-tokens",
        this::adminSecret,
        TokenJson::parseTokenList);
  }

  /**
   * {@code GET /api/users/service/{userId}/personal-access-tokens/{patId}} with the admin
   * credential.
   */
  public CompletableFuture<PersonalAccessToken> getServiceUserToken(String userId, String patId) {
    String user = checkId(userId, "userId");
    String pat = checkId(patId, "patId");
    return get(
        Endpoint.SERVICE_GET,
        "/api/users/service/" + user + "/personal-access-tokens/" + pat,
        this::adminSecret,
        TokenJson::parseToken);
  }

  /**
   * Checks that {@code id} is a UUID and returns its canonical form, which needs no escaping in a
   * path. Anything else ({@code ../admin}, {@code a%2Fb}, {@code ?x=1}) is refused before a
   * request.
   *
   * @throws IllegalArgumentException naming the parameter and quoting the value
   */
  public static String checkId(String id, String name) {
    Objects.requireNonNull(id, name + " must not be null");
    if (!Uuids.isCanonical(id)) {
      String shown = id.length() > 64 ? id.substring(0, 64) + "…" : id;
      throw new IllegalArgumentException(name + " must be a UUID, got \"" + escape(shown) + "\"");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Whether a secret can go into an Authorization header unchanged (visible ASCII only). */
  static boolean isSendable(String secret) {
    if (secret.isEmpty()) {
      return false;
    }
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private String adminSecret() {
    Supplier<String> supplier = adminCredential;
    if (supplier == null) {
      throw new BrmsCredentialException(
          "no admin credential is configured; the admin endpoints need one (BrmsClient.Builder.adminCredential)",
          0);
    }
    String credential = supplier.get();
    if (credential == null || credential.isBlank() || !isSendable(credential)) {
      throw new BrmsCredentialException(
          "the admin credential supplier returned an empty or unsendable credential", 0);
    }
    return credential;
  }

  /** The endpoints this client calls, for messages and for choosing how 401/403 read. */
  enum Endpoint {
    SELF_LIST(false),
    SERVICE_LIST(true),
    SERVICE_GET(true);

    final boolean admin;

    Endpoint(boolean admin) {
      this.admin = admin;
    }
  }

  private <T> CompletableFuture<T> get(
      Endpoint endpoint, String path, Supplier<String> credential, Function<byte[], T> parse) {
    URI uri = baseUrl.resolve(basePath + path);
    long deadline = System.nanoTime() + TimeMath.toNanos(requestTimeout);
    String what = "GET " + path;
    String bearer;
    try {
      bearer = credential.get();
    } catch (BrmsException e) {
      return CompletableFuture.failedFuture(e);
    }
    return attempt(endpoint, what, uri, bearer, parse, deadline, 0);
  }

  private <T> CompletableFuture<T> attempt(
      Endpoint endpoint,
      String what,
      URI uri,
      String bearer,
      Function<byte[], T> parse,
      long deadline,
      int attempt) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return CompletableFuture.failedFuture(
          new BrmsUnavailableException(
              BrmsUnavailableException.Kind.TIMEOUT,
              what + ": no answer within " + requestTimeout,
              0,
              null));
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(Duration.ofNanos(remaining))
            .header("Authorization", "Bearer " + bearer)
            .header("Accept", "application/json")
            .build();
    // A blocking send on our own pool: sendAsync would complete on CompletableFuture's default
    // executor, which starts a new thread per call on machines with fewer than 3 CPUs. A caller
    // that is about to block for the answer anyway may lend its own thread to the first attempt.
    Supplier<CompletableFuture<HttpResponse<byte[]>>> onPool =
        () -> CompletableFuture.supplyAsync(() -> send(request, deadline), executor);
    CallerRuns.Loan loan = attempt == 0 ? CallerRuns.claim() : null;
    CompletableFuture<HttpResponse<byte[]>> sent =
        loan == null
            ? onPool.get()
            : loan.run(
                () -> http.send(request, info -> bodyHandler(info, deadline)),
                onPool,
                () -> new HttpTimeoutException("no answer before the caller's decision timeout"));
    return sent.handle(
            (response, error) -> outcome(endpoint, what, response, error, parse, deadline, attempt))
        .thenCompose(
            next ->
                next.apply(
                    () -> attempt(endpoint, what, uri, bearer, parse, deadline, attempt + 1)));
  }

  private HttpResponse<byte[]> send(HttpRequest request, long deadline) {
    try {
      return http.send(request, info -> bodyHandler(info, deadline));
    } catch (IOException e) {
      throw new CompletionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(new IOException("interrupted while waiting for BRMS", e));
    }
  }

  private HttpResponse.BodySubscriber<byte[]> bodyHandler(
      HttpResponse.ResponseInfo info, long deadline) {
    // The request timeout is only specified up to the headers (JDK-8208693 extends it in later
    // JDKs), so the body is held to the same deadline here, whatever the JDK or HTTP version.
    if (info.statusCode() != 200) {
      return CappedBodySubscriber.capped(ERROR_BODY_CAP, deadline);
    }
    String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!isJson(type)) {
      return CappedBodySubscriber.refusingNotJson(
          "answered 200 with content type \""
              + (type.isEmpty() ? "(none)" : type)
              + "\", not JSON");
    }
    OptionalLong length = info.headers().firstValueAsLong("Content-Length");
    if (length.isPresent() && length.getAsLong() > maxResponseBytes) {
      return CappedBodySubscriber.refusing(
          "BRMS announced a "
              + length.getAsLong()
              + "-byte body, above the "
              + maxResponseBytes
              + "-byte limit");
    }
    return CappedBodySubscriber.capped(maxResponseBytes, deadline);
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].strip();
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  /** What to do after one attempt: a result, a failure, or (given the retry) another attempt. */
  @FunctionalInterface
  private interface Next<T> {
    CompletableFuture<T> apply(Supplier<CompletableFuture<T>> retry);
  }

  private <T> Next<T> outcome(
      Endpoint endpoint,
      String what,
      @Nullable HttpResponse<byte[]> response,
      @Nullable Throwable error,
      Function<byte[], T> parse,
      long deadline,
      int attempt) {
    if (error != null) {
      Throwable cause = unwrap(error);
      // A blocking send wraps the body subscriber's failure in a fresh IOException: look down the
      // chain.
      Throwable refused = bodyRefusal(cause);
      if (refused instanceof BodyRefusedException r && r.notJson()) {
        return fail(diagnosis.notBrms(what, String.valueOf(r.getMessage()), 200));
      }
      if (refused != null) {
        return fail(malformed(what + ": " + refused.getMessage(), 200, cause));
      }
      BrmsUnavailableException misconfigured = diagnosis.connectFailure(what, cause);
      if (misconfigured != null) {
        // A remote host that refuses may be restarting: retried like any refusal, then reported
        // as the configuration problem it most likely is. The rest no retry can mend.
        return BaseUrlDiagnosis.isRefusal(cause)
            ? retryOr(what, 0, null, deadline, attempt, misconfigured)
            : fail(misconfigured);
      }
      if (cause instanceof HttpTimeoutException) {
        return retryOr(
            what,
            0,
            null,
            deadline,
            attempt,
            new BrmsUnavailableException(
                BrmsUnavailableException.Kind.TIMEOUT, what + ": " + cause.getMessage(), 0, cause));
      }
      if (cause instanceof IOException) {
        return retryOr(
            what,
            0,
            null,
            deadline,
            attempt,
            new BrmsUnavailableException(
                BrmsUnavailableException.Kind.UNREACHABLE,
                what
                    + ": "
                    + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage()),
                0,
                cause));
      }
      return fail(
          new BrmsUnavailableException(
              BrmsUnavailableException.Kind.UNREACHABLE, what + ": " + cause, 0, cause));
    }
    Objects.requireNonNull(response, "response");
    int status = response.statusCode();
    if (status == 200) {
      try {
        return done(parse.apply(response.body()));
      } catch (TokenFormatException e) {
        if (e.path().equals("$") && e.getCause() == null) {
          // Valid JSON, but not a token or a list of them at all: another API lives at this URL.
          return fail(
              diagnosis.notBrms(
                  what, "answered JSON that BRMS does not send (" + e.getMessage() + ")", status));
        }
        return fail(malformed(what + ": " + e.getMessage(), status, e));
      }
    }
    if (status == 401 || status == 403) {
      if (endpoint.admin) {
        return fail(
            new BrmsCredentialException(
                what
                    + ": BRMS refused the admin credential ("
                    + status
                    + "); check that it is live and belongs to an admin",
                status));
      }
      return fail(
          status == 401
              ? new TokenRejectedException(what + ": BRMS rejected the presented token (401)")
              : new LookupForbiddenException(
                  what + ": the presented token may not read its own facts (403)"));
    }
    if (status == 404) {
      // The self lookup's path always exists on BRMS; on the admin paths, the id is unknown.
      return fail(
          endpoint.admin
              ? new NotFoundException(what + ": not found (404)")
              : diagnosis.notBrms(what, "answered 404", status));
    }
    if (status == 408 || status == 429 || status >= 500 && status <= 599) {
      return retryOr(
          what,
          status,
          response.headers().firstValue("Retry-After").orElse(null),
          deadline,
          attempt,
          new BrmsUnavailableException(
              BrmsUnavailableException.Kind.SERVER_ERROR,
              what + ": BRMS answered " + status,
              status,
              null));
    }
    if (status >= 300 && status <= 399) {
      String location = response.headers().firstValue("Location").orElse("(none)");
      return fail(
          diagnosis.notBrms(
              what,
              "answered a redirect ("
                  + status
                  + ") to "
                  + abbreviate(location)
                  + ", which patguard never follows",
              status));
    }
    return fail(malformed(what + ": unexpected status " + status, status, null));
  }

  private <T> Next<T> retryOr(
      String what,
      int status,
      @Nullable String retryAfter,
      long deadline,
      int attempt,
      BrmsUnavailableException failure) {
    if (attempt >= maxRetries) {
      return fail(failure);
    }
    long delayNanos = backoffNanos(attempt);
    long requested = retryAfterNanos(retryAfter);
    if (requested > delayNanos) {
      delayNanos = requested;
    }
    long remaining = deadline - System.nanoTime();
    if (delayNanos >= remaining) {
      // Waiting would outlive the deadline: fail now rather than late.
      return fail(failure);
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        () ->
            what
                + ": attempt "
                + (attempt + 1)
                + " failed ("
                + (status > 0 ? "status " + status : failure.kind())
                + "); retrying in "
                + Duration.ofNanos(backoffNanos(attempt)).toMillis()
                + " ms");
    long delay = delayNanos;
    return retry -> {
      Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS, executor);
      return CompletableFuture.supplyAsync(retry, later).thenCompose(Function.identity());
    };
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private static long backoffNanos(int attempt) {
    long ceiling = Math.min(BACKOFF_MAX.toNanos(), BACKOFF_BASE.toNanos() << Math.min(attempt, 20));
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(half + 1);
  }

  private static long retryAfterNanos(@Nullable String retryAfter) {
    if (retryAfter == null) {
      return 0;
    }
    try {
      long seconds = Long.parseLong(retryAfter.strip());
      return seconds <= 0 ? 0 : TimeUnit.SECONDS.toNanos(Math.min(seconds, 3600));
    } catch (NumberFormatException e) {
      return 0; // an HTTP-date; the backoff applies instead
    }
  }

  private static <T> Next<T> done(T value) {
    return retry -> CompletableFuture.completedFuture(value);
  }

  private static <T> Next<T> fail(BrmsException e) {
    return retry -> CompletableFuture.failedFuture(e);
  }

  private static BrmsUnavailableException malformed(
      String message, int status, @Nullable Throwable cause) {
    return new BrmsUnavailableException(
        BrmsUnavailableException.Kind.MALFORMED_RESPONSE, message, status, cause);
  }

  private static @Nullable Throwable bodyRefusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BodyTooLargeException || c instanceof BodyRefusedException) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String abbreviate(String s) {
    String clean = escape(s);
    return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
  }

  /**
   * Stops the threads this client started for itself (none when an executor was given). The JDK
   * client's selector thread ends once the client is unreachable.
   */
  @Override
  public void close() {
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "BrmsClient["
        + baseUrl
        + ", timeout="
        + requestTimeout
        + ", retries="
        + maxRetries
        + "]";
  }

  /** Configures a client; each setting is checked as it is made. */
  public static final class Builder {
    private @Nullable URI baseUrl;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private int maxRetries = 2;
    private long maxResponseBytes = 1024 * 1024;
    private @Nullable Supplier<String> adminCredential;
    private @Nullable Executor executor;

    private Builder() {}

    /**
     * The BRMS base URL, such as {@code https://acme.us1.gorules.io}: absolute http(s), no query,
     * fragment or user info. A path prefix is kept.
     */
    public Builder baseUrl(URI baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl must not be null");
      String scheme =
          baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!baseUrl.isAbsolute()
          || !(scheme.equals("http") || scheme.equals("https"))
          || baseUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an absolute http or https URL, got \"" + baseUrl + "\"");
      }
      if (baseUrl.getRawQuery() != null
          || baseUrl.getRawFragment() != null
          || baseUrl.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "baseUrl must not have a query, fragment or user info, got \""
                + baseUrl.getScheme()
                + "://"
                + baseUrl.getHost()
                + "…\"");
      }
      this.baseUrl = baseUrl;
      return this;
    }

    /** The BRMS base URL as text. */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl must not be null");
      try {
        return baseUrl(URI.create(baseUrl.strip()));
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("baseUrl")) {
          throw e;
        }
        throw new IllegalArgumentException("baseUrl is not a URL: \"" + baseUrl + "\"", e);
      }
    }

    /** How long to wait for a TCP/TLS connection (default 2 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** The overall deadline of one call, retries included (default 5 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** Retries for 408/429/5xx/I/O errors within the deadline (default 2; 0 turns retries off). */
    public Builder maxRetries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10, got " + retries);
      }
      this.maxRetries = retries;
      return this;
    }

    /** Largest response body accepted (default 1 MiB). */
    public Builder maxResponseBytes(long bytes) {
      if (bytes < 1024 || bytes > 64L * 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxResponseBytes must be between 1 KiB and 64 MiB, got " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /**
     * The admin credential for the service-user endpoints, read at each request so that it can
     * rotate (for example {@code () -> System.getenv("BRMS_ADMIN_TOKEN")}). It never appears in any
     * message.
     */
    public Builder adminCredential(Supplier<String> credential) {
      this.adminCredential = Objects.requireNonNull(credential, "adminCredential must not be null");
      return this;
    }

    /**
     * The executor BRMS calls run on (they block there, one thread a call in flight) and the HTTP
     * client's own tasks. Default: a cached pool of daemon threads the client owns and {@link
     * BrmsClient#close() closes}; a given executor is never shut down by the client.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    public BrmsClient build() {
      if (baseUrl == null) {
        throw new IllegalStateException("baseUrl must be set");
      }
      return new BrmsClient(this);
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
