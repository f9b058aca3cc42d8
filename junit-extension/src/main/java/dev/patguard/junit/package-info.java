/**
 * JUnit Jupiter support for patguard: fluent assertions on BRMS personal access tokens
 * ({@link dev.patguard.junit.TokenAssertions}), declarative least-privilege checks of real tokens
 * ({@link dev.patguard.junit.LeastPrivilege}, {@link dev.patguard.junit.Token}) and a fake BRMS
 * server for app tests ({@link dev.patguard.junit.FakeBrms}).
 *
 * <p>Configuration keys are listed in {@link dev.patguard.junit.PatGuardTestConfig}.
 */
@org.jspecify.annotations.NullMarked
package dev.patguard.junit;
