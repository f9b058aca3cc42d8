package dev.patguard.servlet.support;

import dev.patguard.servlet.PatGuardFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty 12 (ee10) on loopback, ephemeral port. */
public final class JettyContainer implements ServletContainer {
  public static final Factory FACTORY = new Factory() {
    @Override
    public String name() {
      return "jetty";
    }

    @Override
    public ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet servlet) throws Exception {
      return new JettyContainer(filter, initParams, servlet);
    }
  };

  private final Server server;
  private final ServerConnector connector;

  private JettyContainer(Filter filter, Map<String, String> initParams, HttpServlet servlet) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(16, 2);
    pool.setDaemon(true);
    server = new Server(pool);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(CONTEXT);
    ServletHolder sh = new ServletHolder("app", servlet);
    sh.setAsyncSupported(true);
    context.addServlet(sh, "/*");
    FilterHolder fh = filter != null ? new FilterHolder(filter) : new FilterHolder(PatGuardFilter.class);
    fh.setName("patguard");
    fh.setAsyncSupported(true);
    fh.setInitParameters(initParams);
    context.addFilter(fh, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.FORWARD));
    server.setHandler(context);
    server.start();
  }

  @Override
  public URI origin() {
    return URI.create("http://127.0.0.1:" + port());
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
