package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The web.xml configuration: every init-param read and checked, each mistake named. */
class InitParamsTest {
  private static final Map<String, String> MINIMAL =
      Map.of("brms-url", "http://127.0.0.1:9", "policy", "classpath:test-policy.yaml");

  private static FilterConfig config(Map<String, String> params) {
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "patguard";
      }

      @Override
      public ServletContext getServletContext() {
        return mock(ServletContext.class);
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }

  private static Map<String, String> with(String name, String value) {
    Map<String, String> params = new HashMap<>(MINIMAL);
    params.put(name, value);
    return params;
  }

  private static String failure(Map<String, String> params) {
    return assertThrows(RuntimeException.class, () -> InitParams.read(config(params), name -> null))
        .getMessage();
  }

  @Test
  void readWhenMinimalThenTheDefaults() {
    InitParams.Configured c = InitParams.read(config(MINIMAL), name -> null);
    try {
      assertEquals(
          "PatGuardFilter[RoutePolicy[6 rules, unmatched=DENY], realm=patguard]",
          c.builder().build().toString());
    } finally {
      c.guard().close();
    }
  }

  @Test
  void readWhenSettingsGivenThenEachApplies() {
    Map<String, String> params = new HashMap<>(MINIMAL);
    params.putAll(
        Map.of(
            "realm",
            "web-xml",
            "report-only",
            " TRUE ",
            "unmatched",
            "allow",
            "allow-query-token",
            "false",
            "max-token-length",
            " 100 ",
            "recheck-dispatch-types",
            "forward, ERROR"));
    InitParams.Configured c = InitParams.read(config(params), name -> null);
    try {
      assertEquals(
          "PatGuardFilter[RoutePolicy[6 rules, unmatched=ALLOW], realm=web-xml, report-only]",
          c.builder().build().toString());
    } finally {
      c.guard().close();
    }
  }

  @Test
  void readWhenUnknownInitParamThenNamedWithTheKnownOnes() {
    assertEquals(
        "unknown init-param \"report_only\" (known: admin-credential-env, allow-query-token, brms-url,"
            + " lookup, max-token-length, policy, realm, recheck-dispatch-types, report-only, unmatched)",
        failure(with("report_only", "true")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "brms-url               | ' '          | init-param brms-url is required",
        "policy                 | ''           | init-param policy is required",
        "report-only            | yes          | init-param report-only must be true or false; got \"yes\"",
        "allow-query-token      | 1            | init-param allow-query-token must be true or false; got \"1\"",
        "max-token-length       | 4k           | init-param max-token-length must be a number; got \"4k\"",
        "max-token-length       | 0            | maxTokenLength must be 1..65536, got 0",
        "recheck-dispatch-types | FORWARD,SEND | init-param recheck-dispatch-types: \"SEND\" is not one of",
        "unmatched              | permit       | init-param unmatched ",
        "realm                  | 'a\"b'       | realm must be non-empty printable ASCII without '\"' or '\\'",
        "policy                 | classpath:nothing.yaml | policy classpath:nothing.yaml: no such classpath resource",
        "admin-credential-env   | PATGUARD_UNSET | init-param admin-credential-env names PATGUARD_UNSET, which is not"
      })
  void readWhenAnInitParamIsWrongThenTheMessageNamesItAndWhy(
      String name, String value, String message) {
    String why = failure(with(name, value));
    assertTrue(why.startsWith(message), () -> "expected '" + message + "...', got: " + why);
  }
}
