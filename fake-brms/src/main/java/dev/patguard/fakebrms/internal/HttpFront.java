package dev.patguard.fakebrms.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK {@code HttpServer} on 127.0.0.1 with a cached pool of daemon threads, so that many
 * requests (and latency faults) run in parallel. Requests are counted, then faulted, then served.
 */
public final class HttpFront implements AutoCloseable {

  /**
   * The JDK server leaves Nagle's algorithm on, so every small response waits for the client's
   * delayed acknowledgement (~40 ms on Linux): 45 ms a request instead of 2. The server reads this
   * property once, when its configuration class loads, so it is set before the first server is
   * created, unless the JVM was told otherwise.
   */
  private static void disableNagle() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final System.Logger LOG = System.getLogger(HttpFront.class.getName());
  private static final int BACKLOG = 4096;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Api api;
  private final Faults faults;
  private final Counters counters;
  private final URI baseUrl;
  private volatile boolean closed;

  private HttpFront(
      HttpServer server, ExecutorService executor, Store store, Faults faults, Counters counters) {
    this.server = server;
    this.executor = executor;
    this.api = new Api(store);
    this.faults = faults;
    this.counters = counters;
    this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port, 0 for an ephemeral one
   * @param store the state
   * @param faults the injected faults
   * @param counters the counters
   * @return the running server
   */
  public static HttpFront start(int port, Store store, Faults faults, Counters counters) {
    Objects.requireNonNull(store, "store must not be null");
    Objects.requireNonNull(faults, "faults must not be null");
    Objects.requireNonNull(counters, "counters must not be null");
    disableNagle();
    HttpServer server;
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("fake-brms cannot bind 127.0.0.1:" + port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t =
                  new Thread(
                      r,
                      "fake-brms-"
                          + server.getAddress().getPort()
                          + "-"
                          + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpFront front = new HttpFront(server, executor, store, faults, counters);
    server.createContext("/", front::handle);
    server.setExecutor(executor);
    server.start();
    return front;
  }

  /**
   * Returns {@code http://127.0.0.1:PORT}.
   *
   * @return the base URL
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /** Stops at once: open connections are closed and latency sleeps interrupted. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Route route = Route.of(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
    Endpoint endpoint = route.endpoint();
    counters.begin(endpoint);
    // In flight from arrival until the answer is ready to send: a client that has read an
    // answer must never find its request still counted (peak concurrency is what the
    // client had outstanding, not how long the last bytes took to leave).
    boolean counted = true;
    boolean drop = false;
    try {
      Fault fault = faults.next(endpoint);
      if (fault instanceof Fault.Latency latency) {
        if (!sleep(latency.delay())) {
          return;
        }
      } else if (fault != null && !(fault instanceof Fault.StalledBody)) {
        counters.end(endpoint);
        counted = false;
        FaultWriter.write(exchange, fault);
        return;
      }
      Response response =
          api.handle(route, exchange.getRequestHeaders(), exchange.getRequestBody());
      counters.end(endpoint);
      counted = false;
      if (fault instanceof Fault.StalledBody stalled) {
        drop = !sendStalled(exchange, response, stalled.stall());
        return;
      }
      FaultWriter.send(exchange, response);
    } catch (FaultWriter.ResetSignal e) {
      drop = true;
      throw e;
    } catch (IOException e) {
      // The client went away (e.g. it stopped reading an oversized body): nothing to answer.
      LOG.log(System.Logger.Level.DEBUG, "fake-brms: client connection lost on {0}", endpoint);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "fake-brms: internal error on " + endpoint, e);
      try {
        FaultWriter.send(exchange, Response.message(500, "Internal Server Error"));
      } catch (IOException | RuntimeException ignored) {
        // The response may already have started; closing below is all that is left.
      }
    } finally {
      if (counted) {
        counters.end(endpoint);
      }
      if (!drop) {
        exchange.close();
      }
    }
  }

  /**
   * Sends the headers and the first half of the body, holds the rest for {@code stall}, then sends
   * it. False if close interrupted the stall: the connection is then dropped unfinished.
   */
  private boolean sendStalled(HttpExchange exchange, Response response, Duration stall)
      throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length == 0) {
      return true;
    }
    OutputStream out = exchange.getResponseBody();
    int half = body.length / 2;
    out.write(body, 0, half);
    out.flush();
    if (!sleep(stall)) {
      return false;
    }
    out.write(body, half, body.length - half);
    out.close();
    return true;
  }

  /** Sleeps; false if interrupted by close. */
  private boolean sleep(Duration delay) {
    long millis;
    try {
      millis = delay.toMillis();
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE;
    }
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
