package dev.patguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.PatGuard;
import dev.patguard.servlet.EnforcementListener;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.RoutePolicy;
import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** {@code patguard.filter.*}: PatGuardFilter in an app without Spring Security. */
class PatGuardFilterAutoConfigurationTest {
  private static final String URL = "patguard.brms-url=http://127.0.0.1:9";
  private static final String POLICY = "patguard.filter.policy=classpath:filter-portal-policy.yaml";

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  PatGuardAutoConfiguration.class, PatGuardFilterAutoConfiguration.class));

  @SuppressWarnings("unchecked")
  private static FilterRegistrationBean<PatGuardFilter> registration(
      org.springframework.context.ApplicationContext ctx) {
    return ctx.getBean("patGuardFilter", FilterRegistrationBean.class);
  }

  @Test
  void filterWhenPolicySetThenRegisteredForRequestAndAsyncOnEveryPathBeforeSpringSecurity() {
    web.withPropertyValues(URL, POLICY)
        .run(
            ctx -> {
              FilterRegistrationBean<PatGuardFilter> r = registration(ctx);
              assertThat(r.getFilter().toString())
                  .startsWith("PatGuardFilter[")
                  .contains("realm=patguard")
                  .doesNotContain("report-only");
              assertThat(r.getUrlPatterns()).containsExactly("/*");
              assertThat(r.getOrder()).isEqualTo(-110).isLessThan(-100);
              assertThat(r.isAsyncSupported()).isTrue();
              assertThat(r.determineDispatcherTypes())
                  .isEqualTo(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
              assertThat(r.getFilterName()).isEqualTo("patGuardFilter");
            });
  }

  @Test
  void filterWhenNoPolicyThenNotRegisteredThoughTheGuardIs() {
    web.withPropertyValues(URL)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuard.class);
              assertThat(ctx).doesNotHaveBean(FilterRegistrationBean.class);
            });
  }

  @Test
  void filterWhenNotAWebAppOrNoServletFilterModuleThenNotRegistered() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                PatGuardAutoConfiguration.class, PatGuardFilterAutoConfiguration.class))
        .withPropertyValues(URL, POLICY)
        .run(ctx -> assertThat(ctx).doesNotHaveBean(FilterRegistrationBean.class));
    web.withPropertyValues(URL, POLICY)
        .withClassLoader(new FilteredClassLoader(PatGuardFilter.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(FilterRegistrationBean.class);
            });
  }

  @Test
  void filterWhenPatguardDisabledThenNeitherGuardNorFilter() {
    web.withPropertyValues(URL, POLICY, "patguard.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(PatGuard.class);
              assertThat(ctx).doesNotHaveBean(FilterRegistrationBean.class);
            });
  }

  @Test
  void filterWhenPropertiesSetThenTheFilterAndItsRegistrationCarryThem() {
    web.withPropertyValues(
            URL,
            POLICY,
            "patguard.filter.realm=release-portal",
            "patguard.filter.report-only=true",
            "patguard.filter.url-patterns=/api/*,/health",
            "patguard.filter.order=5",
            "patguard.filter.recheck-dispatch-types=forward, ERROR")
        .run(
            ctx -> {
              FilterRegistrationBean<PatGuardFilter> r = registration(ctx);
              assertThat(r.getFilter().toString())
                  .contains("realm=release-portal")
                  .contains("report-only");
              assertThat(r.getUrlPatterns()).containsExactly("/api/*", "/health");
              assertThat(r.getOrder()).isEqualTo(5);
              assertThat(r.determineDispatcherTypes())
                  .isEqualTo(
                      EnumSet.of(
                          DispatcherType.REQUEST,
                          DispatcherType.ASYNC,
                          DispatcherType.FORWARD,
                          DispatcherType.ERROR));
            });
  }

  @Test
  void filterWhenPolicyIsAFileThenReadFromIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("routes.json");
    Files.writeString(
        file,
        "{\"unmatched\":\"allow\",\"rules\":[{\"methods\":[\"GET\"],\"path\":\"/x/{p}\","
            + "\"requires\":\"releases:deploy\",\"project\":{\"from\":\"path\",\"name\":\"p\"}}]}");
    web.withPropertyValues(URL, "patguard.filter.policy=file:" + file)
        .run(
            ctx ->
                assertThat(registration(ctx).getFilter().toString())
                    .contains("1 rules, unmatched=ALLOW"));
  }

  @Test
  void filterWhenUnmatchedSetThenItOverridesThePolicyFile() {
    web.withPropertyValues(URL, POLICY, "patguard.filter.unmatched=authenticated")
        .run(
            ctx ->
                assertThat(registration(ctx).getFilter().toString())
                    .contains("unmatched=AUTHENTICATED"));
  }

  @Test
  void filterWhenUserRegistersTheirOwnThenAutoConfigurationBacksOff() {
    web.withPropertyValues(URL, POLICY)
        .withUserConfiguration(OwnRegistration.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(FilterRegistrationBean.class);
              assertThat(ctx).hasBean("myFilter");
              assertThat(ctx).doesNotHaveBean("patGuardFilter");
            });
  }

  @Test
  void filterWhenEnforcementListenerBeansThenEachHearsEveryEnforcement() {
    web.withPropertyValues(URL, POLICY)
        .withUserConfiguration(Listeners.class)
        .run(
            ctx -> {
              // A route the policy does not name: refused without a lookup (the BRMS URL is dead).
              MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/admin");
              request.setServletPath("/api/admin"); // as for Spring MVC's servlet on "/"
              MockHttpServletResponse response = new MockHttpServletResponse();
              registration(ctx)
                  .getFilter()
                  .doFilter(
                      request,
                      response,
                      (req, res) -> {
                        throw new AssertionError("an unmatched route reached the app");
                      });
              assertThat(response.getStatus()).isEqualTo(403);
              Listeners l = ctx.getBean(Listeners.class);
              assertThat(l.heard).containsExactly("first 403", "second 403");
            });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "patguard.filter.policy|classpath:no-such-policy.yaml|no such resource",
        "patguard.filter.policy|classpath:filter-portal-policy.txt|must end in .json, .yaml or .yml",
        "patguard.filter.policy|classpath:broken-policy.yaml|broken-policy.yaml",
        "patguard.filter.unmatched|sometimes|must be one of deny, authenticated, allow",
        "patguard.filter.realm|say \"hi\"|realm must be",
        "patguard.filter.max-token-length|0|maxTokenLength must be 1..65536",
        "patguard.filter.retry-after|0s|retryAfter must be at least 1 s",
        "patguard.filter.recheck-dispatch-types|ASYNC|ASYNC dispatches are always checked",
        "patguard.filter.recheck-dispatch-types|SOMETIMES|is not one of FORWARD, INCLUDE, ERROR",
        "patguard.filter.url-patterns|' '|needs at least one servlet URL pattern"
      })
  void filterWhenBadValueThenStartUpFailsNamingThePropertyAndTheValue(
      String property, String value, String message) {
    web.withPropertyValues(URL, POLICY, property + "=" + value)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              assertThat(ctx.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                  .hasMessageContaining("Property " + property + " with value")
                  .hasMessageContaining(message);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean
    FilterRegistrationBean<PatGuardFilter> myFilter(PatGuard guard) {
      return new FilterRegistrationBean<>(
          PatGuardFilter.builder()
              .guard(guard)
              .policy(RoutePolicy.builder().rule("GET", "/x", "releases:deploy", null).build())
              .build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Listeners {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Bean
    @Order(1)
    EnforcementListener first() {
      return e -> heard.add("first " + e.status());
    }

    @Bean
    @Order(2)
    EnforcementListener second() {
      return e -> heard.add("second " + e.status());
    }
  }
}
