/**
 * patguard-core's implementation details: not API, may change in any release, and never used from
 * another module (ArchUnit tests in every module hold that line).
 */
@NullMarked
package dev.patguard.internal;

import org.jspecify.annotations.NullMarked;
