package dev.patguard.testing;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Exact time arithmetic and arbitraries over the whole of Instant's range, for properties. */
public final class ExactTime {
  private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

  private ExactTime() {}

  /** {@code t} in nanoseconds since the epoch, exactly. */
  public static BigInteger nanos(Instant t) {
    return BigInteger.valueOf(t.getEpochSecond())
        .multiply(BILLION)
        .add(BigInteger.valueOf(t.getNano()));
  }

  /** {@code d} in nanoseconds, exactly. */
  public static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BILLION)
        .add(BigInteger.valueOf(d.getNano()));
  }

  /** Any instant Instant can hold, to the nanosecond. */
  public static Arbitrary<Instant> anyInstant() {
    return Arbitraries.longs()
        .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
        .flatMap(
            s ->
                Arbitraries.integers()
                    .between(0, 999_999_999)
                    .map(n -> Instant.ofEpochSecond(s, n)));
  }

  /** The ends of the range and the far-future expiries BRMS may send. */
  public static Arbitrary<Instant> edgeInstants() {
    return Arbitraries.of(
        Instant.MIN,
        Instant.MAX,
        Instant.EPOCH,
        Instant.parse("9999-12-31T23:59:59Z"),
        Instant.parse("2400-01-01T00:00:00Z"),
        Instant.parse("+1000000000-12-31T23:59:59.999999999Z"));
  }
}
