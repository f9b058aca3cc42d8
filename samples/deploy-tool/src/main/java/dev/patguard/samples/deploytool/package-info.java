/** A deploy tool that asks patguard's deploy gate before it deploys. */
@NullMarked
package dev.patguard.samples.deploytool;

import org.jspecify.annotations.NullMarked;
