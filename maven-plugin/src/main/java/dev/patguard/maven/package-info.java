/**
 * The patguard deploy gate as Maven goals: {@code patguard:check} fails the build when the token in
 * an environment variable may not do what the release needs, and {@code patguard:explain} writes
 * the least-privilege review as text, JSON and SARIF under {@code target/patguard/}. Both run the
 * {@code patguard} command line in-process, so their decisions, messages and reports are the CLI's
 * own.
 */
@NullMarked
package dev.patguard.maven;

import org.jspecify.annotations.NullMarked;
