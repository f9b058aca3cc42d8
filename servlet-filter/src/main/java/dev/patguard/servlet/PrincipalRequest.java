package dev.patguard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** Exposes the permitted caller through {@link #getUserPrincipal()}. */
final class PrincipalRequest extends HttpServletRequestWrapper {
  private final Principal principal;

  public PrincipalRequest(HttpServletRequest request, Principal principal) {
    super(request);
    this.principal = principal;
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public String getAuthType() {
    return "Bearer";
  }

  @Override
  public String getRemoteUser() {
    return principal.getName();
  }
}
