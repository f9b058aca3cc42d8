/**
 * Signed decision receipts: a {@link dev.patguard.decision.Decision} turned into a compact JWS (a
 * JWT with {@code typ: patguard-receipt+jwt}) that a deploy gate can hand on and that anyone
 * holding the public key can check later.
 *
 * <p>{@link dev.patguard.receipt.DecisionReceipts} signs (ES256, a P-256 EC key in a JWK file made
 * by {@link dev.patguard.receipt.ReceiptKeys#generateEs256(String)}); {@link
 * dev.patguard.receipt.ReceiptVerifier} checks a receipt against a set of public keys and returns a
 * {@link dev.patguard.receipt.VerifiedReceipt}, or throws a {@link
 * dev.patguard.receipt.ReceiptVerificationException} saying why not. Only ES256 is ever accepted:
 * the algorithm comes from the verifier and its keys, never from the token's header.
 *
 * <p>A receipt never holds a secret: it names the token by its fingerprint, id and owner id only
 * (not the owner's email nor the token's note).
 *
 * <p>EdDSA (Ed25519) is not offered: Nimbus JOSE+JWT implements it with Google Tink, an optional
 * dependency patguard-receipts does not add.
 */
@NullMarked
package dev.patguard.receipt;

import org.jspecify.annotations.NullMarked;
