/**
 * patguard-receipts: decisions signed as compact JWS receipts (ES256) and their verifier.
 *
 * <p>Exports {@code dev.patguard.receipt} only. Its API names core's decision types and Nimbus's
 * JWK types, so both modules are read transitively.
 */
module dev.patguard.receipts {
  requires transitive dev.patguard.core;
  requires transitive com.nimbusds.jose.jwt;
  requires static transitive org.jspecify;

  exports dev.patguard.receipt;
}
