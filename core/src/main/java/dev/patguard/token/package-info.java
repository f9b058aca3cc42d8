/**
 * The facts BRMS holds about a personal access token, bound from its JSON, and the digest of a
 * presented secret.
 *
 * <p>Values here mirror the BRMS seed schema ({@link dev.patguard.token.PersonalAccessToken}).
 * Parsing is tolerant of unknown fields but strict about the fields a decision depends on: a
 * missing or mistyped one is a {@link dev.patguard.token.TokenFormatException} naming it, never a
 * default that would widen access. A secret never appears in any value here; only its {@link
 * dev.patguard.token.SecretDigest} does.
 */
@NullMarked
package dev.patguard.token;

import org.jspecify.annotations.NullMarked;
