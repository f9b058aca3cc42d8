package dev.patguard.junit;

import dev.patguard.brms.BrmsClient;
import dev.patguard.brms.BrmsException;
import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.lookup.LookupResult;
import dev.patguard.lookup.TokenLookup;
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

/**
 * Reads a named token's facts from BRMS as configured (see {@link PatGuardTestConfig}): the
 * {@code self} lookup with the token's secret, or {@code by-id} with the admin credential.
 */
final class TokenSource {
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final long TIMEOUT_SECONDS = 30;
  /** As {@code PatGuard.Builder#expirySkew}'s default: the presented token may have just expired. */
  private static final Duration EXPIRY_SKEW = Duration.ofMinutes(5);

  /** What was fetched: the token and its grant (with the fingerprint when looked up by secret). */
  record Fetched(PersonalAccessToken token, Grant grant) {}

  /** The settings for one token, resolved but not yet used. */
  record Plan(String who, String token, URI brmsUrl, String lookup, @Nullable String secret,
      @Nullable String userId, @Nullable String patId, @Nullable String adminCredential) {

    /** A cache key that holds no secret. */
    String cacheKey() {
      return token + "|" + brmsUrl + "|" + lookup + "|"
          + (secret == null ? "" : SecretDigest.fingerprintOf(secret)) + "|" + userId + "|" + patId;
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
      throw new ExtensionConfigurationException(who + ": token name \"" + token
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
    String url = env.setting(PatGuardTestConfig.BRMS_URL, PatGuardTestConfig.BRMS_URL_ENV)
        .orElseThrow(() -> new MissingVariableException(who, PatGuardTestConfig.BRMS_URL_ENV,
            PatGuardTestConfig.BRMS_URL, "the BRMS base URL"));
    URI brmsUrl;
    try {
      brmsUrl = URI.create(url);
      if (brmsUrl.getScheme() == null || brmsUrl.getHost() == null) {
        throw new IllegalArgumentException("not an absolute http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(who + ": the BRMS URL \"" + url + "\" is not an absolute URL");
    }
    String lookup = env.setting(PatGuardTestConfig.LOOKUP, PatGuardTestConfig.LOOKUP_ENV).orElse("self")
        .toLowerCase(Locale.ROOT);
    switch (lookup) {
      case "self": {
        String secret = env.variable(token).orElseThrow(() -> new MissingVariableException(who, token,
            "the secret of token " + token));
        return new Plan(who, token, brmsUrl, lookup, secret, null, null, null);
      }
      case "by-id": {
        String userVar = token + PatGuardTestConfig.USER_ID_SUFFIX;
        String patVar = token + PatGuardTestConfig.PAT_ID_SUFFIX;
        String userId = env.variable(userVar).orElseThrow(() -> new MissingVariableException(who, userVar,
            "the owner's user id of token " + token));
        String patId = env.variable(patVar).orElseThrow(() -> new MissingVariableException(who, patVar,
            "the id of token " + token));
        String adminVar = env.setting(PatGuardTestConfig.ADMIN_CREDENTIAL_ENV, PatGuardTestConfig.ADMIN_CREDENTIAL_ENV_ENV)
            .orElse(PatGuardTestConfig.DEFAULT_ADMIN_CREDENTIAL_ENV);
        checkTokenName(who, adminVar);
        String admin = env.variable(adminVar).orElseThrow(() -> new MissingVariableException(who, adminVar,
            "the admin credential for the by-id lookup"));
        for (String[] id : new String[][] {{userVar, userId}, {patVar, patId}}) {
          try {
            BrmsClient.checkId(id[1], id[0]);
          } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(who + ": " + e.getMessage());
          }
        }
        return new Plan(who, token, brmsUrl, lookup, null, userId, patId, admin);
      }
      default:
        throw new ExtensionConfigurationException(who + ": lookup strategy \"" + lookup
            + "\" is not one of self, by-id (set " + PatGuardTestConfig.LOOKUP + " or "
            + PatGuardTestConfig.LOOKUP_ENV + ")");
    }
  }

  /** The clock checks read "now" from: {@code patguard.now} when set, else system UTC. */
  static Clock clock(Environment env) {
    return env.parameter(PatGuardTestConfig.NOW).map(text -> {
      try {
        return Clock.fixed(Instant.parse(text), ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new ExtensionConfigurationException(PatGuardTestConfig.NOW + " \"" + text
            + "\" is not an ISO-8601 instant such as 2026-11-29T12:00:00Z");
      }
    }).orElseGet(Clock::systemUTC);
  }

  /** Asks BRMS. Failures to decide are exceptions whose messages never hold a secret. */
  static Fetched fetch(Plan plan, Clock clock) {
    BrmsClient.Builder b = BrmsClient.builder().baseUrl(plan.brmsUrl());
    String admin = plan.adminCredential();
    if (admin != null) {
      b.adminCredential(() -> admin);
    }
    BrmsClient client = b.build();
    if (plan.secret() != null) {
      String secret = plan.secret();
      SecretDigest digest = SecretDigest.of(secret);
      String fp = digest.fingerprint();
      LookupResult result = await(plan, TokenLookup.self(client, clock, EXPIRY_SKEW).lookup(secret, digest));
      if (result instanceof LookupResult.Rejected rejected) {
        throw new ExtensionConfigurationException(plan.who() + ": BRMS at " + plan.brmsUrl()
            + " rejected token " + plan.token() + " (fingerprint " + fp + "): " + rejected.detail()
            + "; it is unknown, revoked or expired");
      }
      if (result instanceof LookupResult.Forbidden forbidden) {
        throw new ExtensionConfigurationException(plan.who() + ": token " + plan.token() + " (fingerprint "
            + fp + ") may not list its own tokens (" + forbidden.detail() + "), so the self lookup cannot"
            + " read its facts; use the by-id lookup (" + PatGuardTestConfig.LOOKUP + "=by-id)");
      }
      List<PersonalAccessToken> candidates = ((LookupResult.Found) result).candidates();
      if (candidates.size() > 1) {
        List<String> ids = new ArrayList<>();
        for (PersonalAccessToken t : candidates) {
          ids.add(t.describe());
        }
        throw new ExtensionConfigurationException(plan.who() + ": the self lookup of token " + plan.token()
            + " (fingerprint " + fp + ") found " + candidates.size() + " live tokens of its owner " + ids
            + " and will not guess which one it is. Use the by-id lookup: set " + PatGuardTestConfig.LOOKUP
            + "=by-id (or " + PatGuardTestConfig.LOOKUP_ENV + "), " + plan.token() + PatGuardTestConfig.USER_ID_SUFFIX
            + ", " + plan.token() + PatGuardTestConfig.PAT_ID_SUFFIX + " and the admin credential ("
            + PatGuardTestConfig.DEFAULT_ADMIN_CREDENTIAL_ENV + " by default)");
      }
      PersonalAccessToken token = candidates.get(0);
      return new Fetched(token, Grant.compile(token, PermissionModel.strict(), fp));
    }
    PersonalAccessToken token = await(plan, client.getServiceUserToken(
        String.valueOf(plan.userId()), String.valueOf(plan.patId())));
    return new Fetched(token, Grant.compile(token, PermissionModel.strict()));
  }

  private static <T> T await(Plan plan, CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(plan.who() + ": interrupted while reading token " + plan.token(), e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException(plan.who() + ": BRMS at " + plan.brmsUrl() + " did not answer within "
          + TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof BrmsException) {
        throw new IllegalStateException(plan.who() + ": could not read token " + plan.token() + " from BRMS at "
            + plan.brmsUrl() + " (" + plan.lookup() + " lookup): " + cause.getMessage(), cause);
      }
      throw new IllegalStateException(plan.who() + ": reading token " + plan.token() + " failed: "
          + cause.getClass().getSimpleName(), cause);
    }
  }
}
