/**
 * Spring Security integration, usable without Spring Boot: bearer tokens authenticated through
 * Spring Security's own bearer-token filter ({@link
 * org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter}),
 * project-scoped {@link dev.patguard.spring.security.PatGuardAuthorizationManager}s for {@code
 * authorizeHttpRequests}, a method-security bean for {@code @PreAuthorize}, and an entry point and
 * access-denied handler that answer like {@code PatGuardFilter}. Start at {@link
 * dev.patguard.spring.security.PatGuardSecurity}.
 */
@NullMarked
package dev.patguard.spring.security;

import org.jspecify.annotations.NullMarked;
