package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAR-shaped web app, the filter declared in its {@code WEB-INF/web.xml} by init-params only,
 * deployed into embedded Tomcat and Jetty; the BRMS URL comes from the {@code patguard.brms.url}
 * system property.
 */
class WebXmlDeploymentTest {
  private static final String WEB_XML =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
        <filter>
          <filter-name>patguard</filter-name>
          <filter-class>dev.patguard.servlet.PatGuardFilter</filter-class>
          <async-supported>true</async-supported>
          <init-param>
            <param-name>policy</param-name>
            <param-value>classpath:test-policy.yaml</param-value>
          </init-param>
          <init-param><param-name>realm</param-name><param-value>acme</param-value></init-param>
          <init-param><param-name>lookup</param-name><param-value>self</param-value></init-param>
          <init-param><param-name>cache-ttl</param-name><param-value>30s</param-value></init-param>
          <init-param>
            <param-name>negative-cache-ttl</param-name><param-value>PT2S</param-value>
          </init-param>
          <init-param>
            <param-name>connect-timeout</param-name><param-value>500ms</param-value>
          </init-param>
          <init-param>
            <param-name>request-timeout</param-name><param-value>PT5S</param-value>
          </init-param>
          <init-param>
            <param-name>decision-timeout</param-name><param-value>8s</param-value>
          </init-param>
          <init-param><param-name>stale-if-error</param-name><param-value>1m</param-value></init-param>
          <init-param><param-name>max-retries</param-name><param-value>0</param-value></init-param>
        </filter>
        <filter-mapping>
          <filter-name>patguard</filter-name>
          <url-pattern>/*</url-pattern>
          <dispatcher>REQUEST</dispatcher>
          <dispatcher>ASYNC</dispatcher>
        </filter-mapping>
        <servlet>
          <servlet-name>app</servlet-name>
          <servlet-class>dev.patguard.servlet.support.TestServlet</servlet-class>
          <async-supported>true</async-supported>
        </servlet>
        <servlet-mapping>
          <servlet-name>app</servlet-name>
          <url-pattern>/*</url-pattern>
        </servlet-mapping>
      </web-app>
      """;

  private static final Logger FILTER_LOG = Logger.getLogger(PatGuardFilter.class.getName());
  private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          Object[] p = r.getParameters();
          LOGGED.add(
              r.getLevel()
                  + " "
                  + (p == null
                      ? r.getMessage()
                      : java.text.MessageFormat.format(r.getMessage(), p)));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private static FakeBrms brms;
  private static @TempDir Path root;
  private static Path war;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        System.getenv(InitParams.BRMS_URL_ENV) == null,
        "PATGUARD_BRMS_URL is set: it would win over the system property");
    brms = FakeBrms.start();
    System.setProperty(InitParams.BRMS_URL_PROPERTY, brms.baseUrl().toString());
    war = root.resolve("app");
    Files.createDirectories(war.resolve("WEB-INF"));
    Files.writeString(war.resolve("WEB-INF/web.xml"), WEB_XML);
    FILTER_LOG.addHandler(CAPTURE);
  }

  @AfterAll
  static void stop() {
    FILTER_LOG.removeHandler(CAPTURE);
    System.clearProperty(InitParams.BRMS_URL_PROPERTY);
    if (brms != null) {
      brms.close();
    }
  }

  @Test
  void tomcatWhenDeployedFromWebXmlThenPermitDenyAndNoToken() throws Exception {
    Tomcat tomcat = new Tomcat();
    Path base = Files.createTempDirectory(root, "tomcat");
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp("/app", war.toString());
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    try {
      tomcat.start();
      assertTrue(context.getState().isAvailable(), "context " + context.getState());
      assertDecides("http://127.0.0.1:" + connector.getLocalPort());
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void jettyWhenDeployedFromWebXmlThenPermitDenyAndNoToken() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(16, 2);
    pool.setDaemon(true);
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext context = new WebAppContext(war.toString(), "/app");
    context.setParentLoaderPriority(true);
    context.setThrowUnavailableOnStartupException(true);
    server.setHandler(context);
    try {
      server.start();
      assertTrue(context.isAvailable(), "context unavailable");
      assertDecides("http://127.0.0.1:" + connector.getLocalPort());
    } finally {
      server.stop();
    }
  }

  private static void assertDecides(String origin) throws Exception {
    MintedToken deployer =
        brms.mint(t -> t.permissions("releases:deploy").projects("proj-1").allProjects(false));
    MintedToken reader =
        brms.mint(t -> t.permissions("releases").projects("proj-1").allProjects(false));
    String deploy = origin + "/app/api/projects/proj-1/releases/deploy";

    HttpResponse<String> permit = post(deploy, deployer.secret());
    assertEquals(200, permit.statusCode(), permit.body());
    assertTrue(permit.body().contains("decision=Permit"), permit.body());

    HttpResponse<String> deny = post(deploy, reader.secret());
    assertEquals(403, deny.statusCode(), deny.body());
    assertTrue(
        deny.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"),
        deny.headers().toString());

    HttpResponse<String> none = post(deploy, null);
    assertEquals(401, none.statusCode(), none.body());
    assertEquals("Bearer realm=\"acme\"", none.headers().firstValue("WWW-Authenticate").orElse(""));

    String expected =
        "INFO PatGuardFilter patguard: BRMS URL "
            + brms.baseUrl()
            + " (from the system property patguard.brms.url)";
    assertTrue(LOGGED.contains(expected), () -> "expected " + expected + " in " + LOGGED);
  }

  private static HttpResponse<String> post(String uri, String secret) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
