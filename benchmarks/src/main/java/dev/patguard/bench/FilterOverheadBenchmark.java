package dev.patguard.bench;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.PatGuardPrincipal;
import dev.patguard.servlet.RoutePolicy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue #7 item 3, in-process: {@code PatGuardFilter.doFilter} on a cache hit vs a pass-through
 * filter that only calls {@code chain.doFilter}, both called directly with the same hand-written
 * request/response stubs ({@link FilterFixtures}) and the same chain.
 *
 * <p>The policy has 20 rules and the request ({@code POST /api/projects/proj-1/releases/deploy},
 * {@code Authorization: Bearer <secret>}) matches the last one, so the filter walks all 20 rules,
 * extracts the bearer, reads the project from the path, decides on a cache hit and wraps the
 * request to expose the principal. The chain reads {@code getUserPrincipal()} (the wrapper's, for
 * the filter) in both contenders. The setup warms the guard's cache against fake-brms and checks
 * that the filter really reached the chain with a {@link PatGuardPrincipal} and a permit; the
 * teardown checks that no timed call went upstream and that every call reached the chain.
 *
 * <p>Two parts of the filter's path, same run, to say where the difference goes: {@code
 * routeMatchOnly} ({@code RoutePolicy.match} of the request on the 20 rules) and {@code
 * guardDecideCacheHit} ({@code PatGuard.decide(...).join()} of the requirement the filter derives,
 * as in {@link CacheHitBenchmark}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FilterOverheadBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FilterOverheadBenchmark {
  private Loopback loopback;
  private PatGuard guard;
  private Filter patguard;
  private Filter passThrough;
  private RoutePolicy policy;
  private FilterFixtures.Request request;
  private FilterFixtures.Response response;
  private CountingChain chain;
  private long upstreamAfterWarm;

  /** The servlet: reads the principal (so the filter's wrapper is used) and counts the calls. */
  static final class CountingChain implements FilterChain {
    long calls;
    Principal last;
    Blackhole bh;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) {
      calls++;
      last = ((HttpServletRequest) request).getUserPrincipal();
      if (bh != null) {
        bh.consume(last);
      }
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException, ServletException {
    loopback = new Loopback();
    guard = loopback.warmGuard();
    policy = FilterFixtures.policy("");
    patguard = PatGuardFilter.builder().guard(guard).policy(policy).build();
    passThrough = (req, res, next) -> next.doFilter(req, res);
    request =
        new FilterFixtures.Request(
            FilterFixtures.METHOD, FilterFixtures.PATH, loopback.token.secret());
    response = new FilterFixtures.Response();
    chain = new CountingChain();

    // The guard's cache is warm (Loopback.warmGuard); check the filter's own path is a permit on a
    // hit.
    long before = guard.cacheStats().upstreamLookups();
    patguard.doFilter(request, response, chain);
    Object decision = request.getAttribute(PatGuardFilter.DECISION_ATTRIBUTE);
    if (chain.calls != 1
        || !(chain.last instanceof PatGuardPrincipal)
        || response.getStatus() != 200
        || !(decision instanceof Decision d && d.isPermit())) {
      throw new IllegalStateException(
          "the filter did not let the request through: chain calls "
              + chain.calls
              + ", principal "
              + chain.last
              + ", status "
              + response.getStatus()
              + ", decision "
              + decision);
    }
    if (guard.cacheStats().upstreamLookups() != before) {
      throw new IllegalStateException(
          "the filter's check was not a cache hit: " + guard.cacheStats());
    }
    upstreamAfterWarm = guard.cacheStats().upstreamLookups();
    chain.calls = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    CacheStats stats = guard.cacheStats();
    guard.close();
    loopback.close();
    if (stats.upstreamLookups() != upstreamAfterWarm) {
      throw new IllegalStateException("timed calls went upstream: " + stats);
    }
    if (response.getStatus() != 200) {
      throw new IllegalStateException("a timed call set status " + response.getStatus());
    }
  }

  @Benchmark
  public void patguardFilterCacheHit(Blackhole bh) throws IOException, ServletException {
    chain.bh = bh;
    patguard.doFilter(request, response, chain);
  }

  @Benchmark
  public void passThroughFilter(Blackhole bh) throws IOException, ServletException {
    chain.bh = bh;
    passThrough.doFilter(request, response, chain);
  }

  @Benchmark
  public void routeMatchOnly(Blackhole bh) {
    bh.consume(policy.match(FilterFixtures.METHOD, FilterFixtures.PATH));
  }

  @Benchmark
  public void guardDecideCacheHit(Blackhole bh) {
    bh.consume(guard.decide(loopback.token.secret(), Loopback.PERMIT).join());
  }
}
