package com.example.filter;

import dev.patguard.servlet.PatGuardPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A release portal without Spring Security: application.yaml names the route policy. */
@SpringBootApplication
@RestController
public class ReleasePortal {
  public static void main(String[] args) {
    SpringApplication.run(ReleasePortal.class, args);
  }

  // snippet:start filter-app
  @PostMapping("/api/projects/{projectId}/releases/deploy")
  Map<String, String> deploy(HttpServletRequest request) {
    // Act on the project the filter authorized, not on the raw path.
    PatGuardPrincipal principal = (PatGuardPrincipal) request.getUserPrincipal();
    return Map.of(
        "deploying", principal.project().orElseThrow().toString(),
        "token", principal.getName()); // the fingerprint, never the secret
  }
  // snippet:end filter-app

  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "up");
  }
}
