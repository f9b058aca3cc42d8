/**
 * The service-provider interface for fleet mode: {@link dev.patguard.spi.SharedTokenCache}, a
 * second cache level that several guards (replicas of one app) share, consulted after each guard's
 * own cache and before BRMS. Core holds no store of its own: a module such as {@code
 * patguard-redis} implements it. Whatever an implementation does, a fault of the shared level is a
 * miss, never a decision.
 */
@NullMarked
package dev.patguard.spi;

import org.jspecify.annotations.NullMarked;
