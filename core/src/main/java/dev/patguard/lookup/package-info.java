/**
 * How a presented secret becomes token facts. BRMS has no introspection endpoint, so lookups
 * are strategies:
 *
 * <ul>
 *   <li>{@linkplain dev.patguard.lookup.TokenLookup#self self}: list the presenter's own tokens
 *       with the presented secret; several live candidates are decided conservatively;
 *   <li>{@linkplain dev.patguard.lookup.TokenLookup#indexed indexed}: an index file maps the
 *       secret's SHA-256 to {@code {userId, patId}}, and the admin endpoint supplies the facts.
 * </ul>
 *
 * A third way, by id (CI tests, the CLI), needs no secret and lives on
 * {@link dev.patguard.PatGuard#fetchById}.
 */
@NullMarked
package dev.patguard.lookup;

import org.jspecify.annotations.NullMarked;
