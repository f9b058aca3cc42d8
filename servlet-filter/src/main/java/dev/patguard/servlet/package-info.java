/**
 * Enforces patguard decisions in Jakarta Servlet web apps: {@link
 * dev.patguard.servlet.PatGuardFilter} extracts the RFC 6750 bearer token, matches the request
 * against a {@link dev.patguard.servlet.RoutePolicy}, asks a {@link dev.patguard.Decider} (a {@link
 * dev.patguard.PatGuard}) and answers 400, 401, 403 or 503 (RFC 6750 challenges, RFC 9457 problem
 * bodies) or lets the request through with a {@link dev.patguard.servlet.PatGuardPrincipal}. It
 * never fails open. Only the filter, its builder, the policy types, the principal and the
 * enforcement events are public; the filter's collaborators (request target, project resolution,
 * bearer extraction, async hand-off, init-params, problems) are package-private here.
 */
@NullMarked
package dev.patguard.servlet;

import org.jspecify.annotations.NullMarked;
