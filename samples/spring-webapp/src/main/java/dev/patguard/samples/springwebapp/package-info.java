/**
 * The release portal of samples/webapp as a Spring Boot app: patguard-spring-boot-starter, route
 * checks in Spring Security's {@code authorizeHttpRequests} and {@code @PreAuthorize} method
 * security. Copy it as the starting point of your own app.
 */
@NullMarked
package dev.patguard.samples.springwebapp;

import org.jspecify.annotations.NullMarked;
