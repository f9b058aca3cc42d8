package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.time.Duration;
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
  void readWhenSharedCacheRedisButPatguardRedisAbsentThenSaysWhichArtifactToAdd() {
    Map<String, String> params = with("shared-cache", "redis");
    params.put("redis-uri", "redis://127.0.0.1:6379");
    String why =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    InitParams.read(
                        config(params), name -> null, name -> null, java.util.List.of()))
            .getMessage();
    assertEquals(
        "init-param shared-cache \"redis\": no such shared cache on the class path; add the"
            + " artifact dev.patguard:patguard-redis to the web app (WEB-INF/lib)",
        why);
  }

  @Test
  void readWhenSharedCacheUnknownThenNamesTheOnesInstalled() {
    String why = failure(with("shared-cache", "memcached"));
    assertEquals(
        "init-param shared-cache \"memcached\": no such shared cache on the class path; known"
            + " here: redis",
        why);
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
            + " cache-ttl, connect-timeout, decision-timeout, lookup, max-retries, max-token-length,"
            + " negative-cache-ttl, policy, realm, recheck-dispatch-types, report-only, request-timeout,"
            + " shared-cache, shared-cache-timeout, shared-lock-wait, stale-if-error, unmatched)",
        failure(with("report_only", "true")));
  }

  private static Map<String, String> without(String name) {
    Map<String, String> params = new HashMap<>(MINIMAL);
    params.remove(name);
    return params;
  }

  private static String urlOf(
      Map<String, String> params, Map<String, String> environment, Map<String, String> properties) {
    InitParams.Configured c = InitParams.read(config(params), environment::get, properties::get);
    try {
      return c.guard().baseUrl() + " from " + c.urlSource();
    } finally {
      c.guard().close();
    }
  }

  @Test
  void brmsUrlWhenAllThreeSetThenTheInitParamWins() {
    assertEquals(
        "http://127.0.0.1:9 from init-param brms-url",
        urlOf(
            MINIMAL,
            Map.of("PATGUARD_BRMS_URL", "http://env.example"),
            Map.of("patguard.brms.url", "http://prop.example")));
  }

  @Test
  void brmsUrlWhenNoInitParamThenTheEnvironmentBeforeTheProperty() {
    assertEquals(
        "http://env.example from environment variable PATGUARD_BRMS_URL",
        urlOf(
            without("brms-url"),
            Map.of("PATGUARD_BRMS_URL", " http://env.example "),
            Map.of("patguard.brms.url", "http://prop.example")));
  }

  @Test
  void brmsUrlWhenOnlyThePropertyThenTheProperty() {
    assertEquals(
        "http://prop.example from system property patguard.brms.url",
        urlOf(
            without("brms-url"),
            Map.of("PATGUARD_BRMS_URL", "  "),
            Map.of("patguard.brms.url", "http://prop.example")));
  }

  @Test
  void brmsUrlWhenNowhereThenTheMessageNamesAllThreePlaces() {
    String why =
        assertThrows(
                IllegalArgumentException.class,
                () -> InitParams.read(config(without("brms-url")), n -> null, n -> null))
            .getMessage();
    assertEquals(
        "no BRMS URL: set the init-param brms-url, the environment variable PATGUARD_BRMS_URL or"
            + " the system property patguard.brms.url",
        why);
  }

  @Test
  void brmsUrlWhenTheFallbackIsMalformedThenItsSourceIsNamed() {
    String why =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    InitParams.read(
                        config(without("brms-url")),
                        n -> null,
                        Map.of("patguard.brms.url", "nope")::get))
            .getMessage();
    assertTrue(why.startsWith("system property patguard.brms.url: "), why);
  }

  @Test
  void initWhenBrmsUrlFromAPropertyThenTheFilterStarts() throws Exception {
    PatGuardFilter filter =
        new PatGuardFilter(n -> null, Map.of("patguard.brms.url", "http://127.0.0.1:9")::get);
    filter.init(config(without("brms-url")));
    filter.destroy();
  }

  @Test
  void initWhenNoBrmsUrlThenServletExceptionNamingAllThree() {
    PatGuardFilter filter = new PatGuardFilter(n -> null, n -> null);
    String why =
        assertThrows(ServletException.class, () -> filter.init(config(without("brms-url"))))
            .getMessage();
    assertTrue(
        why.contains("init-param brms-url")
            && why.contains("PATGUARD_BRMS_URL")
            && why.contains("patguard.brms.url"),
        why);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "PT30S   | PT30S",
        "pt1m30s | PT1M30S",
        "30s     | PT30S",
        "' 500ms '| PT0.5S",
        "5m      | PT5M",
        "1h      | PT1H",
        "0s      | PT0S"
      })
  void parseDurationWhenIsoOrShortThenParsed(String text, String expected) {
    assertEquals(Duration.parse(expected), InitParams.parseDuration(text));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"30", "s", "30S", "1.5s", "30 s", "5d", "-5s", "PT", "P1Y", "9999999999999999h"})
  void parseDurationWhenNeitherThenRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> InitParams.parseDuration(text));
  }

  @Test
  void readWhenGuardSettingsGivenThenEachApplies() {
    Map<String, String> params = new HashMap<>(MINIMAL);
    params.putAll(
        Map.of(
            "cache-ttl", "PT30S",
            "negative-cache-ttl", "2s",
            "connect-timeout", "500ms",
            "request-timeout", "3s",
            "decision-timeout", "4s",
            "stale-if-error", "5m",
            "max-retries", "0",
            "lookup", "self"));
    InitParams.Configured c = InitParams.read(config(params), n -> null, n -> null);
    try {
      assertEquals(Duration.ofSeconds(4), c.guard().decisionTimeout());
      assertEquals("self", c.guard().lookupName());
    } finally {
      c.guard().close();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "brms-url               | ' '          | no BRMS URL: set the init-param brms-url, the environment variable PATGUARD_BRMS_URL or the system property patguard.brms.url",
        "brms-url               | ftp://x      | init-param brms-url: ",
        "cache-ttl              | 30 s         | init-param cache-ttl must be a duration such as PT30S, 30s, 500ms, 5m or 1h; got \"30 s\"",
        "negative-cache-ttl     | PT           | init-param negative-cache-ttl must be a duration such as PT30S, 30s, 500ms, 5m or 1h; got \"PT\"",
        "connect-timeout        | 0s           | init-param connect-timeout \"0s\": ",
        "request-timeout        | -PT1S        | init-param request-timeout \"-PT1S\": ",
        "decision-timeout       | 5sec         | init-param decision-timeout must be a duration such as PT30S, 30s, 500ms, 5m or 1h; got \"5sec\"",
        "stale-if-error         | -PT1S        | init-param stale-if-error \"-PT1S\": ",
        "max-retries            | two          | init-param max-retries must be a number; got \"two\"",
        "max-retries            | 11           | init-param max-retries \"11\": ",
        "lookup                 | cached       | init-param lookup \"cached\": ",
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
