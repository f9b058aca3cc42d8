package dev.patguard.spring.filter;

import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.PatGuardPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The release portal as a Spring Boot app without Spring Security, guarded by the starter's {@code
 * PatGuardFilter} from {@code patguard.filter.policy} alone: no patguard code in the app.
 */
@SpringBootApplication
public class FilterPortalApp {

  /**
   * Spring Security's auto-configurations, which the starter's test class path carries: an app
   * without Spring Security does not have them.
   */
  public static final String WITHOUT_SPRING_SECURITY =
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.servlet"
          + ".SecurityFilterAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.servlet"
          + ".ServletWebSecurityAutoConfiguration";

  /** The routes. */
  @RestController
  static class Portal {
    @PostMapping("/api/projects/{projectId}/releases/deploy")
    ResponseEntity<Map<String, String>> deploy(
        HttpServletRequest request, @PathVariable("projectId") String projectId) {
      PatGuardPrincipal principal = (PatGuardPrincipal) request.getUserPrincipal();
      return ResponseEntity.accepted()
          .body(
              Map.of(
                  "deploying", String.valueOf(principal.project().orElseThrow()),
                  "pathVariable", projectId,
                  "attribute",
                      String.valueOf(request.getAttribute(PatGuardFilter.PROJECT_ATTRIBUTE)),
                  "token", principal.getName(),
                  "tokenId", String.valueOf(principal.tokenId())));
    }

    @GetMapping("/api/reports")
    Map<String, String> reports(HttpServletRequest request) {
      return Map.of(
          "project", String.valueOf(request.getAttribute(PatGuardFilter.PROJECT_ATTRIBUTE)));
    }

    @GetMapping("/health")
    Map<String, String> health(HttpServletRequest request) {
      return Map.of("status", "up", "principal", String.valueOf(request.getUserPrincipal()));
    }

    /** A route the policy does not name: never reached (unmatched: deny). */
    @GetMapping("/api/admin")
    Map<String, String> admin() {
      return Map.of("admin", "reached");
    }
  }
}
