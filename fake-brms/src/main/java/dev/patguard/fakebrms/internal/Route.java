package dev.patguard.fakebrms.internal;

import dev.patguard.fakebrms.Endpoint;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A request matched to an endpoint, with its decoded path variables in template order. */
record Route(Endpoint endpoint, List<String> variables) {

  private static final Route OTHER = new Route(Endpoint.OTHER, List.of());

  Route {
    variables = List.copyOf(variables);
  }

  String variable(int index) {
    return variables.get(index);
  }

  static Route of(String method, @Nullable String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return OTHER;
    }
    String[] raw = rawPath.substring(1).split("/", -1);
    String[] s = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      String decoded = decode(raw[i]);
      if (decoded == null || decoded.isEmpty()) {
        return OTHER; // "//", a trailing "/" or a bad escape
      }
      s[i] = decoded;
    }
    if (s.length < 2 || !s[0].equals("api")) {
      return OTHER;
    }
    List<String> p = Arrays.asList(s);
    if (s[1].equals("personal-access-tokens")) {
      if (s.length == 2 && method.equals("GET")) {
        return new Route(Endpoint.SELF_LIST, List.of());
      }
      if (s.length == 3 && method.equals("DELETE")) {
        return new Route(Endpoint.SELF_DELETE, p.subList(2, 3));
      }
    } else if (s[1].equals("users")
        && s.length >= 5
        && s[2].equals("service")
        && s[4].equals("personal-access-tokens")) {
      if (s.length == 5) {
        if (method.equals("GET")) {
          return new Route(Endpoint.SERVICE_LIST, p.subList(3, 4));
        }
        if (method.equals("POST")) {
          return new Route(Endpoint.SERVICE_CREATE, p.subList(3, 4));
        }
      } else if (s.length == 6 && method.equals("GET")) {
        return new Route(Endpoint.SERVICE_GET, List.of(s[3], s[5]));
      } else if (s.length == 7 && s[6].equals("regenerate") && method.equals("POST")) {
        return new Route(Endpoint.SERVICE_REGENERATE, List.of(s[3], s[5]));
      }
    } else if (s[1].equals("projects") && s.length >= 4 && s[3].equals("releases")) {
      if (s.length == 4 && method.equals("GET")) {
        return new Route(Endpoint.RELEASES_LIST, p.subList(2, 3));
      }
      if (s.length == 5 && s[4].equals("deploy") && method.equals("POST")) {
        return new Route(Endpoint.DEPLOY, p.subList(2, 3));
      }
    }
    return OTHER;
  }

  private static @Nullable String decode(String segment) {
    try {
      // URLDecoder treats '+' as a space; in a path it is a literal plus.
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
