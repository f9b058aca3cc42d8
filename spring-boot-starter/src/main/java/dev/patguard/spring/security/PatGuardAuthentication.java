package dev.patguard.spring.security;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A bearer token patguard found live: its principal carries the token's facts ({@link
 * PatGuardTokenPrincipal}); {@link #getCredentials()} is its fingerprint, never the secret.
 *
 * <p>The secret is kept, in a transient field no accessor, {@code toString} or serialized form
 * shows, so that each authorization check of this request goes through patguard's decision (its
 * cache, revocation window and listener) instead of trusting a grant copied at authentication.
 * Bearer authentications are not stored in the HTTP session (Spring Security keeps them in a
 * request attribute); one that was serialized and read back has no secret, and every patguard check
 * on it denies with {@code TOKEN_INVALID}.
 *
 * <p>Authorities follow {@link PatGuardAuthorities}: a permission held on some projects only never
 * appears as the bare permission name.
 */
public final class PatGuardAuthentication extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  /** The token's facts. */
  private final PatGuardTokenPrincipal principal;

  /** The secret, never serialized. */
  private final transient String secret;

  /**
   * The authorities, built from the grant when first asked for: patguard's own checks never ask, so
   * a request guarded only by them builds none.
   */
  private transient volatile @Nullable Collection<GrantedAuthority> authorities;

  PatGuardAuthentication(PatGuardTokenPrincipal principal, String secret) {
    super(List.of());
    this.principal = Objects.requireNonNull(principal, "principal must not be null");
    this.secret = Objects.requireNonNull(secret, "secret must not be null");
    setAuthenticated(true);
  }

  /** {@link PatGuardAuthorities#of} the principal's grant, built once. */
  @Override
  public Collection<GrantedAuthority> getAuthorities() {
    Collection<GrantedAuthority> built = authorities;
    if (built == null) {
      built = Collections.unmodifiableList(PatGuardAuthorities.of(principal.grant()));
      authorities = built;
    }
    return built;
  }

  /** The token's fingerprint (the secret is never handed out). */
  @Override
  public Object getCredentials() {
    return principal.fingerprint();
  }

  @Override
  public PatGuardTokenPrincipal getPrincipal() {
    return principal;
  }

  /** The fingerprint. */
  @Override
  public String getName() {
    return principal.fingerprint();
  }

  /** The secret, for patguard's own decisions only; empty after deserialization. */
  String secret() {
    return secret == null ? "" : secret;
  }

  /** Equal principals (so equal grants and authorities), state and details. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PatGuardAuthentication other
        && other.principal.equals(principal)
        && other.isAuthenticated() == isAuthenticated()
        && Objects.equals(other.getDetails(), getDetails());
  }

  @Override
  public int hashCode() {
    return Objects.hash(principal, isAuthenticated(), getDetails());
  }

  @Override
  public String toString() {
    return "PatGuardAuthentication[" + principal + ", authorities=" + getAuthorities() + "]";
  }
}
