package dev.patguard.bench;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * One replica in a JVM of its own, for {@link FleetProcessesMain}: a {@link PatGuard} with
 * (argument {@code shared}) or without ({@code local}) its own {@code RedisSharedCache}. The Redis
 * URI, the BRMS URL and the fleet keys come from its environment ({@value #REDIS_ENV}, {@value
 * #BRMS_ENV}, {@value #KEYS_ENV}), the secrets from stdin, never from arguments. Protocol, one line
 * each, answers prefixed {@value #PREFIX} (library logs may share stdout):
 *
 * <ul>
 *   <li>at start, once connected and subscribed: {@code ready};
 *   <li>{@code batch <n> <threadsPerSecret>}, then n lines of secrets: starts n × threadsPerSecret
 *       threads waiting to decide, answers {@code armed};
 *   <li>{@code go}: releases them, waits for all, answers {@code done <permits> <others> <shared
 *       hits> <shared errors>} (the counters since the start);
 *   <li>{@code quit}, or end of input: closes and exits.
 * </ul>
 */
public final class FleetReplicaProcess {
  static final String REDIS_ENV = "FLEET_BENCH_REDIS_URI";
  static final String BRMS_ENV = "FLEET_BENCH_BRMS_URL";
  static final String KEYS_ENV = "FLEET_BENCH_KEYS";
  static final String PREFIX = ChildJvm.PREFIX;

  private FleetReplicaProcess() {}

  public static void main(String[] args) throws Exception {
    boolean shared = args.length > 0 && args[0].equals("shared");
    boolean patient = args.length > 1 && args[1].equals("patient");
    Duration lockWait = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 500);
    PrintStream out = System.out;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    RedisSharedCache fleet =
        shared
            ? Fleet.sharedCache(
                System.getenv(REDIS_ENV), FleetKeys.fromEnv(KEYS_ENV).get(), patient)
            : null;
    PatGuard.Builder b =
        PatGuard.builder().baseUrl(System.getenv(BRMS_ENV)).cacheTtl(Duration.ofMinutes(10));
    if (fleet != null) {
      b.sharedCache(fleet).sharedLockWait(lockWait);
      if (lockWait.compareTo(Duration.ofSeconds(4)) >= 0) {
        b.decisionTimeout(lockWait.plusSeconds(10));
      }
      if (patient) {
        b.sharedCacheTimeout(Fleet.PATIENT.plusSeconds(1));
      }
    }
    LongAdder permits = new LongAdder();
    LongAdder others = new LongAdder();
    try (PatGuard guard = b.build()) {
      if (fleet != null) {
        Fleet.awaitSubscribed(fleet);
      }
      out.println(PREFIX + "ready");
      out.flush();
      List<Thread> workers = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        if (line.startsWith("batch ")) {
          String[] f = line.split(" ");
          int n = Integer.parseInt(f[1]);
          int perSecret = Integer.parseInt(f[2]);
          go = new CountDownLatch(1);
          workers = new ArrayList<>();
          CountDownLatch ready = new CountDownLatch(n * perSecret);
          CountDownLatch release = go;
          for (int i = 0; i < n; i++) {
            String secret = in.readLine();
            for (int j = 0; j < perSecret; j++) {
              Thread t =
                  new Thread(
                      () -> {
                        ready.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                          return;
                        }
                        Decision d = guard.decideBlocking(secret, Loopback.PERMIT);
                        (d.isPermit() ? permits : others).increment();
                      },
                      "replica-worker");
              t.setDaemon(true);
              workers.add(t);
              t.start();
            }
          }
          ready.await();
          out.println(PREFIX + "armed");
        } else if (line.equals("go")) {
          go.countDown();
          for (Thread t : workers) {
            t.join();
          }
          CacheStats s = guard.cacheStats();
          out.println(
              PREFIX
                  + "done "
                  + permits.sum()
                  + " "
                  + others.sum()
                  + " "
                  + s.sharedHits()
                  + " "
                  + s.sharedErrors());
        }
        out.flush();
      }
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }
}
