package dev.patguard.samples.springwebapp;

import dev.patguard.spring.security.PatGuardSecurity;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample release portal on Spring Boot: the routes of samples/webapp, guarded in Spring
 * Security's filter chain by the {@link PatGuardSecurity} bean the starter provides, and one route
 * ({@link Releases#undeploy undeploy}) guarded by {@code @PreAuthorize}. Configuration is in {@code
 * application.yaml}: {@code PATGUARD_BRMS_URL} (required) and {@code PORT} (default 8080).
 */
@SpringBootApplication
@EnableMethodSecurity
public class ReleasePortal {
  /** The permissions that may list a project's releases (any one of them). */
  static final String[] READ_RELEASES = {"releases", "releases:manage", "releases:deploy"};

  /** Spring instantiates the configuration. */
  ReleasePortal() {}

  /**
   * Every route says what it needs and where its project comes from; anything else is denied
   * without asking BRMS.
   */
  @Bean
  SecurityFilterChain api(HttpSecurity http, PatGuardSecurity patguard) throws Exception {
    // The bearer filter and patguard's entry point and access-denied handler: 401/403 with RFC 6750
    // challenges, and 503 with Retry-After when BRMS cannot answer.
    patguard.applyTo(http);
    http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(HttpMethod.GET, "/health", "/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/api/projects/{projectId}/releases")
                    .access(patguard.requireAnyOf(READ_RELEASES).onPathVariable("projectId"))
                    .requestMatchers(HttpMethod.POST, "/api/projects/{projectId}/releases/deploy")
                    .access(patguard.require("releases:deploy").onPathVariable("projectId"))
                    // for clients behind a gateway that names the project in a header
                    .requestMatchers(HttpMethod.GET, "/api/releases")
                    .access(patguard.requireAnyOf(READ_RELEASES).onHeader("X-Project"))
                    // any live token here; @PreAuthorize on the method decides the permission
                    .requestMatchers(
                        HttpMethod.POST,
                        "/api/projects/{projectId}/environments/{environmentId}/undeploy")
                    .authenticated()
                    .requestMatchers(HttpMethod.GET, "/api/me")
                    .authenticated()
                    .anyRequest()
                    .denyAll());
    return http.build();
  }

  /**
   * Runs the portal until stopped.
   *
   * @param args Spring Boot's command-line arguments (never a secret)
   */
  public static void main(String[] args) {
    SpringApplication.run(ReleasePortal.class, args);
  }
}
