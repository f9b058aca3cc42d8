/**
 * Micrometer observations of patguard decisions; needs only {@code micrometer-observation}, so it
 * works outside Spring too: {@code PatGuard.builder().listener(new
 * PatGuardObservations(registry))}.
 */
@NullMarked
package dev.patguard.spring.observation;

import org.jspecify.annotations.NullMarked;
