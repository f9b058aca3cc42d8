package dev.patguard.servlet;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a route takes the project its requirement is on: a path variable of its template, a request
 * header, or a query parameter. Nothing else (no cookie, no body) and never a fallback from one to
 * another.
 *
 * @param from the kind of source
 * @param name the path variable, header or parameter name
 */
public record ProjectSource(From from, String name) {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern VAR = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /** The kinds of source. */
  public enum From {
    /** A {@code {variable}} of the route's path template. */
    PATH,
    /** A request header (one value; several are refused). */
    HEADER,
    /** A query-string parameter (one value; several are refused). Never the body. */
    QUERY;

    /**
     * The lower-case name used in policy files.
     *
     * @return {@code path}, {@code header} or {@code query}
     */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Checks the name against the kind of source.
   *
   * @param from the kind of source; not null
   * @param name a template variable name ({@code [A-Za-z][A-Za-z0-9_]*}), an HTTP header field name
   *     (an RFC 9110 token), or a non-empty query parameter name of visible ASCII (no space)
   *     without {@code &} or {@code =}; not null
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException if {@code name} is not a valid name for {@code from}, quoting
   *     it
   */
  public ProjectSource {
    Objects.requireNonNull(from, "from must not be null");
    Objects.requireNonNull(name, "name must not be null");
    boolean ok =
        switch (from) {
          case PATH -> VAR.matcher(name).matches();
          case HEADER -> TOKEN.matcher(name).matches();
          case QUERY ->
              !name.isEmpty()
                  && name.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '&' && c != '=');
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "\"" + name + "\" is not a valid " + from.text() + " name");
    }
  }

  /**
   * The project is the template variable {@code variable}.
   *
   * @param variable the variable's name, without braces: a letter, then letters, digits or {@code
   *     _}
   * @return a {@link From#PATH} source
   * @throws IllegalArgumentException if {@code variable} is not such a name
   */
  public static ProjectSource path(String variable) {
    return new ProjectSource(From.PATH, variable);
  }

  /**
   * The project is the value of request header {@code header}.
   *
   * @param header the header field name, such as {@code X-Project}
   * @return a {@link From#HEADER} source
   * @throws IllegalArgumentException if {@code header} is not an HTTP token
   */
  public static ProjectSource header(String header) {
    return new ProjectSource(From.HEADER, header);
  }

  /**
   * The project is the value of query parameter {@code parameter}.
   *
   * @param parameter the parameter name: non-empty visible ASCII (no space) without {@code &} or
   *     {@code =}
   * @return a {@link From#QUERY} source
   * @throws IllegalArgumentException if {@code parameter} is not such a name
   */
  public static ProjectSource query(String parameter) {
    return new ProjectSource(From.QUERY, parameter);
  }

  @Override
  public String toString() {
    return from.text() + ":" + name;
  }
}
