/**
 * What the filter's public types need from its implementation: path templates, policy files and
 * query strings. Not API: may change in any release. The filter's own collaborators are
 * package-private in {@code dev.patguard.servlet}.
 */
@NullMarked
package dev.patguard.servlet.internal;

import org.jspecify.annotations.NullMarked;
