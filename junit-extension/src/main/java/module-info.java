/**
 * patguard-junit-extension: assertions on real tokens, declarative least-privilege checks and a
 * fake BRMS for tests ({@code @LeastPrivilege}, {@code @Token}, {@code @WithFakeBrms}, {@code
 * assertThatToken}).
 *
 * <p>Exports {@code dev.patguard.junit} only. The extensions are package-private beside their
 * annotations, as JUnit's own are, so the package is opened to JUnit, which instantiates them.
 */
module dev.patguard.junit {
  exports dev.patguard.junit;

  opens dev.patguard.junit to
      org.junit.platform.commons;

  requires transitive dev.patguard.core;
  requires transitive dev.patguard.fakebrms;
  requires transitive org.junit.jupiter.api;
  requires org.junit.platform.commons;
  requires transitive org.opentest4j;
  requires static transitive org.jspecify;
}
