package dev.patguard.samples.webapp;

import dev.patguard.PatGuard;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.RoutePolicy;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The sample release portal: {@code /api/projects/{projectId}/releases[/deploy]} and friends,
 * guarded by {@link PatGuardFilter} with {@code release-portal-policy.yaml}.
 *
 * <pre>{@code
 * PATGUARD_BRMS_URL=https://acme.us1.gorules.io PORT=8080 java -cp … dev.patguard.samples.webapp.ReleasePortal
 * }</pre>
 */
public final class ReleasePortal implements AutoCloseable {
  /** The policy on the classpath. */
  public static final String POLICY = "release-portal-policy.yaml";

  private final Server server;
  private final ServerConnector connector;
  private final ReleasesServlet releases = new ReleasesServlet();

  private ReleasePortal(PatGuard guard, String host, int port) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("release-portal");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    PatGuardFilter filter =
        PatGuardFilter.builder().guard(guard).policy(policy()).realm("release-portal").build();
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder guardHolder = new FilterHolder(filter);
    guardHolder.setName("patguard");
    guardHolder.setAsyncSupported(true); // lookups complete off the container thread
    context.addFilter(guardHolder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ServletHolder app = new ServletHolder("releases", releases);
    app.setAsyncSupported(true);
    context.addServlet(app, "/*");
    server.setHandler(context);
    server.start();
  }

  /**
   * Starts the portal on loopback.
   *
   * @param guard decides every guarded request
   * @param port the port, or 0 for an ephemeral one
   */
  public static ReleasePortal start(PatGuard guard, int port) throws Exception {
    return new ReleasePortal(
        Objects.requireNonNull(guard, "guard must not be null"), "127.0.0.1", port);
  }

  /** The route policy this portal is guarded by. */
  public static RoutePolicy policy() {
    try (InputStream in = ReleasePortal.class.getClassLoader().getResourceAsStream(POLICY)) {
      if (in == null) {
        throw new IllegalStateException(POLICY + " is missing from the classpath");
      }
      return RoutePolicy.read(in, RoutePolicy.Format.YAML, POLICY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the portal listens, e.g. {@code http://127.0.0.1:8080}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** How many deploys the portal accepted. */
  public int deploys() {
    return releases.deploys();
  }

  /** Stops the portal. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the release portal did not stop cleanly", e);
    }
  }

  /**
   * Runs the portal until killed; configuration from {@code PATGUARD_BRMS_URL} and {@code PORT}.
   */
  public static void main(String[] args) throws Exception {
    String brms = System.getenv("PATGUARD_BRMS_URL");
    if (brms == null || brms.isBlank()) {
      System.err.println("release-portal: set PATGUARD_BRMS_URL to your BRMS base URL");
      System.exit(64);
      return;
    }
    int port = Integer.parseInt(Objects.requireNonNullElse(System.getenv("PORT"), "8080"));
    PatGuard guard = PatGuard.builder().baseUrl(brms).build();
    ReleasePortal portal = start(guard, port);
    System.out.println("release-portal listening on " + portal.baseUrl() + " (BRMS " + brms + ")");
    portal.server.join();
  }
}
