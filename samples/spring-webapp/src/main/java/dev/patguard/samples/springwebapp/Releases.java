package dev.patguard.samples.springwebapp;

import dev.patguard.decision.ProjectRef;
import dev.patguard.spring.security.PatGuardAuthorizationManager;
import dev.patguard.spring.security.PatGuardTokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The portal's own logic. Requests reach it only once Spring Security has permitted them, so it
 * never re-checks a permission; it acts on the project patguard authorized (the request attribute
 * {@link PatGuardAuthorizationManager#PROJECT_ATTRIBUTE}), not on the raw path variable or header.
 */
@RestController
class Releases {
  private final AtomicInteger deploys = new AtomicInteger();

  /** How many deploys the portal accepted. */
  int deploys() {
    return deploys.get();
  }

  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "up");
  }

  @GetMapping("/api/me")
  Map<String, Object> me(@AuthenticationPrincipal PatGuardTokenPrincipal caller) {
    return caller(caller, new LinkedHashMap<>());
  }

  @GetMapping("/api/projects/{projectId}/releases")
  Map<String, Object> releases(
      HttpServletRequest request, @AuthenticationPrincipal PatGuardTokenPrincipal caller) {
    return list(request, caller);
  }

  /** The same list, the project named by the {@code X-Project} header. */
  @GetMapping("/api/releases")
  Map<String, Object> releasesByHeader(
      HttpServletRequest request, @AuthenticationPrincipal PatGuardTokenPrincipal caller) {
    return list(request, caller);
  }

  @PostMapping("/api/projects/{projectId}/releases/deploy")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Map<String, Object> deploy(
      HttpServletRequest request, @AuthenticationPrincipal PatGuardTokenPrincipal caller) {
    deploys.incrementAndGet();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "deploying");
    body.put("project", authorized(request).toString());
    return caller(caller, body);
  }

  /**
   * Guarded by method security: the route only requires a live token, and patguard decides here
   * whether it may manage environments of {@code projectId} (compiled with {@code -parameters}).
   */
  @PostMapping("/api/projects/{projectId}/environments/{environmentId}/undeploy")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @PreAuthorize("@patguard.may(authentication, 'environments:manage', #projectId)")
  Map<String, Object> undeploy(
      @PathVariable String projectId,
      @PathVariable String environmentId,
      @AuthenticationPrincipal PatGuardTokenPrincipal caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "undeploying");
    body.put("project", projectId);
    body.put("environment", environmentId);
    return caller(caller, body);
  }

  private static Map<String, Object> list(
      HttpServletRequest request, PatGuardTokenPrincipal caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project", authorized(request).toString());
    body.put("results", List.of());
    return caller(caller, body);
  }

  /** The project the route check authorized: a bare key or a UUID, as the client named it. */
  private static ProjectRef authorized(HttpServletRequest request) {
    return (ProjectRef) request.getAttribute(PatGuardAuthorizationManager.PROJECT_ATTRIBUTE);
  }

  /** Says who asked: the token's fingerprint (never its secret), id and owner. */
  private static Map<String, Object> caller(PatGuardTokenPrincipal who, Map<String, Object> body) {
    Map<String, Object> caller = new LinkedHashMap<>();
    caller.put("token", who.fingerprint());
    caller.put("tokenId", who.tokenId() == null ? null : String.valueOf(who.tokenId()));
    caller.put("owner", who.ownerEmail());
    body.put("caller", caller);
    return body;
  }
}
