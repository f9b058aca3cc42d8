package dev.patguard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything patguard logs through {@code System.Logger} (which the JDK routes to
 * java.util.logging when no other backend is installed), formatted as a user would see it, stack
 * traces included.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.patguard");
  private final Level previousLevel;
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (records) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture() {
    previousLevel = logger.getLevel();
    logger.setLevel(Level.ALL);
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /** Every record, formatted with its parameters and any stack trace. */
  public String text() {
    SimpleFormatter formatter = new SimpleFormatter();
    StringBuilder b = new StringBuilder();
    synchronized (records) {
      for (LogRecord r : records) {
        b.append(formatter.format(r));
      }
    }
    return b.toString();
  }

  /** Records at {@code level} or above whose message contains {@code fragment}. */
  public long count(Level level, String fragment) {
    synchronized (records) {
      return records.stream()
          .filter(r -> r.getLevel().intValue() >= level.intValue())
          .filter(r -> new SimpleFormatter().formatMessage(r).contains(fragment))
          .count();
    }
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
  }
}
