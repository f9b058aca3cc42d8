package dev.patguard.spring.security;

import dev.patguard.Decider;
import dev.patguard.PatGuard;
import dev.patguard.decision.Requirement;
import dev.patguard.http.Refusals;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * Everything patguard adds to Spring Security, built once from a {@link PatGuard}; usable without
 * Spring Boot (the starter declares one as a bean).
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain api(HttpSecurity http, PatGuardSecurity patguard) throws Exception {
 *   patguard.applyTo(http);   // bearer tokens, entry point, access-denied handler
 *   http.authorizeHttpRequests(a -> a
 *       .requestMatchers(HttpMethod.POST, "/api/projects/{projectId}/releases/deploy")
 *           .access(patguard.require("releases:deploy").onPathVariable("projectId"))
 *       .requestMatchers("/health", "/error").permitAll()   // Boot answers firewall 400s at /error
 *       .anyRequest().denyAll());
 *   return http.build();
 * }
 * }</pre>
 */
public final class PatGuardSecurity {
  private final PatGuard guard;
  private final Decider decider;
  private final PatGuardProblemHandler handler;
  private final BearerTokenResolver resolver;
  private final AuthenticationManager authenticationManager;
  private final PatGuardMethodSecurity methodSecurity;

  private PatGuardSecurity(Builder b) {
    this.guard = b.guard;
    this.decider = b.decider != null ? b.decider : b.guard;
    this.handler = new PatGuardProblemHandler(b.realm, b.retryAfter.toSeconds());
    this.resolver = new StrictBearerTokenResolver(b.maxTokenLength);
    ProviderManager manager = new ProviderManager(new PatGuardAuthenticationProvider(guard));
    this.authenticationManager = manager;
    this.methodSecurity = new PatGuardMethodSecurity(decider);
  }

  /**
   * Starts configuring the integration for {@code guard}.
   *
   * @param guard the guard to authenticate and decide with; not null
   * @return a builder with the defaults: realm {@code patguard}, {@code Retry-After} 5 s, tokens up
   *     to 4096 characters
   * @throws NullPointerException if {@code guard} is null
   */
  public static Builder builder(PatGuard guard) {
    return new Builder(Objects.requireNonNull(guard, "guard must not be null"));
  }

  /**
   * Wires bearer tokens into {@code http}: Spring Security's resource-server bearer filter with
   * patguard's resolver and authentication manager, and {@link #problemHandler()} as the resource
   * server's and the chain's entry point and access-denied handler. Routes are left to the caller's
   * {@code authorizeHttpRequests}.
   *
   * @param http the chain being built
   * @return {@code http}
   * @throws Exception as {@link HttpSecurity}'s configurers do
   */
  public HttpSecurity applyTo(HttpSecurity http) throws Exception {
    http.oauth2ResourceServer(
        rs ->
            rs.bearerTokenResolver(resolver)
                .authenticationManagerResolver(request -> authenticationManager)
                .authenticationEntryPoint(handler)
                .accessDeniedHandler(handler));
    http.exceptionHandling(e -> e.authenticationEntryPoint(handler).accessDeniedHandler(handler));
    return http;
  }

  /**
   * Starts a route check requiring every one of {@code permissions}; choose the project next.
   *
   * @param permissions the permissions, such as {@code releases:deploy}; at least one
   * @return the step that chooses the project source
   * @throws IllegalArgumentException if a permission name is malformed or none is given
   */
  public PatGuardAuthorizationManager.ProjectStep require(String... permissions) {
    return PatGuardAuthorizationManager.requiring(decider, Requirement.allOf(permissions));
  }

  /**
   * Starts a route check requiring at least one of {@code permissions}; choose the project next.
   *
   * @param permissions the accepted permissions; at least one
   * @return the step that chooses the project source
   * @throws IllegalArgumentException if a permission name is malformed or none is given
   */
  public PatGuardAuthorizationManager.ProjectStep requireAnyOf(String... permissions) {
    return PatGuardAuthorizationManager.requiring(decider, Requirement.anyOf(permissions));
  }

  /**
   * The entry point and access-denied handler.
   *
   * @return the handler that answers like {@code PatGuardFilter}
   */
  public PatGuardProblemHandler problemHandler() {
    return handler;
  }

  /**
   * The bearer-token resolver: {@code PatGuardFilter}'s header-only RFC 6750 rules.
   *
   * @return the resolver
   */
  public BearerTokenResolver bearerTokenResolver() {
    return resolver;
  }

  /**
   * The authentication manager for bearer tokens.
   *
   * @return a manager with one {@link PatGuardAuthenticationProvider}
   */
  public AuthenticationManager authenticationManager() {
    return authenticationManager;
  }

  /**
   * The method-security checks; register it as the bean {@code patguard} for
   * {@code @PreAuthorize("@patguard.may(...)")}.
   *
   * @return the checks
   */
  public PatGuardMethodSecurity methodSecurity() {
    return methodSecurity;
  }

  @Override
  public String toString() {
    return "PatGuardSecurity[" + guard + ", " + handler + "]";
  }

  /** Configures a {@link PatGuardSecurity}; each setting is checked as it is made. */
  public static final class Builder {
    private final PatGuard guard;
    private String realm = "patguard";
    private Duration retryAfter = Duration.ofSeconds(5);
    private int maxTokenLength = 4096;
    private @Nullable Decider decider;

    private Builder(PatGuard guard) {
      this.guard = guard;
    }

    /**
     * What decides route and method checks (default: the guard itself), such as a decorator of the
     * guard; authentication always asks the guard, which also reads the token's facts.
     *
     * @param decider the decider; not null
     * @return this builder
     */
    public Builder decider(Decider decider) {
      this.decider = Objects.requireNonNull(decider, "decider must not be null");
      return this;
    }

    /**
     * The {@code realm} of {@code WWW-Authenticate} challenges (default {@code patguard}).
     *
     * @param realm non-blank printable ASCII without {@code "} or {@code \}
     * @return this builder
     * @throws IllegalArgumentException if {@code realm} is not such text
     */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm must not be null");
      if (realm.isBlank() || !Refusals.isValidRealm(realm)) {
        throw new IllegalArgumentException(
            "realm must be non-blank printable ASCII without \" or \\, got \"" + realm + "\"");
      }
      this.realm = realm;
      return this;
    }

    /**
     * The {@code Retry-After} of 503 answers (default 5 s).
     *
     * @param retryAfter at least 1 s; a fraction of a second is dropped
     * @return this builder
     * @throws IllegalArgumentException if {@code retryAfter} is less than 1 s
     */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter must not be null");
      if (retryAfter.toSeconds() < 1) {
        throw new IllegalArgumentException("retryAfter must be at least 1s, got " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * The longest token accepted (default 4096); a longer one is 401 {@code invalid_token} without
     * a lookup.
     *
     * @param chars 16 to 65536
     * @return this builder
     * @throws IllegalArgumentException if {@code chars} is outside 16 to 65536
     */
    public Builder maxTokenLength(int chars) {
      if (chars < 16 || chars > 65536) {
        throw new IllegalArgumentException(
            "maxTokenLength must be between 16 and 65536, got " + chars);
      }
      this.maxTokenLength = chars;
      return this;
    }

    /**
     * Builds the integration.
     *
     * @return the integration
     */
    public PatGuardSecurity build() {
      return new PatGuardSecurity(this);
    }
  }
}
