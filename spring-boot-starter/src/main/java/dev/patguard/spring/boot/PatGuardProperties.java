package dev.patguard.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code patguard.*} properties: what {@code PatGuard.builder()}, {@code
 * PatGuardSecurity.builder()} and {@code PatGuardFilter.builder()} offer. Unset values keep the
 * builders' defaults; each value is checked at start-up, and a bad one fails it with a message
 * naming the property and the value (the admin credential is never shown).
 */
@ConfigurationProperties("patguard")
public class PatGuardProperties {
  /** Whether to configure patguard at all. */
  private boolean enabled = true;

  /** The BRMS base URL, such as https://acme.us1.gorules.io (required). */
  private @Nullable String brmsUrl;

  /**
   * The admin credential for the indexed lookup (never logged or shown). Set it from the
   * environment (PATGUARD_ADMIN_CREDENTIAL), not from a file under version control.
   */
  private @Nullable String adminCredential;

  /**
   * How secrets become token facts: "self" (list the presenter's own tokens) or "indexed:PATH"
   * (look the secret's SHA-256 up in an index file; needs the admin credential).
   */
  private String lookup = "self";

  /** Which permissions imply which: "strict" (the BRMS docs' rules only) or "hierarchical". */
  private String permissionModel = "strict";

  /** TCP/TLS connect timeout of BRMS calls. */
  private @Nullable Duration connectTimeout;

  /** Overall deadline of one BRMS call, retries included. */
  private @Nullable Duration requestTimeout;

  /** How long a decision may take in all, queueing included (default: request timeout + 1 s). */
  private @Nullable Duration decisionTimeout;

  /** Retries of 408/429/5xx/I/O errors within the deadline (0 to 10). */
  private @Nullable Integer maxRetries;

  /** Largest BRMS response accepted (1 KiB to 64 MiB). */
  private @Nullable DataSize maxResponseSize;

  /**
   * How long past its expiry a token of the presenting owner stays a candidate in the self lookup.
   */
  private @Nullable Duration expirySkew;

  /** Most BRMS lookups in flight at once. */
  private @Nullable Integer maxConcurrentLookups;

  /** Most lookups waiting for a slot before more are shed as OVERLOADED (503). */
  private @Nullable Integer maxQueuedLookups;

  /** How long before its expiry a permit warns that the token expires soon. */
  private @Nullable Duration expiresSoonHorizon;

  /** Owner statuses that count as active (compared ignoring case). */
  private Set<String> acceptedOwnerStatuses = new LinkedHashSet<>();

  /**
   * How long a BRMS outage or overload seen in a decision keeps the health indicator DOWN or
   * OUT_OF_SERVICE when no decision has been answered since.
   */
  private Duration healthWindow = Duration.ofSeconds(60);

  private final Cache cache = new Cache();

  private final Security security = new Security();

  private final SharedCache sharedCache = new SharedCache();

  private final Filter filter = new Filter();

  /** The token cache. */
  public static class Cache {
    /** Longest a grant is cached: also the revocation window. */
    private @Nullable Duration ttl;

    /** How long a rejected secret is remembered. */
    private @Nullable Duration negativeTtl;

    /** Most grants cached. */
    private @Nullable Long maximumSize;

    /** Most rejections cached. */
    private @Nullable Long negativeMaximumSize;

    /**
     * Stale-if-error grace past the TTL while BRMS fails (0 = off); widens the revocation window by
     * as much.
     */
    private @Nullable Duration staleIfError;

    /**
     * The grant TTL.
     *
     * @return the TTL, or null for the default
     */
    public @Nullable Duration getTtl() {
      return ttl;
    }

    /**
     * Sets the grant TTL.
     *
     * @param ttl positive
     */
    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    /**
     * The rejection TTL.
     *
     * @return the TTL, or null for the default
     */
    public @Nullable Duration getNegativeTtl() {
      return negativeTtl;
    }

    /**
     * Sets the rejection TTL.
     *
     * @param negativeTtl positive
     */
    public void setNegativeTtl(@Nullable Duration negativeTtl) {
      this.negativeTtl = negativeTtl;
    }

    /**
     * The grant cache size.
     *
     * @return the size, or null for the default
     */
    public @Nullable Long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets the grant cache size.
     *
     * @param maximumSize at least 1
     */
    public void setMaximumSize(@Nullable Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /**
     * The rejection cache size.
     *
     * @return the size, or null for the default
     */
    public @Nullable Long getNegativeMaximumSize() {
      return negativeMaximumSize;
    }

    /**
     * Sets the rejection cache size.
     *
     * @param negativeMaximumSize at least 1
     */
    public void setNegativeMaximumSize(@Nullable Long negativeMaximumSize) {
      this.negativeMaximumSize = negativeMaximumSize;
    }

    /**
     * The stale-if-error grace.
     *
     * @return the grace, or null for the default (off)
     */
    public @Nullable Duration getStaleIfError() {
      return staleIfError;
    }

    /**
     * Sets the stale-if-error grace.
     *
     * @param staleIfError zero or more
     */
    public void setStaleIfError(@Nullable Duration staleIfError) {
      this.staleIfError = staleIfError;
    }
  }

  /** Fleet mode: a cache level shared by every replica, and revocation broadcast. */
  public static class SharedCache {
    /** The longest a miss waits for the shared cache before asking BRMS. */
    private @Nullable Duration timeout;

    /**
     * How long a replica waits for another replica's lookup of the same secret (0: no lock);
     * shorter than the decision timeout.
     */
    private @Nullable Duration lockWait;

    private final Redis redis = new Redis();

    /**
     * Reads the shared-cache timeout.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the shared-cache timeout.
     *
     * @param timeout the value
     */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * Reads the lock wait.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getLockWait() {
      return lockWait;
    }

    /**
     * Sets the lock wait.
     *
     * @param lockWait the value
     */
    public void setLockWait(@Nullable Duration lockWait) {
      this.lockWait = lockWait;
    }

    /**
     * The Redis shared cache.
     *
     * @return the nested {@code patguard.shared-cache.redis.*} properties
     */
    public Redis getRedis() {
      return redis;
    }
  }

  /** The Redis shared cache (patguard-redis): on when the URI is set. */
  public static class Redis {
    /**
     * Where Redis is: redis://host:port[/db], or rediss:// for TLS; setting it turns fleet mode on.
     * No password in it: use the password property.
     */
    private @Nullable String uri;

    /** The Redis ACL user (default: Redis's default user). */
    private @Nullable String user;

    /**
     * The Redis password (never logged or shown); set it from the environment
     * (PATGUARD_SHAREDCACHE_REDIS_PASSWORD) or a secret store, not a file under version control.
     */
    private @Nullable String password;

    /**
     * The fleet keys, id:base64[,id:base64...] with the current key first, each at least 32 bytes
     * (never logged or shown); set it from the environment (PATGUARD_SHAREDCACHE_REDIS_FLEETKEYS).
     * Or use fleet-keys-file.
     */
    private @Nullable String fleetKeys;

    /**
     * A file holding the fleet keys (re-read when it changes, so a rotation needs no restart). Or
     * use fleet-keys.
     */
    private @Nullable Path fleetKeysFile;

    /** What every Redis key and the invalidation channel start with. */
    private @Nullable String keyPrefix;

    /** The longest one Redis command may take; keep it below patguard.shared-cache.timeout. */
    private @Nullable Duration commandTimeout;

    /** The longest a Redis connection may take to open (in the background). */
    private @Nullable Duration connectTimeout;

    /** How soon a Redis connection that could not be opened is tried again. */
    private @Nullable Duration reconnectDelay;

    /**
     * How long after an invalidation no replica may write that secret's entry; keep it above the
     * request timeout.
     */
    private @Nullable Duration invalidationHold;

    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /**
     * Reads the Redis URI.
     *
     * @return the value, or null for the default
     */
    public @Nullable String getUri() {
      return uri;
    }

    /**
     * Sets the Redis URI.
     *
     * @param uri the value
     */
    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }

    /**
     * Reads the ACL user.
     *
     * @return the value, or null for the default
     */
    public @Nullable String getUser() {
      return user;
    }

    /**
     * Sets the ACL user.
     *
     * @param user the value
     */
    public void setUser(@Nullable String user) {
      this.user = user;
    }

    /**
     * Reads the Redis password.
     *
     * @return the value, or null for the default
     */
    public @Nullable String getPassword() {
      return password;
    }

    /**
     * Sets the Redis password.
     *
     * @param password the value
     */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /**
     * Reads the fleet keys.
     *
     * @return the value, or null for the default
     */
    public @Nullable String getFleetKeys() {
      return fleetKeys;
    }

    /**
     * Sets the fleet keys.
     *
     * @param fleetKeys the value
     */
    public void setFleetKeys(@Nullable String fleetKeys) {
      this.fleetKeys = fleetKeys;
    }

    /**
     * Reads the fleet key file.
     *
     * @return the value, or null for the default
     */
    public @Nullable Path getFleetKeysFile() {
      return fleetKeysFile;
    }

    /**
     * Sets the fleet key file.
     *
     * @param fleetKeysFile the value
     */
    public void setFleetKeysFile(@Nullable Path fleetKeysFile) {
      this.fleetKeysFile = fleetKeysFile;
    }

    /**
     * Reads the key prefix.
     *
     * @return the value, or null for the default
     */
    public @Nullable String getKeyPrefix() {
      return keyPrefix;
    }

    /**
     * Sets the key prefix.
     *
     * @param keyPrefix the value
     */
    public void setKeyPrefix(@Nullable String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /**
     * Reads the command timeout.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getCommandTimeout() {
      return commandTimeout;
    }

    /**
     * Sets the command timeout.
     *
     * @param commandTimeout the value
     */
    public void setCommandTimeout(@Nullable Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    /**
     * Reads the connect timeout.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getConnectTimeout() {
      return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout the value
     */
    public void setConnectTimeout(@Nullable Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /**
     * Reads the reconnect delay.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getReconnectDelay() {
      return reconnectDelay;
    }

    /**
     * Sets the reconnect delay.
     *
     * @param reconnectDelay the value
     */
    public void setReconnectDelay(@Nullable Duration reconnectDelay) {
      this.reconnectDelay = reconnectDelay;
    }

    /**
     * Reads the invalidation hold.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getInvalidationHold() {
      return invalidationHold;
    }

    /**
     * Sets the invalidation hold.
     *
     * @param invalidationHold the value
     */
    public void setInvalidationHold(@Nullable Duration invalidationHold) {
      this.invalidationHold = invalidationHold;
    }

    /**
     * The circuit breaker.
     *
     * @return the nested {@code patguard.shared-cache.redis.circuit-breaker.*} properties
     */
    public CircuitBreaker getCircuitBreaker() {
      return circuitBreaker;
    }

    /** Never shows the password or the fleet keys. */
    @Override
    public String toString() {
      return "Redis[uri="
          + (uri == null ? "unset" : uri.indexOf('@') >= 0 ? "***" : uri)
          + ", password="
          + (password == null ? "unset" : "***")
          + ", fleetKeys="
          + (fleetKeys == null ? "unset" : "***")
          + ", fleetKeysFile="
          + fleetKeysFile
          + "]";
    }
  }

  /** The Redis circuit breaker. */
  public static class CircuitBreaker {
    /** Failures in a row that open the circuit breaker (at least 1). */
    private @Nullable Integer failures;

    /** How long the open circuit breaker stops Redis commands before one trial. */
    private @Nullable Duration openFor;

    /**
     * Reads the failures that open the breaker.
     *
     * @return the value, or null for the default
     */
    public @Nullable Integer getFailures() {
      return failures;
    }

    /**
     * Sets the failures that open the breaker.
     *
     * @param failures the value
     */
    public void setFailures(@Nullable Integer failures) {
      this.failures = failures;
    }

    /**
     * Reads how long the breaker stays open.
     *
     * @return the value, or null for the default
     */
    public @Nullable Duration getOpenFor() {
      return openFor;
    }

    /**
     * Sets how long the breaker stays open.
     *
     * @param openFor the value
     */
    public void setOpenFor(@Nullable Duration openFor) {
      this.openFor = openFor;
    }
  }

  /** The Spring Security answers. */
  public static class Security {
    /** The realm of WWW-Authenticate challenges. */
    private String realm = "patguard";

    /** The Retry-After of 503 answers (at least 1 s). */
    private Duration retryAfter = Duration.ofSeconds(5);

    /** The longest bearer token accepted (16 to 65536 characters). */
    private int maxTokenLength = 4096;

    /**
     * The realm.
     *
     * @return the realm
     */
    public String getRealm() {
      return realm;
    }

    /**
     * Sets the realm.
     *
     * @param realm printable ASCII without quotes or backslashes
     */
    public void setRealm(String realm) {
      this.realm = realm;
    }

    /**
     * The Retry-After of 503 answers.
     *
     * @return the delay
     */
    public Duration getRetryAfter() {
      return retryAfter;
    }

    /**
     * Sets the Retry-After of 503 answers.
     *
     * @param retryAfter at least 1 s
     */
    public void setRetryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
    }

    /**
     * The longest token accepted.
     *
     * @return the length in characters
     */
    public int getMaxTokenLength() {
      return maxTokenLength;
    }

    /**
     * Sets the longest token accepted.
     *
     * @param maxTokenLength 16 to 65536
     */
    public void setMaxTokenLength(int maxTokenLength) {
      this.maxTokenLength = maxTokenLength;
    }
  }

  /**
   * {@code PatGuardFilter} in an app without Spring Security: registered when {@code policy} is
   * set. The names and defaults are the filter's init-params'.
   */
  public static class Filter {
    /**
     * The route policy (YAML or JSON, by file name), such as classpath:patguard-policy.yaml;
     * setting it registers PatGuardFilter.
     */
    private @Nullable String policy;

    /**
     * What requests no rule matches get: deny, authenticated or allow (default: the policy file's
     * own unmatched, else deny).
     */
    private @Nullable String unmatched;

    /** The realm of WWW-Authenticate challenges. */
    private String realm = "patguard";

    /** Decide and report every request (to EnforcementListener beans) but let all through. */
    private boolean reportOnly;

    /**
     * Also accept the token as an access_token query parameter or form field (tokens in URLs end up
     * in logs: avoid).
     */
    private boolean allowQueryToken;

    /** The longest bearer token accepted (1 to 65536 characters). */
    private int maxTokenLength = 4096;

    /** The Retry-After of 503 answers (at least 1 s). */
    private Duration retryAfter = Duration.ofSeconds(5);

    /** Dispatches checked again besides REQUEST and ASYNC: any of FORWARD, INCLUDE, ERROR. */
    private List<String> recheckDispatchTypes = new ArrayList<>();

    /** The URL patterns the filter is mapped to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    /**
     * The filter's order among the servlet filters: by default after Boot's character-encoding and
     * form-content filters, before its request-context filter and Spring Security's.
     */
    private int order = PatGuardFilterAutoConfiguration.DEFAULT_ORDER;

    /**
     * The route policy's location.
     *
     * @return a resource location, or null when the filter is off
     */
    public @Nullable String getPolicy() {
      return policy;
    }

    /**
     * Sets the route policy's location.
     *
     * @param policy a resource location ending in .yaml, .yml or .json
     */
    public void setPolicy(@Nullable String policy) {
      this.policy = policy;
    }

    /**
     * What unmatched requests get.
     *
     * @return deny, authenticated or allow; null to keep the policy's own
     */
    public @Nullable String getUnmatched() {
      return unmatched;
    }

    /**
     * Sets what unmatched requests get.
     *
     * @param unmatched deny, authenticated or allow
     */
    public void setUnmatched(@Nullable String unmatched) {
      this.unmatched = unmatched;
    }

    /**
     * The realm.
     *
     * @return the realm
     */
    public String getRealm() {
      return realm;
    }

    /**
     * Sets the realm.
     *
     * @param realm printable ASCII without quotes or backslashes
     */
    public void setRealm(String realm) {
      this.realm = realm;
    }

    /**
     * Whether refusals are only reported.
     *
     * @return whether every request is let through
     */
    public boolean isReportOnly() {
      return reportOnly;
    }

    /**
     * Sets whether refusals are only reported.
     *
     * @param reportOnly whether to let every request through
     */
    public void setReportOnly(boolean reportOnly) {
      this.reportOnly = reportOnly;
    }

    /**
     * Whether a query-parameter token is accepted.
     *
     * @return whether access_token in the query counts
     */
    public boolean isAllowQueryToken() {
      return allowQueryToken;
    }

    /**
     * Sets whether a query-parameter token is accepted.
     *
     * @param allowQueryToken whether access_token in the query counts
     */
    public void setAllowQueryToken(boolean allowQueryToken) {
      this.allowQueryToken = allowQueryToken;
    }

    /**
     * The longest token accepted.
     *
     * @return the length in characters
     */
    public int getMaxTokenLength() {
      return maxTokenLength;
    }

    /**
     * Sets the longest token accepted.
     *
     * @param maxTokenLength 1 to 65536
     */
    public void setMaxTokenLength(int maxTokenLength) {
      this.maxTokenLength = maxTokenLength;
    }

    /**
     * The Retry-After of 503 answers.
     *
     * @return the delay
     */
    public Duration getRetryAfter() {
      return retryAfter;
    }

    /**
     * Sets the Retry-After of 503 answers.
     *
     * @param retryAfter at least 1 s
     */
    public void setRetryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
    }

    /**
     * The dispatches checked again.
     *
     * @return dispatcher type names
     */
    public List<String> getRecheckDispatchTypes() {
      return recheckDispatchTypes;
    }

    /**
     * Sets the dispatches checked again.
     *
     * @param recheckDispatchTypes any of FORWARD, INCLUDE, ERROR
     */
    public void setRecheckDispatchTypes(List<String> recheckDispatchTypes) {
      this.recheckDispatchTypes = recheckDispatchTypes;
    }

    /**
     * The URL patterns.
     *
     * @return the patterns the filter is mapped to
     */
    public List<String> getUrlPatterns() {
      return urlPatterns;
    }

    /**
     * Sets the URL patterns.
     *
     * @param urlPatterns servlet URL patterns, at least one
     */
    public void setUrlPatterns(List<String> urlPatterns) {
      this.urlPatterns = urlPatterns;
    }

    /**
     * The filter's order.
     *
     * @return the order
     */
    public int getOrder() {
      return order;
    }

    /**
     * Sets the filter's order.
     *
     * @param order lower runs earlier
     */
    public void setOrder(int order) {
      this.order = order;
    }
  }

  /**
   * Reads whether patguard is configured.
   *
   * @return whether patguard is configured
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether patguard is configured.
   *
   * @param enabled whether patguard is configured
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Reads the BRMS base URL.
   *
   * @return the BRMS base URL, or null for the default
   */
  public @Nullable String getBrmsUrl() {
    return brmsUrl;
  }

  /**
   * Sets the BRMS base URL.
   *
   * @param brmsUrl the BRMS base URL
   */
  public void setBrmsUrl(@Nullable String brmsUrl) {
    this.brmsUrl = brmsUrl;
  }

  /**
   * Reads the admin credential.
   *
   * @return the admin credential, or null for the default
   */
  public @Nullable String getAdminCredential() {
    return adminCredential;
  }

  /**
   * Sets the admin credential.
   *
   * @param adminCredential the admin credential
   */
  public void setAdminCredential(@Nullable String adminCredential) {
    this.adminCredential = adminCredential;
  }

  /**
   * Reads the lookup strategy.
   *
   * @return the lookup strategy
   */
  public String getLookup() {
    return lookup;
  }

  /**
   * Sets the lookup strategy.
   *
   * @param lookup the lookup strategy
   */
  public void setLookup(String lookup) {
    this.lookup = lookup;
  }

  /**
   * Reads the permission model.
   *
   * @return the permission model
   */
  public String getPermissionModel() {
    return permissionModel;
  }

  /**
   * Sets the permission model.
   *
   * @param permissionModel the permission model
   */
  public void setPermissionModel(String permissionModel) {
    this.permissionModel = permissionModel;
  }

  /**
   * Reads the connect timeout.
   *
   * @return the connect timeout, or null for the default
   */
  public @Nullable Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets the connect timeout.
   *
   * @param connectTimeout the connect timeout
   */
  public void setConnectTimeout(@Nullable Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * Reads the request timeout.
   *
   * @return the request timeout, or null for the default
   */
  public @Nullable Duration getRequestTimeout() {
    return requestTimeout;
  }

  /**
   * Sets the request timeout.
   *
   * @param requestTimeout the request timeout
   */
  public void setRequestTimeout(@Nullable Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  /**
   * Reads the decision timeout.
   *
   * @return the decision timeout, or null for the default
   */
  public @Nullable Duration getDecisionTimeout() {
    return decisionTimeout;
  }

  /**
   * Sets the decision timeout.
   *
   * @param decisionTimeout the decision timeout
   */
  public void setDecisionTimeout(@Nullable Duration decisionTimeout) {
    this.decisionTimeout = decisionTimeout;
  }

  /**
   * Reads the retries.
   *
   * @return the retries, or null for the default
   */
  public @Nullable Integer getMaxRetries() {
    return maxRetries;
  }

  /**
   * Sets the retries.
   *
   * @param maxRetries the retries
   */
  public void setMaxRetries(@Nullable Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

  /**
   * Reads the response size limit.
   *
   * @return the response size limit, or null for the default
   */
  public @Nullable DataSize getMaxResponseSize() {
    return maxResponseSize;
  }

  /**
   * Sets the response size limit.
   *
   * @param maxResponseSize the response size limit
   */
  public void setMaxResponseSize(@Nullable DataSize maxResponseSize) {
    this.maxResponseSize = maxResponseSize;
  }

  /**
   * Reads the expiry skew.
   *
   * @return the expiry skew, or null for the default
   */
  public @Nullable Duration getExpirySkew() {
    return expirySkew;
  }

  /**
   * Sets the expiry skew.
   *
   * @param expirySkew the expiry skew
   */
  public void setExpirySkew(@Nullable Duration expirySkew) {
    this.expirySkew = expirySkew;
  }

  /**
   * Reads the concurrent lookup limit.
   *
   * @return the concurrent lookup limit, or null for the default
   */
  public @Nullable Integer getMaxConcurrentLookups() {
    return maxConcurrentLookups;
  }

  /**
   * Sets the concurrent lookup limit.
   *
   * @param maxConcurrentLookups the concurrent lookup limit
   */
  public void setMaxConcurrentLookups(@Nullable Integer maxConcurrentLookups) {
    this.maxConcurrentLookups = maxConcurrentLookups;
  }

  /**
   * Reads the queued lookup limit.
   *
   * @return the queued lookup limit, or null for the default
   */
  public @Nullable Integer getMaxQueuedLookups() {
    return maxQueuedLookups;
  }

  /**
   * Sets the queued lookup limit.
   *
   * @param maxQueuedLookups the queued lookup limit
   */
  public void setMaxQueuedLookups(@Nullable Integer maxQueuedLookups) {
    this.maxQueuedLookups = maxQueuedLookups;
  }

  /**
   * Reads the expires-soon horizon.
   *
   * @return the expires-soon horizon, or null for the default
   */
  public @Nullable Duration getExpiresSoonHorizon() {
    return expiresSoonHorizon;
  }

  /**
   * Sets the expires-soon horizon.
   *
   * @param expiresSoonHorizon the expires-soon horizon
   */
  public void setExpiresSoonHorizon(@Nullable Duration expiresSoonHorizon) {
    this.expiresSoonHorizon = expiresSoonHorizon;
  }

  /**
   * Reads the accepted owner statuses.
   *
   * @return the accepted owner statuses
   */
  public Set<String> getAcceptedOwnerStatuses() {
    return acceptedOwnerStatuses;
  }

  /**
   * Sets the accepted owner statuses.
   *
   * @param acceptedOwnerStatuses the accepted owner statuses
   */
  public void setAcceptedOwnerStatuses(Set<String> acceptedOwnerStatuses) {
    this.acceptedOwnerStatuses = acceptedOwnerStatuses;
  }

  /**
   * Reads the health window.
   *
   * @return the health window
   */
  public Duration getHealthWindow() {
    return healthWindow;
  }

  /**
   * Sets the health window.
   *
   * @param healthWindow positive
   */
  public void setHealthWindow(Duration healthWindow) {
    this.healthWindow = healthWindow;
  }

  /**
   * The cache settings.
   *
   * @return the nested {@code patguard.cache.*} properties
   */
  public Cache getCache() {
    return cache;
  }

  /**
   * The fleet-mode settings.
   *
   * @return the nested {@code patguard.shared-cache.*} properties
   */
  public SharedCache getSharedCache() {
    return sharedCache;
  }

  /**
   * The Spring Security settings.
   *
   * @return the nested {@code patguard.security.*} properties
   */
  public Security getSecurity() {
    return security;
  }

  /**
   * The settings of {@code PatGuardFilter} in an app without Spring Security.
   *
   * @return the nested {@code patguard.filter.*} properties
   */
  public Filter getFilter() {
    return filter;
  }

  /** Never shows the admin credential. */
  @Override
  public String toString() {
    return "PatGuardProperties[brmsUrl="
        + brmsUrl
        + ", lookup="
        + lookup
        + ", adminCredential="
        + (adminCredential == null ? "unset" : "***")
        + ", sharedCache="
        + sharedCache.getRedis()
        + "]";
  }
}
