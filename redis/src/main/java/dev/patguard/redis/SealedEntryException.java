package dev.patguard.redis;

/**
 * What Redis held does not open under the fleet keys: forged, garbled, moved under another key, or
 * sealed with a key this replica does not have. A miss, never a grant. Its message never quotes the
 * bytes.
 */
final class SealedEntryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SealedEntryException(String message) {
    super(message, null, false, false);
  }
}
