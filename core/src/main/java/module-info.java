/**
 * patguard-core: decides whether a GoRules BRMS personal access token may do a thing.
 *
 * <p>The door is {@link dev.patguard.PatGuard} (with {@link dev.patguard.DeployGate} for deploy
 * gates); decisions, requirements, grants and the permission model are in {@code
 * dev.patguard.decision}, the token model in {@code dev.patguard.token}, the HTTP answers every
 * enforcement point gives (refusals, bearer and query parsing) in {@code dev.patguard.http}, and
 * the fleet-mode service-provider interface (a shared second cache level) in {@code
 * dev.patguard.spi}. Nothing else is exported: the BRMS client, the lookups, the cache and the
 * bulkhead are package-private.
 */
module dev.patguard.core {
  exports dev.patguard;
  exports dev.patguard.decision;
  exports dev.patguard.http;
  exports dev.patguard.spi;
  exports dev.patguard.token;

  // TokenJson reads Jackson trees in its public API.
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires java.net.http;
  // The nullness annotations appear in the exported API; users need not have them at run time.
  requires static transitive org.jspecify;
}
