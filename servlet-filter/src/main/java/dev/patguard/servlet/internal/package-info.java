/**
 * What the filter's public types need from its implementation: path templates and policy files. Not
 * API: may change in any release. The filter's own collaborators are package-private in {@code
 * dev.patguard.servlet}.
 */
@NullMarked
package dev.patguard.servlet.internal;

import org.jspecify.annotations.NullMarked;
