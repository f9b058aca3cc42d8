package dev.patguard.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One app of {@link SpringThroughputMain} in a JVM of its own: {@code SpringAppProcess <variant>},
 * the BRMS URL in {@value #BRMS_ENV}. Answers on stdout, prefixed {@value ChildJvm#PREFIX}:
 *
 * <ul>
 *   <li>at start: {@code ready <port>} once the app listens on 127.0.0.1;
 *   <li>{@code cpu}: {@code cpu <nanos>}, the CPU time this JVM has used (every thread, GC and JIT
 *       included: an app's whole cost);
 *   <li>{@code unexpected}: {@code unexpected <n>}, the requests its controller saw without the
 *       authentication its variant must produce;
 *   <li>{@code quit}, or end of input: closes the app and exits.
 * </ul>
 */
public final class SpringAppProcess {
  static final String BRMS_ENV = "SPRING_BENCH_BRMS_URL";

  private SpringAppProcess() {}

  public static void main(String[] args) throws Exception {
    SpringThroughputMain.Variant variant = SpringThroughputMain.Variant.valueOf(args[0]);
    String brms = System.getenv(BRMS_ENV);
    if (brms == null) {
      throw new IllegalStateException(BRMS_ENV + " is not set");
    }
    PrintStream out = System.out;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (ConfigurableApplicationContext app =
        SpringThroughputMain.startApp(variant, URI.create(brms))) {
      SpringThroughputMain.Releases releases = app.getBean(SpringThroughputMain.Releases.class);
      out.println(ChildJvm.PREFIX + "ready " + SpringThroughputMain.port(app));
      out.flush();
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        switch (line) {
          case "cpu" -> out.println(ChildJvm.PREFIX + "cpu " + os.getProcessCpuTime());
          case "unexpected" ->
              out.println(ChildJvm.PREFIX + "unexpected " + releases.unexpected.get());
          default -> out.println(ChildJvm.PREFIX + "unknown command " + line);
        }
        out.flush();
      }
    }
    // Tomcat's and Spring's threads are gone with the context; nothing else should hold the JVM.
    System.exit(0);
  }
}
