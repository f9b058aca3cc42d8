package dev.patguard.bench;

import dev.patguard.BenchmarkHooks;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.token.PersonalAccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * Issue #7 item 4: a lookup that misses the cache, over loopback with keep-alive, against a bare
 * JDK {@link HttpClient} GET of the same endpoint with the same secret (same JSON body).
 *
 * <ul>
 *   <li>{@code bareHttpClientSend} — the baseline: build the request, {@code send}, read the bytes.
 *   <li>{@code bareHttpClientSendAsync} — the same through {@code sendAsync().join()}; it shows
 *       what the client's async hand-off alone costs (the shape {@code BrmsClient} had before
 *       2ab48a5).
 *   <li>{@code brmsClientListOwnTokens} — patguard's client: a blocking {@code send} on its own
 *       pool (one hop from the caller), capped body, status mapping, Jackson parse into records.
 *   <li>{@code patguardColdDecide} — the whole miss: invalidate the secret, then {@code
 *       PatGuard.decide(...).join()}: SHA-256, cache miss, in-flight map, bulkhead, lookup on
 *       patguard's pool, grant compilation, cache store, decision.
 *   <li>{@code patguardColdDecideBlocking} — the same miss through {@code decideBlocking}, which
 *       makes the BRMS call on the calling thread (as {@code bareHttpClientSend} does).
 * </ul>
 *
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ColdLookupBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ColdLookupBenchmark {
  private Loopback loopback;
  private PatGuard guard;
  private Function<String, List<PersonalAccessToken>> client;
  private HttpClient http;
  private URI selfList;
  private String secret;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    loopback = new Loopback();
    guard = loopback.guard();
    client = BenchmarkHooks.ownTokensLister(loopback.brms.baseUrl());
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    selfList = loopback.brms.baseUrl().resolve("/api/personal-access-tokens");
    secret = loopback.token.secret();
    HttpResponse<byte[]> bare = http.send(request(), HttpResponse.BodyHandlers.ofByteArray());
    int parsed = client.apply(secret).size();
    if (bare.statusCode() != 200 || parsed != 1) {
      throw new IllegalStateException(
          "fake-brms answered " + bare.statusCode() + " with " + parsed + " tokens");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    guard.close();
    loopback.close();
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(selfList)
        .GET()
        .header("Authorization", "Bearer " + secret)
        .header("Accept", "application/json")
        .build();
  }

  @Benchmark
  public void bareHttpClientSend(Blackhole bh) throws IOException, InterruptedException {
    bh.consume(http.send(request(), HttpResponse.BodyHandlers.ofByteArray()).body());
  }

  @Benchmark
  public void bareHttpClientSendAsync(Blackhole bh) {
    bh.consume(http.sendAsync(request(), HttpResponse.BodyHandlers.ofByteArray()).join().body());
  }

  @Benchmark
  public void brmsClientListOwnTokens(Blackhole bh) {
    bh.consume(client.apply(secret));
  }

  @Benchmark
  public void patguardColdDecide(Blackhole bh) {
    guard.invalidate(secret);
    Decision d = guard.decide(secret, Loopback.PERMIT).join();
    bh.consume(d);
  }

  @Benchmark
  public void patguardColdDecideBlocking(Blackhole bh) {
    guard.invalidate(secret);
    Decision d = guard.decideBlocking(secret, Loopback.PERMIT);
    if (!d.isPermit()) {
      throw new IllegalStateException("a cold decision was not a permit: " + d.explain());
    }
    bh.consume(d);
  }
}
