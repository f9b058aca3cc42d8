/**
 * patguard's entry point: {@link dev.patguard.PatGuard}, built once with {@link
 * dev.patguard.PatGuard#builder()}, answers "may this secret do this?" with a {@link
 * dev.patguard.decision.Decision}, fetching and caching the token's facts from BRMS. An outage or
 * timeout is an {@code Indeterminate} decision, never an exception and never a permit.
 */
@NullMarked
package dev.patguard;

import org.jspecify.annotations.NullMarked;
