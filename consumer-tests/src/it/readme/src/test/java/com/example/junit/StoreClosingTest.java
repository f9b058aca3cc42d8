package com.example.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patguard.junit.FakeBrmsUrl;
import dev.patguard.junit.WithFakeBrms;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Not a README snippet: on the JUnit version this project runs, JUnit must close what the extension
 * keeps in its stores (the nested class's fake BRMS stops and its system property goes), and a
 * store value that is both AutoCloseable and CloseableResource, as the extension's are, must be
 * closed exactly once. A nested class's store closes before its enclosing class's {@code @AfterAll}.
 */
class StoreClosingTest {
  static final AtomicInteger closes = new AtomicInteger();
  static volatile URI started;
  static volatile String before;

  @BeforeAll
  static void recordTheUrlBefore() {
    before = System.getProperty("patguard.brms.url");
  }

  @AfterAll
  static void nestedClassStoreWasClosed() {
    assertNotNull(started, "the nested class did not run");
    assertNotEquals(started.toString(), before);
    assertEquals(before, System.getProperty("patguard.brms.url"), "patguard.brms.url not restored");
    assertThrows(IOException.class, () -> new Socket(started.getHost(), started.getPort()).close(),
        "the fake BRMS at " + started + " still accepts connections");
    assertEquals(1, closes.get(), "closes of a value that is AutoCloseable and CloseableResource");
  }

  @Nested
  @WithFakeBrms
  @ExtendWith(StoreClosingTest.Probe.class)
  class WithItsOwnFakeBrms {
    @Test
    void startsOne(@FakeBrmsUrl URI brmsUrl) {
      assertEquals(brmsUrl.toString(), System.getProperty("patguard.brms.url"));
      started = brmsUrl;
    }
  }

  /** Keeps a value of both close interfaces in the class's store. */
  static class Probe implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context.getStore(ExtensionContext.Namespace.create(Probe.class)).put("probe", new Both());
    }
  }

  @SuppressWarnings("deprecation")
  static class Both implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }
}
