/**
 * Implementation of the servlet filter: bearer extraction, path checks and templates, policy
 * files and responses. Not API: may change in any release.
 */
@NullMarked
package dev.patguard.servlet.internal;

import org.jspecify.annotations.NullMarked;
