package dev.patguard;

import static dev.patguard.testing.ExactTime.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.testing.ExactTime;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Saturating time arithmetic, pinned to exact (BigInteger) arithmetic over the whole range. */
class TimeMathTest {

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.oneOf(ExactTime.anyInstant(), ExactTime.edgeInstants());
  }

  @Provide
  Arbitrary<Duration> durations() {
    return Arbitraries.oneOf(
        Arbitraries.longs()
            .flatMap(
                s ->
                    Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(n -> Duration.ofSeconds(s, n))),
        Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L).map(Duration::ofMillis),
        Arbitraries.of(
            Duration.ZERO,
            Duration.ofDays(90),
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
            Duration.ofSeconds(Long.MIN_VALUE)));
  }

  @Property(tries = 3000)
  void plusWhenAnyInstantAndDurationThenExactSumClampedToTheRange(
      @ForAll("instants") Instant t, @ForAll("durations") Duration d) {
    BigInteger exact = nanos(t).add(nanos(d));
    BigInteger expected = exact.max(nanos(Instant.MIN)).min(nanos(Instant.MAX));
    assertEquals(expected, nanos(TimeMath.plus(t, d)));
  }

  @Property(tries = 3000)
  void toNanosWhenAnyDurationThenExactOrClampedToLong(@ForAll("durations") Duration d) {
    BigInteger expected =
        nanos(d).max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE));
    assertEquals(expected.longValueExact(), TimeMath.toNanos(d));
  }

  @Property(tries = 3000)
  void isMoreThanAfterWhenAnyInstantsThenAgreesWithExactArithmetic(
      @ForAll("instants") Instant later,
      @ForAll("instants") Instant earlier,
      @ForAll("durations") Duration d) {
    boolean expected = nanos(later).subtract(nanos(earlier)).compareTo(nanos(d)) > 0;
    assertEquals(expected, TimeMath.isMoreThanAfter(later, earlier, d));
  }

  @Test
  void plusWhenTheJdkWouldThrowThenSaturates() {
    Instant farFuture = Instant.parse("9999-12-31T23:59:59Z");
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    try {
      farFuture.plus(huge);
      throw new AssertionError("the JDK no longer throws: this test no longer shows anything");
    } catch (DateTimeException | ArithmeticException expected) {
      // the overflow TimeMath exists for
    }
    assertEquals(Instant.MAX, TimeMath.plus(farFuture, huge));
    assertEquals(Instant.MIN, TimeMath.plus(Instant.EPOCH, huge.negated()));
    assertEquals(Long.MAX_VALUE, TimeMath.toNanos(Duration.ofDays(365L * 300)));
    assertEquals(Long.MAX_VALUE, TimeMath.toMillis(huge));
    assertTrue(TimeMath.isMoreThanAfter(Instant.MAX, Instant.MIN, Duration.ofDays(1)));
  }
}
