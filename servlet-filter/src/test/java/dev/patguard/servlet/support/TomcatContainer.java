package dev.patguard.servlet.support;

import dev.patguard.servlet.PatGuardFilter;
import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Tomcat 11 embedded on loopback, ephemeral port. */
public final class TomcatContainer implements ServletContainer {
  public static final Factory FACTORY =
      new Factory() {
        @Override
        public String name() {
          return "tomcat";
        }

        @Override
        public ServletContainer start(Deployment deployment) throws Exception {
          return new TomcatContainer(deployment);
        }
      };

  /** Tomcat logs (and swallows) a filter's init failure under this logger's children. */
  private static final Logger CATALINA = Logger.getLogger("org.apache.catalina.core");

  private final Tomcat tomcat;
  private final Connector connector;
  private final Path baseDir;

  private TomcatContainer(Deployment d) throws Exception {
    baseDir = Files.createTempDirectory("patguard-tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", "16");
    connector.setProperty("minSpareThreads", "2");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext(CONTEXT, baseDir.toString());
    Wrapper w = Tomcat.addServlet(context, "app", d.servlet());
    w.setAsyncSupported(d.servletAsync());
    context.addServletMapping("/*", "app");
    FilterDef def = new FilterDef();
    def.setFilterName("patguard");
    if (d.filter() != null) {
      def.setFilter(d.filter());
    }
    def.setFilterClass(PatGuardFilter.class.getName());
    def.setAsyncSupported(Boolean.toString(d.filterAsync()));
    d.initParams().forEach(def::addInitParameter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("patguard");
    map.addURLPattern("/*");
    for (DispatcherType type : d.dispatcherTypes()) {
      map.setDispatcher(type.name());
    }
    context.addFilterMap(map);
    ErrorPage page = new ErrorPage();
    page.setErrorCode(ERROR_PAGE_STATUS);
    page.setLocation(ERROR_PAGE);
    context.addErrorPage(page);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getThrown() != null) {
              failures.add(record.getThrown());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    CATALINA.addHandler(capture);
    try {
      tomcat.start();
    } finally {
      CATALINA.removeHandler(capture);
    }
    if (!context.getState().isAvailable()) {
      close();
      throw new StartupFailedException(
          "tomcat did not start the context (" + context.getState() + ")",
          failures.isEmpty() ? null : failures.get(0));
    }
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String name() {
    return "tomcat";
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
