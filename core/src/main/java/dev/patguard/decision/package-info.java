/**
 * The question patguard answers, as pure code: may this token do this thing?
 *
 * <p>A {@link dev.patguard.decision.PermissionModel} says which permissions imply which. A token's
 * facts are compiled once into a {@link dev.patguard.decision.Grant} (a bit set over the known
 * permissions plus unknown names kept verbatim, the project scope, the expiry and the owner's
 * status). A {@link dev.patguard.decision.Requirement} names what an action needs. {@link
 * dev.patguard.decision.Authorizer#decide} turns the two into a sealed {@link
 * dev.patguard.decision.Decision}: {@code Permit}, {@code Deny} with every reason that applies, or
 * {@code Indeterminate} when the facts could not be had. Nothing here does I/O.
 */
@NullMarked
package dev.patguard.decision;

import org.jspecify.annotations.NullMarked;
