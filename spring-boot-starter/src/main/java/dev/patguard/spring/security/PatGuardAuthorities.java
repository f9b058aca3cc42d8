package dev.patguard.spring.security;

import dev.patguard.decision.Grant;
import dev.patguard.token.Project;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The {@link GrantedAuthority}s of a {@link PatGuardAuthentication}, for apps that also use {@code
 * hasAuthority}. The rule: a permission appears bare ({@code releases:deploy}) only when the token
 * holds it on <em>every</em> project; a permission held on some projects appears once per project
 * as {@code permission@key} and {@code permission@id} ({@code releases:deploy@web-shop}). So a
 * token that may deploy to one project never passes a project-less {@code
 * hasAuthority("releases:deploy")} meant for another. An ambiguous grant (several candidate tokens)
 * has no permission authorities at all. Every patguard authentication also has {@link #TOKEN}.
 *
 * <p>Authorities are computed once, at authentication; {@link PatGuardAuthorizationManager} and
 * {@link PatGuardMethodSecurity} ask patguard again and are the checks to prefer.
 */
public final class PatGuardAuthorities {
  /** The authority every patguard-authenticated token has. */
  public static final String TOKEN = "PATGUARD_TOKEN";

  private PatGuardAuthorities() {}

  /**
   * The authorities of a token with this grant.
   *
   * @param grant the compiled grant, or null when it is not known (then only {@link #TOKEN})
   * @return {@link #TOKEN} followed by the permission authorities, by the rule above
   */
  public static List<GrantedAuthority> of(@Nullable Grant grant) {
    List<GrantedAuthority> out = new ArrayList<>();
    out.add(new SimpleGrantedAuthority(TOKEN));
    if (grant == null || grant.isAmbiguous()) {
      return out;
    }
    for (String permission : grant.grantedPermissions()) {
      if (grant.allProjects()) {
        out.add(new SimpleGrantedAuthority(permission));
        continue;
      }
      for (Project p : grant.projects()) {
        if (p.key() != null) {
          out.add(new SimpleGrantedAuthority(permission + "@" + p.key()));
        }
        out.add(new SimpleGrantedAuthority(permission + "@" + p.id()));
      }
    }
    return out;
  }
}
