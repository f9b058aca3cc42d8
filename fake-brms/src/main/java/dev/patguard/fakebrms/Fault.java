package dev.patguard.fakebrms;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A failure the fake answers with instead of (or, for {@link Latency}, before) the normal response.
 * Inject one with {@link FakeBrms#inject(Endpoint, Fault)}. Faults apply before authentication, as
 * a failing proxy or server would.
 */
public sealed interface Fault {

  /**
   * Answers with this status and a JSON {@code {"message": ...}} body.
   *
   * @param status the status, 200 to 599
   * @return the fault; add headers with {@link Status#withHeader(String, String)}
   */
  static Status status(int status) {
    return new Status(status, Map.of());
  }

  /**
   * Waits this long, then answers normally. {@link FakeBrms#close()} interrupts the wait.
   *
   * @param delay the delay, not negative
   * @return the fault
   */
  static Latency latency(Duration delay) {
    return new Latency(delay);
  }

  /**
   * Answers normally, but sends only the headers and the first half of the body, then waits {@code
   * stall} before sending the rest — a BRMS (or a proxy) that stops mid-body. A client whose
   * timeout only covers the headers waits the whole stall. {@link FakeBrms#close()} interrupts the
   * wait and drops the connection.
   *
   * @param stall how long to hold the rest of the body, not negative
   * @return the fault
   */
  static StalledBody stalledBody(Duration stall) {
    return new StalledBody(stall);
  }

  /**
   * Sends the headers and part of the body, then closes the connection, so the client gets an
   * {@link java.io.IOException}.
   *
   * @return the fault
   */
  static ConnectionReset connectionReset() {
    return new ConnectionReset();
  }

  /**
   * Answers 200 {@code application/json} with a truncated, unparsable JSON body.
   *
   * @return the fault
   */
  static MalformedJson malformedJson() {
    return new MalformedJson();
  }

  /**
   * Answers 200 {@code application/json} with a body of this many bytes (a JSON array holding one
   * long string), streamed in chunks with chunked transfer encoding, so no {@code Content-Length}.
   *
   * @param bytes the body size, at least 4
   * @return the fault
   */
  static OversizedBody oversizedBody(long bytes) {
    return new OversizedBody(bytes);
  }

  /**
   * Answers 200 {@code text/html} with an HTML page.
   *
   * @return the fault
   */
  static WrongContentType wrongContentType() {
    return new WrongContentType();
  }

  /**
   * Answers 200 {@code application/json} with {@code depth} nested arrays, {@code [[[...]]]},
   * streamed.
   *
   * @param depth the nesting depth, at least 1
   * @return the fault
   */
  static DeepNesting deepNesting(int depth) {
    return new DeepNesting(depth);
  }

  /**
   * Answers 302 with this {@code Location}.
   *
   * @param location the redirect target
   * @return the fault
   */
  static Redirect redirect(URI location) {
    return new Redirect(location);
  }

  /**
   * Faults each request with {@code probability}, picking one of {@code choices} uniformly; the
   * sequence of outcomes is deterministic for a seed (the order requests arrive in may not be).
   *
   * @param probability from 0 to 1
   * @param seed the seed of the random sequence
   * @param choices the faults to pick from, at least one, none of them random themselves
   * @return the fault
   */
  static Randomly randomly(double probability, long seed, Fault... choices) {
    Objects.requireNonNull(choices, "choices must not be null");
    return new Randomly(probability, seed, List.of(choices));
  }

  /**
   * An error status.
   *
   * @param status the status, 200 to 599
   * @param headers extra response headers
   */
  record Status(int status, Map<String, String> headers) implements Fault {
    /**
     * Checks the status and header names.
     *
     * @param status the status, 200 to 599
     * @param headers extra response headers, copied: names are HTTP tokens other than {@code
     *     Content-Length} and {@code Transfer-Encoding} (the server sets those), values hold no CR
     *     or LF
     * @throws IllegalArgumentException if the status or a header is outside those bounds
     */
    public Status {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status must be between 200 and 599: " + status);
      }
      Objects.requireNonNull(headers, "headers must not be null");
      headers.forEach(Status::checkHeader);
      headers = Map.copyOf(headers);
    }

    /**
     * Returns a copy that also sends this header, such as {@code Retry-After: 1}.
     *
     * @param name the header name
     * @param value the header value
     * @return the copy
     */
    public Status withHeader(String name, String value) {
      checkHeader(name, value);
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Status(status, copy);
    }

    private static void checkHeader(String name, String value) {
      Objects.requireNonNull(name, "header name must not be null");
      Objects.requireNonNull(value, "header value must not be null");
      if (name.isBlank() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
        throw new IllegalArgumentException("header name must be a token: '" + name + "'");
      }
      if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        throw new IllegalArgumentException("header value must not contain CR or LF: " + name);
      }
      if (name.toLowerCase(Locale.ROOT).equals("content-length")
          || name.toLowerCase(Locale.ROOT).equals("transfer-encoding")) {
        throw new IllegalArgumentException("header is set by the server: " + name);
      }
    }
  }

  /**
   * A delay before the normal answer.
   *
   * @param delay the delay, not negative
   */
  record Latency(Duration delay) implements Fault {
    /**
     * Checks the delay.
     *
     * @param delay the delay, not negative
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Latency {
      Objects.requireNonNull(delay, "latency must not be null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative: " + delay);
      }
    }
  }

  /**
   * A normal answer whose body stops halfway for a while.
   *
   * @param stall how long the rest of the body is held, not negative
   */
  record StalledBody(Duration stall) implements Fault {
    /**
     * Checks the stall.
     *
     * @param stall how long the rest of the body is held, not negative
     * @throws IllegalArgumentException if {@code stall} is negative
     */
    public StalledBody {
      Objects.requireNonNull(stall, "stall must not be null");
      if (stall.isNegative()) {
        throw new IllegalArgumentException("stall must not be negative: " + stall);
      }
    }
  }

  /** A connection closed in the middle of the response. */
  record ConnectionReset() implements Fault {}

  /** A 200 response whose JSON body is cut short. */
  record MalformedJson() implements Fault {}

  /**
   * A 200 JSON body too large to buffer.
   *
   * @param bytes the body size, at least 4
   */
  record OversizedBody(long bytes) implements Fault {
    /**
     * Checks the size.
     *
     * @param bytes the body size, at least 4
     * @throws IllegalArgumentException if {@code bytes} is less than 4
     */
    public OversizedBody {
      if (bytes < 4) {
        throw new IllegalArgumentException("bytes must be at least 4: " + bytes);
      }
    }
  }

  /** A 200 response with an HTML body. */
  record WrongContentType() implements Fault {}

  /**
   * A 200 JSON body of nested arrays.
   *
   * @param depth the nesting depth, at least 1
   */
  record DeepNesting(int depth) implements Fault {
    /**
     * Checks the depth.
     *
     * @param depth the nesting depth, at least 1
     * @throws IllegalArgumentException if {@code depth} is less than 1
     */
    public DeepNesting {
      if (depth < 1) {
        throw new IllegalArgumentException("depth must be at least 1: " + depth);
      }
    }
  }

  /**
   * A 302 redirect.
   *
   * @param location the {@code Location} header
   */
  record Redirect(URI location) implements Fault {
    /**
     * Checks the location.
     *
     * @param location the {@code Location} header, not null
     */
    public Redirect {
      Objects.requireNonNull(location, "location must not be null");
    }
  }

  /**
   * A fault applied to a random share of requests.
   *
   * @param probability from 0 to 1
   * @param seed the seed of the random sequence
   * @param choices the faults to pick from
   */
  record Randomly(double probability, long seed, List<Fault> choices) implements Fault {
    /**
     * Checks the probability and choices.
     *
     * @param probability from 0 to 1
     * @param seed the seed of the random sequence
     * @param choices the faults to pick from, copied: at least one, none of them random themselves
     * @throws IllegalArgumentException if the probability is outside 0 to 1, there is no choice, or
     *     a choice is random
     */
    public Randomly {
      if (!(probability >= 0.0 && probability <= 1.0)) {
        throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
      }
      choices = List.copyOf(choices);
      if (choices.isEmpty()) {
        throw new IllegalArgumentException("choices must not be empty");
      }
      for (Fault choice : choices) {
        if (choice instanceof Randomly) {
          throw new IllegalArgumentException("choices must not be random themselves: " + choice);
        }
      }
    }
  }
}
