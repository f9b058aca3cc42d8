package dev.patguard.redis.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
 * A real redis-server on a free loopback port, started and stopped by the test: the one on the PATH
 * if there is one, otherwise the Linux binary that the embedded-redis jar ships (Redis 6.2). It can
 * be stopped and started again on the same port, paused (SIGSTOP) and resumed. Public, and in the
 * module's test jar (a package of its own, since the module owns dev.patguard.redis), for the
 * fleet-mode tests of the servlet filter, the Spring starter and the CLI's {@code patguard
 * invalidate}.
 */
public final class RedisProcess implements AutoCloseable {
  private static final String PACKAGED = "/redis-server-6.2.6-v5-linux-amd64";
  private static Path binary;

  private final int port;
  private final String password;
  private Process process;
  private boolean hooked;

  private RedisProcess(int port, String password) {
    this.port = port;
    this.password = password;
  }

  /** Starts a server on a free port; {@code password} null means no password. */
  public static RedisProcess start(String password) {
    RedisProcess r = new RedisProcess(freePort(), password);
    r.start();
    return r;
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the process (again) on the same port and waits until it accepts connections. */
  public synchronized void start() {
    if (process != null) {
      throw new IllegalStateException("redis-server is running already on port " + port);
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
    if (password != null) {
      command.add("--requirepass");
      command.add(password);
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    InputStream out = process.getInputStream();
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
      process.destroyForcibly();
      process = null;
      throw new IllegalStateException("redis-server did not start on port " + port, e);
    }
    if (!hooked) {
      hooked = true;
      // A test or a benchmark that fails (or a JMH fork that exits) must not leave it behind.
      Runtime.getRuntime()
          .addShutdownHook(new Thread(this::kill, "redis-server-" + port + "-stop"));
    }
  }

  /** Kills the server (SIGKILL): no goodbye to the clients. */
  public synchronized void kill() {
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

  /** Stops the process from running (SIGSTOP): connections stay open, nothing answers. */
  public void pause() {
    signal("-STOP");
  }

  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      resumeQuietly();
    }
    kill();
  }

  private void resumeQuietly() {
    try {
      resume();
    } catch (RuntimeException e) {
      // Not paused, or already gone.
    }
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
    try (InputStream in = RedisProcess.class.getResourceAsStream(PACKAGED)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on the PATH and " + PACKAGED + " is not on the test class path");
      }
      Path dir = Files.createTempDirectory("patguard-redis-");
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
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
