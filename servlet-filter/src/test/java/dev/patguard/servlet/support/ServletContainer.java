package dev.patguard.servlet.support;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.Map;

/** An embedded servlet container serving one context ({@code /app}) with the filter and a servlet. */
public interface ServletContainer extends AutoCloseable {
  /** The context path every test app uses. */
  String CONTEXT = "/app";

  /** {@code http://127.0.0.1:PORT} (no context path). */
  URI origin();

  int port();

  String name();

  /** Stops the container; failures become unchecked. */
  @Override
  void close();

  /** Starts containers. */
  interface Factory {
    String name();

    /**
     * Starts a container with {@code filter} mapped at {@code /*} for REQUEST, ASYNC and FORWARD
     * (async-supported), and {@code servlet} at {@code /*}. When {@code filter} is null, the filter
     * class is declared by name with {@code initParams}, as web.xml would.
     */
    ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet servlet) throws Exception;
  }
}
