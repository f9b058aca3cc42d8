package dev.patguard.junit;

import dev.patguard.PatGuard;
import dev.patguard.TokenFacts;
import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reads a named token's facts from BRMS as configured (see {@link PatGuardTestConfig}): the {@code
 * self} lookup with the token's secret, or {@code by-id} with the admin credential.
 *
 * <p>Only core's public door is used: one {@link PatGuard} per configuration, kept in the root
 * store (JUnit closes it at the end of the run), and {@link PatGuard#grantOf} or {@link
 * PatGuard#fetchById}. What reading a token gave, facts or failure, is kept in the root store too,
 * so each token is read once per run however many tests ask for it, and concurrent tests wait for
 * the one read ({@code Store#getOrComputeIfAbsent} is atomic per key). The guard keeps core's
 * default retries: a 503 or 429 from a real BRMS in CI is tried again, within the guard's deadline,
 * before a check fails for it.
 */
final class TokenSource {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TokenSource.class);
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern UUID_SHAPE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * Longest bad id quoted in a message; a longer value may be a secret put in the wrong variable.
   */
  private static final int QUOTED_ID_MAX = 40;

  /** Past the guard's own deadline: only a bug would make a read wait this long. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  /**
   * What was read: the grant, and the token's facts when the lookup gives them ({@code by-id}; the
   * self lookup yields only the compiled grant, with the secret's fingerprint).
   */
  record Fetched(Grant grant, @Nullable PersonalAccessToken token) {}

  /** One guard's configuration; holds no secret (the admin credential only as its digest). */
  record GuardKey(
      URI brmsUrl, String lookup, @Nullable SecretDigest adminCredential, Clock clock) {}

  /** One token under one configuration, by its secret's digest or by its ids. */
  record TokenKey(
      GuardKey guard,
      String token,
      @Nullable SecretDigest secret,
      @Nullable String userId,
      @Nullable String patId) {}

  /**
   * A guard as the root store keeps it, so that every supported JUnit closes it at the end of the
   * run: 5.13 and later close AutoCloseable values, 5.10 to 5.12 only CloseableResource ones
   * (deprecated since 5.13). Each version calls {@link #close()} once.
   */
  @SuppressWarnings("deprecation")
  record StoredGuard(PatGuard guard)
      implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      guard.close();
    }
  }

  /** What reading a token gave, kept for the run: its facts, or why not (without who asked). */
  sealed interface Outcome permits Found, Failed {}

  /** The token was read. */
  record Found(Fetched fetched) implements Outcome {}

  /**
   * The token could not be read.
   *
   * @param configuration whether the configuration is at fault (a rejected, forbidden or ambiguous
   *     token) rather than BRMS (an outage, a timeout, a bad answer)
   * @param reason the message after "who:", naming the token by fingerprint or ids
   */
  record Failed(boolean configuration, String reason, @Nullable Throwable cause)
      implements Outcome {}

  /** The settings for one token, resolved but not yet used. */
  record Plan(
      String who,
      String token,
      URI brmsUrl,
      String lookup,
      Clock clock,
      @Nullable String secret,
      @Nullable String userId,
      @Nullable String patId,
      @Nullable String adminCredential) {

    GuardKey guardKey() {
      return new GuardKey(
          brmsUrl,
          lookup,
          adminCredential == null ? null : SecretDigest.of(adminCredential),
          clock);
    }

    TokenKey tokenKey() {
      return new TokenKey(
          guardKey(), token, secret == null ? null : SecretDigest.of(secret), userId, patId);
    }

    /** How messages name the token: its variable and fingerprint, or its variable and ids. */
    String named() {
      return secret != null
          ? "token " + token + " (fingerprint " + SecretDigest.fingerprintOf(secret) + ")"
          : "token " + token + " (user " + userId + ", id " + patId + ")";
    }

    @Override
    public String toString() {
      return "Plan[" + who + ", " + lookup + " at " + brmsUrl + "]";
    }
  }

  private TokenSource() {}

  /** Checks a token name; the message quotes it. */
  static void checkTokenName(String who, String token) {
    if (!VARIABLE.matcher(token).matches()) {
      throw new ExtensionConfigurationException(
          who
              + ": token name \""
              + token
              + "\" is not an environment variable name (letters, digits and '_', not starting with a digit)");
    }
  }

  /**
   * Resolves the settings for {@code token}.
   *
   * @throws MissingVariableException naming the first variable that is not set
   * @throws ExtensionConfigurationException quoting a bad value
   */
  static Plan plan(String who, String token, Environment env) {
    checkTokenName(who, token);
    String url =
        env.setting(PatGuardTestConfig.BRMS_URL, PatGuardTestConfig.BRMS_URL_ENV)
            .orElseThrow(
                () ->
                    new MissingVariableException(
                        who,
                        PatGuardTestConfig.BRMS_URL_ENV,
                        PatGuardTestConfig.BRMS_URL,
                        "the BRMS base URL"));
    URI brmsUrl = brmsUrl(who, url);
    Clock clock = clock(env);
    String lookup = lookup(env);
    switch (lookup) {
      case "self":
        {
          String secret =
              env.variable(token)
                  .orElseThrow(
                      () ->
                          new MissingVariableException(who, token, "the secret of token " + token));
          return new Plan(who, token, brmsUrl, lookup, clock, secret, null, null, null);
        }
      case "by-id":
        {
          String userVar = token + PatGuardTestConfig.USER_ID_SUFFIX;
          String patVar = token + PatGuardTestConfig.PAT_ID_SUFFIX;
          String userId =
              env.variable(userVar)
                  .orElseThrow(
                      () ->
                          new MissingVariableException(
                              who, userVar, "the owner's user id of token " + token));
          String patId =
              env.variable(patVar)
                  .orElseThrow(
                      () -> new MissingVariableException(who, patVar, "the id of token " + token));
          String adminVar =
              env.setting(
                      PatGuardTestConfig.ADMIN_CREDENTIAL_ENV,
                      PatGuardTestConfig.ADMIN_CREDENTIAL_ENV_ENV)
                  .orElse(PatGuardTestConfig.DEFAULT_ADMIN_CREDENTIAL_ENV);
          checkTokenName(who, adminVar);
          String admin =
              env.variable(adminVar)
                  .orElseThrow(
                      () ->
                          new MissingVariableException(
                              who, adminVar, "the admin credential for the by-id lookup"));
          return new Plan(
              who,
              token,
              brmsUrl,
              lookup,
              clock,
              null,
              checkId(who, userVar, userId),
              checkId(who, patVar, patId),
              admin);
        }
      default:
        throw new ExtensionConfigurationException(
            who
                + ": lookup strategy \""
                + lookup
                + "\" is not one of self, by-id (set "
                + PatGuardTestConfig.LOOKUP
                + " or "
                + PatGuardTestConfig.LOOKUP_ENV
                + ")");
    }
  }

  /** The configured lookup strategy, lower case; {@link #plan} rejects an unknown one. */
  static String lookup(Environment env) {
    return env.setting(PatGuardTestConfig.LOOKUP, PatGuardTestConfig.LOOKUP_ENV)
        .orElse("self")
        .toLowerCase(Locale.ROOT);
  }

  /** The URL as patguard's builder checks it, so that a bad one fails here, quoted, not mid-run. */
  private static URI brmsUrl(String who, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(
          who + ": the BRMS URL \"" + url + "\" is not a URL", e);
    }
    try {
      PatGuard.builder().baseUrl(uri);
    } catch (IllegalArgumentException e) {
      // The builder's message quotes the URL unless it holds user info, which may be a password.
      throw new ExtensionConfigurationException(
          who
              + ": the BRMS URL ("
              + PatGuardTestConfig.BRMS_URL
              + " or "
              + PatGuardTestConfig.BRMS_URL_ENV
              + ") is not usable: "
              + e.getMessage(),
          e);
    }
    return uri;
  }

  /** A UUID in canonical (lower-case) form; a bad value is quoted unless it is long. */
  private static String checkId(String who, String variable, String id) {
    if (!UUID_SHAPE.matcher(id).matches()) {
      String shown =
          id.length() <= QUOTED_ID_MAX
              ? "\"" + id + "\""
              : "a value of " + id.length() + " characters";
      throw new ExtensionConfigurationException(
          who + ": " + variable + " must be a UUID, got " + shown);
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /** The clock checks read "now" from: {@code patguard.now} when set, else system UTC. */
  static Clock clock(Environment env) {
    return env.parameter(PatGuardTestConfig.NOW)
        .map(
            text -> {
              try {
                return Clock.fixed(Instant.parse(text), ZoneOffset.UTC);
              } catch (DateTimeParseException e) {
                throw new ExtensionConfigurationException(
                    PatGuardTestConfig.NOW
                        + " \""
                        + text
                        + "\" is not an ISO-8601 instant such as 2026-11-29T12:00:00Z");
              }
            })
        .orElseGet(Clock::systemUTC);
  }

  /**
   * The token's facts, read at most once per run (the outcome, failures included, is kept in the
   * root store).
   *
   * @throws ExtensionConfigurationException when BRMS rejects the token (401), forbids the self
   *     lookup (403) or finds it ambiguous
   * @throws IllegalStateException when BRMS could not be asked or did not answer as it should
   */
  static Fetched fetch(ExtensionContext context, Plan plan) {
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    PatGuard guard =
        store
            .getOrComputeIfAbsent(
                plan.guardKey(), key -> new StoredGuard(newGuard(plan)), StoredGuard.class)
            .guard();
    Outcome outcome =
        store.getOrComputeIfAbsent(plan.tokenKey(), key -> read(plan, guard), Outcome.class);
    if (outcome instanceof Found found) {
      return found.fetched();
    }
    Failed failed = (Failed) outcome;
    String message = plan.who() + ": " + failed.reason();
    throw failed.configuration()
        ? new ExtensionConfigurationException(message, failed.cause())
        : new IllegalStateException(message, failed.cause());
  }

  private static PatGuard newGuard(Plan plan) {
    PatGuard.Builder b = PatGuard.builder().baseUrl(plan.brmsUrl()).clock(plan.clock());
    String admin = plan.adminCredential();
    if (admin != null) {
      b.adminCredential(() -> admin);
    }
    return b.build();
  }

  /** Asks BRMS through {@code guard}. Never throws; no reason holds a secret. */
  static Outcome read(Plan plan, PatGuard guard) {
    String secret = plan.secret();
    if (secret == null) {
      return readById(plan, guard);
    }
    String named = plan.named();
    TokenFacts facts;
    try {
      facts = await(guard.facts(secret), guard);
    } catch (ExecutionException | TimeoutException e) {
      return outage(plan, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed(false, "interrupted while reading " + named, e);
    }
    if (facts instanceof TokenFacts.Forbidden) {
      return new Failed(
          true,
          named
              + " may not list its own tokens ("
              + Findings.FORBIDDEN
              + "), so the self lookup cannot read its facts; use the by-id lookup ("
              + PatGuardTestConfig.LOOKUP
              + "=by-id)",
          null);
    }
    if (facts instanceof TokenFacts.Rejected) {
      return new Failed(
          true,
          "BRMS at " + plan.brmsUrl() + " rejected " + named + ": " + Findings.REJECTED,
          null);
    }
    if (facts instanceof TokenFacts.Unavailable u) {
      return unavailable(plan, u);
    }
    Grant g = ((TokenFacts.Known) facts).grant();
    if (g.isAmbiguous()) {
      List<String> ids = new ArrayList<>();
      for (Grant candidate : g.candidates()) {
        ids.add(Findings.describe(candidate));
      }
      return new Failed(
          true,
          "the self lookup of "
              + named
              + " found "
              + ids.size()
              + " live tokens of its owner "
              + ids
              + " and will not guess which one it is. Use the by-id lookup: set "
              + PatGuardTestConfig.LOOKUP
              + "=by-id (or "
              + PatGuardTestConfig.LOOKUP_ENV
              + "), "
              + plan.token()
              + PatGuardTestConfig.USER_ID_SUFFIX
              + ", "
              + plan.token()
              + PatGuardTestConfig.PAT_ID_SUFFIX
              + " and the admin credential ("
              + PatGuardTestConfig.DEFAULT_ADMIN_CREDENTIAL_ENV
              + " by default)",
          null);
    }
    return new Found(new Fetched(g, null));
  }

  private static Outcome readById(Plan plan, PatGuard guard) {
    TokenFacts facts;
    try {
      facts =
          await(
              guard.factsById(String.valueOf(plan.userId()), String.valueOf(plan.patId())), guard);
    } catch (ExecutionException | TimeoutException e) {
      return outage(plan, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed(false, "interrupted while reading " + plan.named(), e);
    }
    if (facts instanceof TokenFacts.Known known) {
      return new Found(new Fetched(known.grant(), known.token().orElse(null)));
    }
    if (facts instanceof TokenFacts.Unavailable u) {
      return unavailable(plan, u);
    }
    // Rejected by id: BRMS has no such token (404). An operator problem with the test's settings.
    return couldNotRead(plan, ((TokenFacts.Rejected) facts).detail(), null);
  }

  /**
   * BRMS could not be asked, or did not answer as promised: the cause and core's one-line detail.
   */
  private static Outcome unavailable(Plan plan, TokenFacts.Unavailable u) {
    if (u.cause() == IndeterminateCause.MISCONFIGURED) {
      // The URL in the test's settings leads elsewhere: a configuration error, not an outage.
      return new Failed(
          true, "the BRMS URL does not lead to BRMS (MISCONFIGURED): " + u.detail(), null);
    }
    return couldNotRead(plan, u.cause() + ": " + u.detail(), null);
  }

  /** Not the test's token but its settings or BRMS: an error, not a configuration failure. */
  private static Outcome couldNotRead(Plan plan, String why, @Nullable Throwable cause) {
    return new Failed(
        false,
        "could not read "
            + plan.named()
            + " from BRMS at "
            + plan.brmsUrl()
            + " ("
            + plan.lookup()
            + " lookup): "
            + why,
        cause);
  }

  /** BRMS was not asked, did not answer in time, or did not answer as promised. */
  private static Outcome outage(Plan plan, Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return new Failed(
          false,
          "BRMS at "
              + plan.brmsUrl()
              + " did not answer for "
              + plan.named()
              + " in time ("
              + plan.lookup()
              + " lookup)",
          cause);
    }
    // Core's exceptions name the endpoint and status, never a secret.
    String detail =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return couldNotRead(plan, detail, cause);
  }

  /** Waits for the guard, whose own deadline ends the wait first unless something is wrong. */
  private static <T> T await(CompletableFuture<T> future, PatGuard guard)
      throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return future.get(guard.decisionTimeout().plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }
}
