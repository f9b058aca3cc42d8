package dev.patguard.spring.security;

import dev.patguard.decision.ProjectRef;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The release portal as a Spring Boot app guarded by patguard (what the README shows). */
@SpringBootApplication
@EnableMethodSecurity
public class ReleasePortalApp {

  @Bean
  SecurityFilterChain api(HttpSecurity http, PatGuardSecurity patguard) throws Exception {
    patguard.applyTo(http);
    http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(HttpMethod.POST, "/api/projects/{projectId}/releases/deploy")
                    .access(patguard.require("releases:deploy").onPathVariable("projectId"))
                    .requestMatchers(HttpMethod.GET, "/api/releases")
                    .access(patguard.require("releases:deploy").onQueryParameter("project"))
                    .requestMatchers(HttpMethod.GET, "/api/reports")
                    .access(patguard.require("documents:view-content").onHeader("X-Project"))
                    .requestMatchers(HttpMethod.GET, "/api/web-shop/status")
                    .access(patguard.require("releases:deploy").onProject("web-shop"))
                    .requestMatchers("/api/methods/**")
                    .authenticated()
                    .requestMatchers("/health", "/error")
                    .permitAll()
                    .anyRequest()
                    .denyAll());
    return http.build();
  }

  /** The routes. */
  @RestController
  static class Portal {
    @PostMapping("/api/projects/{projectId}/releases/deploy")
    ResponseEntity<Map<String, String>> deploy(
        HttpServletRequest request,
        @AuthenticationPrincipal PatGuardTokenPrincipal principal,
        @RequestBody(required = false) @Nullable String body) {
      ProjectRef project =
          (ProjectRef) request.getAttribute(PatGuardAuthorizationManager.PROJECT_ATTRIBUTE);
      return ResponseEntity.accepted()
          .body(
              Map.of(
                  "deploying", String.valueOf(project),
                  "token", principal.fingerprint(),
                  "tokenId", String.valueOf(principal.tokenId()),
                  // How much of the body the app could read: patguard never reads it.
                  "bodyLength", Integer.toString(body == null ? 0 : body.length())));
    }

    @GetMapping("/api/releases")
    Map<String, String> releases(HttpServletRequest request) {
      return Map.of(
          "project",
          String.valueOf(request.getAttribute(PatGuardAuthorizationManager.PROJECT_ATTRIBUTE)));
    }

    @GetMapping("/api/reports")
    Map<String, String> reports(HttpServletRequest request) {
      return Map.of(
          "project",
          String.valueOf(request.getAttribute(PatGuardAuthorizationManager.PROJECT_ATTRIBUTE)));
    }

    @GetMapping("/api/web-shop/status")
    Map<String, String> status() {
      return Map.of("status", "green");
    }

    @GetMapping("/health")
    Map<String, String> health() {
      return Map.of("status", "up");
    }
  }

  /** Method security: the permission is checked on the controller method's argument. */
  @RestController
  static class Methods {
    @PostMapping("/api/methods/{projectId}/undeploy")
    @PreAuthorize("@patguard.may(authentication, 'environments:manage', #projectId)")
    Map<String, String> undeploy(@PathVariable("projectId") String projectId) {
      return Map.of("undeploying", projectId);
    }
  }
}
