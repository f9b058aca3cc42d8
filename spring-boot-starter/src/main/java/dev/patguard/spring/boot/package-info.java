/**
 * Spring Boot auto-configuration: one {@link dev.patguard.PatGuard} bean configured from {@code
 * patguard.*} properties ({@link dev.patguard.spring.boot.PatGuardProperties}), closed with the
 * context, and, in servlet web apps with Spring Security, the {@link
 * dev.patguard.spring.security.PatGuardSecurity} and method-security ({@code @patguard}) beans.
 */
@NullMarked
package dev.patguard.spring.boot;

import org.jspecify.annotations.NullMarked;
