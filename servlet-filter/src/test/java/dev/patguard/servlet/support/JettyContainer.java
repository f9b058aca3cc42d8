package dev.patguard.servlet.support;

import dev.patguard.servlet.PatGuardFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty 12 (ee10) on loopback, ephemeral port. */
public final class JettyContainer implements ServletContainer {
  public static final Factory FACTORY =
      new Factory() {
        @Override
        public String name() {
          return "jetty";
        }

        @Override
        public ServletContainer start(Deployment deployment) throws Exception {
          return new JettyContainer(deployment);
        }
      };

  private final Server server;
  private final ServerConnector connector;

  private JettyContainer(Deployment d) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(16, 2);
    pool.setDaemon(true);
    server = new Server(pool);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(CONTEXT);
    ServletHolder sh = new ServletHolder("app", d.servlet());
    sh.setAsyncSupported(d.servletAsync());
    context.addServlet(sh, "/*");
    FilterHolder fh =
        d.filter() != null ? new FilterHolder(d.filter()) : new FilterHolder(PatGuardFilter.class);
    fh.setName("patguard");
    fh.setAsyncSupported(d.filterAsync());
    fh.setInitParameters(d.initParams());
    context.addFilter(
        fh,
        "/*",
        d.dispatcherTypes().isEmpty()
            ? EnumSet.noneOf(DispatcherType.class)
            : EnumSet.copyOf(d.dispatcherTypes()));
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(ERROR_PAGE_STATUS, ERROR_PAGE);
    context.setErrorHandler(errors);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly();
      throw new StartupFailedException("jetty did not start the context", e);
    }
    if (!context.isAvailable()) {
      stopQuietly();
      throw new StartupFailedException("jetty marked the context unavailable", null);
    }
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception ignored) {
      // already failing
    }
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String name() {
    return "jetty";
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
