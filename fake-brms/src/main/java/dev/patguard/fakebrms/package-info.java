/**
 * A BRMS-compatible HTTP server on loopback for tests and demos: it serves the GoRules BRMS
 * personal-access-token and release endpoints, lets a test mint, revoke and expire tokens, injects
 * faults (error statuses, latency, resets, malformed, oversized or deeply nested bodies, redirects)
 * and counts upstream calls. Start one with {@link dev.patguard.fakebrms.FakeBrms#builder()}; it is
 * the other side of the wire from patguard and depends on Jackson only.
 */
@org.jspecify.annotations.NullMarked
package dev.patguard.fakebrms;
