/**
 * What an HTTP enforcement point answers, with no servlet, Spring or other server type: the
 * refusals ({@link dev.patguard.http.Refusal}, made by {@link dev.patguard.http.Refusals}), the RFC
 * 6750 reading of an {@code Authorization} header ({@link dev.patguard.http.BearerCredentials}),
 * the reading of the raw query string ({@link dev.patguard.http.RawQuery}) and of a project value
 * ({@link dev.patguard.http.ProjectValue}).
 *
 * <p>The servlet filter and the Spring starter both answer through this package, so that a client
 * sees one API whichever of them guards a server; an adapter only copies a {@code Refusal} onto its
 * response type.
 */
@NullMarked
package dev.patguard.http;

import org.jspecify.annotations.NullMarked;
