/**
 * A release portal guarded by patguard: embedded Jetty 12, {@code PatGuardFilter} registered
 * programmatically, and a YAML route policy. Copy it as the starting point of your own app.
 */
@NullMarked
package dev.patguard.samples.webapp;

import org.jspecify.annotations.NullMarked;
