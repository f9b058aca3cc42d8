package dev.patguard.servlet.support;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An embedded servlet container serving one context ({@code /app}) with the filter and a servlet.
 * The filter is mapped at {@code /*} for the deployment's dispatcher types (by default every one:
 * REQUEST, ASYNC, FORWARD, INCLUDE, ERROR), so which ones it re-checks is up to its own
 * configuration; status {@link #ERROR_PAGE_STATUS} has the error page {@link #ERROR_PAGE}, a
 * guarded route.
 */
public interface ServletContainer extends AutoCloseable {
  /** The context path every test app uses. */
  String CONTEXT = "/app";

  /** The status {@link TestServlet} sends with {@code sendError} under {@code /public/error}. */
  int ERROR_PAGE_STATUS = 418;

  /**
   * The error page of {@link #ERROR_PAGE_STATUS} (in the context): a guarded GET route on proj-1.
   */
  String ERROR_PAGE = "/api/projects/proj-1/releases";

  /** {@code http://127.0.0.1:PORT} (no context path). */
  default URI origin() {
    return URI.create("http://127.0.0.1:" + port());
  }

  int port();

  String name();

  /** Stops the container; failures become unchecked. */
  @Override
  void close();

  /** Starts containers. */
  interface Factory {
    String name();

    /**
     * Starts a container serving {@code deployment}.
     *
     * @throws StartupFailedException if the context did not start (such as a filter whose {@code
     *     init} threw), with the container's reason as the cause where it has one
     */
    ServletContainer start(Deployment deployment) throws Exception;

    /**
     * Starts a container with {@code filter} and {@code servlet}, both async-supported. When {@code
     * filter} is null, the filter class is declared by name with {@code initParams}, as web.xml
     * would.
     */
    default ServletContainer start(
        Filter filter, Map<String, String> initParams, HttpServlet servlet) throws Exception {
      return start(Deployment.of(filter, initParams, servlet));
    }
  }

  /** The context failed to start; the cause, where the container gives one, says why. */
  final class StartupFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public StartupFailedException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
