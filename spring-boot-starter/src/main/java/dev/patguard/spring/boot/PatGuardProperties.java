package dev.patguard.spring.boot;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code patguard.*} properties: what {@code PatGuard.builder()} and {@code
 * PatGuardSecurity.builder()} offer. Unset values keep the builders' defaults; each value is
 * checked at start-up, and a bad one fails it with a message naming the property and the value (the
 * admin credential is never shown).
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
   * The Spring Security settings.
   *
   * @return the nested {@code patguard.security.*} properties
   */
  public Security getSecurity() {
    return security;
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
        + "]";
  }
}
