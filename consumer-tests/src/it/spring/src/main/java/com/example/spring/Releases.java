package com.example.spring;

import dev.patguard.decision.ProjectRef;
import dev.patguard.spring.security.PatGuardAuthorizationManager;
import dev.patguard.spring.security.PatGuardTokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The deploy route ReleasePortal's chain guards: it acts on the project patguard authorized. */
@RestController
class Releases {
  @PostMapping("/api/projects/{projectId}/releases/deploy")
  Map<String, String> deploy(
      @PathVariable String projectId,
      HttpServletRequest request,
      @AuthenticationPrincipal PatGuardTokenPrincipal principal) {
    ProjectRef project =
        (ProjectRef) request.getAttribute(PatGuardAuthorizationManager.PROJECT_ATTRIBUTE);
    return Map.of("deploying", String.valueOf(project), "token", principal.fingerprint());
  }
}
