/**
 * The BRMS HTTP client: the three reads patguard needs (a token's own list, a service user's
 * list, one service-user token), with timeouts, bounded jittered retries for idempotent reads, a
 * body cap, strict JSON limits, and a small unchecked exception hierarchy that keeps "this token
 * was rejected" apart from "BRMS could not be asked".
 *
 * <p>No redirect is followed, the base URL is fixed at construction, ids are validated as UUIDs
 * before any request is sent, and neither the presented secret nor the admin credential ever
 * appears in a message.
 */
@NullMarked
package dev.patguard.brms;

import org.jspecify.annotations.NullMarked;
