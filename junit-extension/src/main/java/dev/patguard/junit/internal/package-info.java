/**
 * Implementation of the patguard JUnit extension. Not API: anything here may change without
 * notice. The extension classes are public only so that the API annotations can name them.
 */
@org.jspecify.annotations.NullMarked
package dev.patguard.junit.internal;
