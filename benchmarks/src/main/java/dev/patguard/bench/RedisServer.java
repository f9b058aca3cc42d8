package dev.patguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free loopback port for the fleet benchmarks (#16), as the redis module's
 * tests start it ({@code RedisProcess}, test-only there): the one on the PATH if there is one,
 * otherwise the Linux binary the embedded-redis jar ships (Redis 6.2). It can be killed (SIGKILL)
 * and started again on the same port.
 */
final class RedisServer implements AutoCloseable {
  private static final String PACKAGED = "/redis-server-6.2.6-v5-linux-amd64";
  private static Path binary;

  private final int port;
  private Process process;
  private boolean hooked;

  private RedisServer(int port) {
    this.port = port;
  }

  /** Starts a server without a password on a free loopback port. */
  static RedisServer start() {
    RedisServer r = new RedisServer(freePort());
    r.restart();
    return r;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the process (again) on the same port and waits until it accepts connections. */
  synchronized void restart() {
    if (process != null) {
      throw new IllegalStateException("redis-server is running already");
    }
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(
        List.of(
            "--port", String.valueOf(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--protected-mode", "no",
            "--daemonize", "no"));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    InputStream out = p.getInputStream();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.contains("Ready to accept connections")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // The process ended.
              }
              ready.completeExceptionally(new IllegalStateException("redis-server exited"));
            },
            "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-server did not start on port " + port, e);
    }
    process = p;
    if (!hooked) {
      hooked = true;
      // A run that fails (or a JMH fork that exits) must not leave the server behind.
      Runtime.getRuntime()
          .addShutdownHook(new Thread(this::kill, "redis-server-" + port + "-stop"));
    }
  }

  /** Kills the server (SIGKILL): no goodbye to the clients. */
  synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        binary = candidate;
        return binary;
      }
    }
    try (InputStream in = RedisServer.class.getResourceAsStream(PACKAGED)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on the PATH and " + PACKAGED + " is not on the class path");
      }
      Path dir = Files.createTempDirectory("patguard-bench-redis-");
      Path file = dir.resolve("redis-server");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true, true)) {
        throw new IllegalStateException("cannot make " + file + " executable");
      }
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      binary = file;
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
