package dev.patguard.servlet.support;

import dev.patguard.servlet.PatGuardFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Tomcat 11 embedded on loopback, ephemeral port. */
public final class TomcatContainer implements ServletContainer {
  public static final Factory FACTORY = new Factory() {
    @Override
    public String name() {
      return "tomcat";
    }

    @Override
    public ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet servlet) throws Exception {
      return new TomcatContainer(filter, initParams, servlet);
    }
  };

  private final Tomcat tomcat;
  private final Connector connector;
  private final Path baseDir;

  private TomcatContainer(Filter filter, Map<String, String> initParams, HttpServlet servlet) throws Exception {
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
    Wrapper w = Tomcat.addServlet(context, "app", servlet);
    w.setAsyncSupported(true);
    context.addServletMapping("/*", "app");
    FilterDef def = new FilterDef();
    def.setFilterName("patguard");
    if (filter != null) {
      def.setFilter(filter);
    }
    def.setFilterClass(PatGuardFilter.class.getName());
    def.setAsyncSupported("true");
    initParams.forEach(def::addInitParameter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("patguard");
    map.addURLPattern("/*");
    map.setDispatcher("REQUEST");
    map.setDispatcher("ASYNC");
    map.setDispatcher("FORWARD");
    context.addFilterMap(map);
    tomcat.start();
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
