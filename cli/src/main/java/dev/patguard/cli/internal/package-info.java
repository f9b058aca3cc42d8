/** The commands and their plumbing; not an API. */
@NullMarked
package dev.patguard.cli.internal;

import org.jspecify.annotations.NullMarked;
