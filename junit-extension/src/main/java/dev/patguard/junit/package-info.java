/**
 * JUnit Jupiter support for patguard: fluent assertions on BRMS personal access tokens ({@link
 * dev.patguard.junit.TokenAssertions}), declarative least-privilege checks of real tokens ({@link
 * dev.patguard.junit.LeastPrivilege}, {@link dev.patguard.junit.Token}) and a fake BRMS server for
 * app tests ({@link dev.patguard.junit.WithFakeBrms}).
 *
 * <p>Configuration keys are listed in {@link dev.patguard.junit.PatGuardTestConfig}.
 *
 * <p>The public types are the annotations, the assertions, {@link
 * dev.patguard.junit.FakeBrmsServer}, {@link dev.patguard.junit.OnMissing} and {@link
 * dev.patguard.junit.PatGuardTestConfig}. The extensions the annotations register are
 * package-private beside them, as JUnit's own {@code TempDirectory} is beside {@code @TempDir}: use
 * the annotations, not the extensions.
 */
@org.jspecify.annotations.NullMarked
package dev.patguard.junit;
