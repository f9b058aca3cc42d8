/**
 * patguard-fake-brms: a BRMS-compatible HTTP server on loopback with token minting and fault
 * injection, for patguard's tests, the demo and users' own tests.
 *
 * <p>Exports {@code dev.patguard.fakebrms} only; {@code dev.patguard.fakebrms.internal} (the HTTP
 * front, the store, the JSON writer) is not API. It is the other side of the wire, so it never
 * reads patguard-core.
 */
module dev.patguard.fakebrms {
  exports dev.patguard.fakebrms;

  requires com.fasterxml.jackson.databind;
  requires jdk.httpserver;
  requires static transitive org.jspecify;
}
