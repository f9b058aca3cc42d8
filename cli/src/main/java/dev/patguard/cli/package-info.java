/**
 * The {@code patguard} command line, the deploy gate: {@code check}, {@code explain}, {@code
 * verify-receipt} and {@code keygen}. {@link dev.patguard.cli.PatGuardCli} is the entry point;
 * {@link dev.patguard.cli.CliEnvironment} is everything a run reads and writes, so tests run the
 * real commands with their own environment, streams and clock.
 */
@NullMarked
package dev.patguard.cli;

import org.jspecify.annotations.NullMarked;
