package com.example.spring;

// snippet:start app
import dev.patguard.spring.security.PatGuardSecurity;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@EnableMethodSecurity
public class ReleasePortal {
  @Bean
  SecurityFilterChain api(HttpSecurity http, PatGuardSecurity patguard) throws Exception {
    patguard.applyTo(http);   // bearer filter + patguard's entry point and access-denied handler
    http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(a -> a
            .requestMatchers(HttpMethod.POST, "/api/projects/{projectId}/releases/deploy")
                .access(patguard.require("releases:deploy").onPathVariable("projectId"))
            .requestMatchers(HttpMethod.GET, "/api/reports")
                .access(patguard.require("documents:view-content").onHeader("X-Project"))
            .requestMatchers(HttpMethod.GET, "/api/releases")
                .access(patguard.require("releases:deploy").onQueryParameter("project"))
            .requestMatchers("/api/web-shop/**")
                .access(patguard.require("releases:deploy").onProject("web-shop"))
            .requestMatchers("/api/methods/**").authenticated()   // @PreAuthorize decides
            .requestMatchers("/health", "/error").permitAll()
            .anyRequest().denyAll());
    return http.build();
  }
}

@RestController
class Environments {
  @PostMapping("/api/methods/{projectId}/undeploy")
  @PreAuthorize("@patguard.may(authentication, 'environments:manage', #projectId)")
  Map<String, String> undeploy(@PathVariable String projectId) {
    return Map.of("undeploying", projectId);
  }
}
// snippet:end app
