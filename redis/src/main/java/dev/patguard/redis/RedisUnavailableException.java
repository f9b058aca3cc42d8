package dev.patguard.redis;

/** Redis cannot be asked now (not connected, or the circuit breaker is open): a miss. */
final class RedisUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RedisUnavailableException(String message) {
    super(message, null, false, false);
  }
}
