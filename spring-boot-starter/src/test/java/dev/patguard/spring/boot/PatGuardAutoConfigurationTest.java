package dev.patguard.spring.boot;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.DecisionListener;
import dev.patguard.PatGuard;
import dev.patguard.decision.Authorizer;
import dev.patguard.decision.PermissionModel;
import dev.patguard.spring.observation.PatGuardCacheMeters;
import dev.patguard.spring.observation.PatGuardObservations;
import dev.patguard.spring.security.PatGuardMethodSecurity;
import dev.patguard.spring.security.PatGuardSecurity;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

class PatGuardAutoConfigurationTest {
  private static final String URL = "patguard.brms-url=http://127.0.0.1:9";
  private static final String SECRET = "adm-9f3c2e71d4b8a6055e1f";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  PatGuardAutoConfiguration.class, PatGuardSecurityAutoConfiguration.class));

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  PatGuardAutoConfiguration.class, PatGuardSecurityAutoConfiguration.class));

  @Test
  void patGuardWhenUrlSetThenOneGuardOnThatUrl() {
    runner
        .withPropertyValues(URL)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuard.class);
              assertThat(ctx.getBean(PatGuard.class).baseUrl()).hasToString("http://127.0.0.1:9");
              assertThat(ctx.getBean(PatGuard.class).lookupName()).isEqualTo("self");
            });
  }

  @Test
  void patGuardWhenContextClosesThenGuardIsClosed() {
    PatGuard[] seen = new PatGuard[1];
    runner.withPropertyValues(URL).run(ctx -> seen[0] = ctx.getBean(PatGuard.class));
    // A closed guard answers Indeterminate without asking BRMS.
    assertThat(seen[0].decideBlocking("tok", dev.patguard.decision.Requirement.authenticated()))
        .isInstanceOfSatisfying(
            dev.patguard.decision.Decision.Indeterminate.class,
            i -> assertThat(i.detail()).contains("closed"));
  }

  @Test
  void patGuardWhenDisabledThenNoBeans() {
    runner
        .withPropertyValues(URL, "patguard.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(PatGuard.class));
  }

  @Test
  void patGuardWhenUserDefinesOneThenAutoConfigurationBacksOff() {
    runner
        .withUserConfiguration(OwnGuard.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuard.class);
              assertThat(ctx.getBean(PatGuard.class).baseUrl()).hasToString("http://127.0.0.1:7");
            });
  }

  @Test
  void patGuardWhenNoUrlThenStartupFailsNamingTheProperty() {
    runner.run(
        ctx ->
            assertThat(ctx)
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("patguard.brms-url"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "patguard.brms-url=ftp://example.org | patguard.brms-url | ftp://example.org",
        "patguard.cache.ttl=-5s | patguard.cache.ttl | PT-5S",
        "patguard.cache.negative-ttl=0s | patguard.cache.negative-ttl | PT0S",
        "patguard.cache.maximum-size=0 | patguard.cache.maximum-size | 0",
        "patguard.cache.stale-if-error=-1s | patguard.cache.stale-if-error | PT-1S",
        "patguard.max-retries=11 | patguard.max-retries | 11",
        "patguard.connect-timeout=0s | patguard.connect-timeout | PT0S",
        "patguard.request-timeout=-1s | patguard.request-timeout | PT-1S",
        "patguard.decision-timeout=0ms | patguard.decision-timeout | PT0S",
        "patguard.max-response-size=10B | patguard.max-response-size | 10B",
        "patguard.expiry-skew=-1m | patguard.expiry-skew | PT-1M",
        "patguard.max-concurrent-lookups=0 | patguard.max-concurrent-lookups | 0",
        "patguard.max-queued-lookups=-1 | patguard.max-queued-lookups | -1",
        "patguard.lookup=sideways | patguard.lookup | sideways",
        "patguard.permission-model=loose | patguard.permission-model | loose",
        "patguard.expires-soon-horizon=-1d | patguard.expires-soon-horizon | PT-24H",
      })
  void patGuardWhenValueIsBadThenStartupFailsNamingPropertyAndValue(
      String setting, String property, String shown) {
    runner
        .withPropertyValues(URL, setting)
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(
                        "Property " + property + " with value '" + shown + "' is invalid"));
  }

  @Test
  void patGuardWhenValueDoesNotParseThenBootNamesPropertyAndValue() {
    runner
        .withPropertyValues(URL, "patguard.cache.ttl=soon")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              Throwable t = ctx.getStartupFailure();
              StringBuilder all = new StringBuilder();
              for (Throwable c = t; c != null; c = c.getCause()) {
                all.append(c.getMessage()).append('\n');
              }
              assertThat(all).contains("patguard.cache.ttl").contains("soon");
            });
  }

  @Test
  void patGuardWhenIndexedLookupWithoutCredentialThenFailsNamingTheCredentialProperty() {
    runner
        .withPropertyValues(URL, "patguard.lookup=indexed:/nonexistent/index")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("patguard.admin-credential"));
  }

  @Test
  void patGuardWhenIndexFileMissingThenFailsNamingLookupAndNeverTheCredential() {
    runner
        .withPropertyValues(
            URL,
            "patguard.lookup=indexed:/nonexistent/index",
            "patguard.admin-credential=" + SECRET)
        .run(
            ctx -> {
              assertThat(ctx)
                  .getFailure()
                  .rootCause()
                  .hasMessageContaining("patguard.lookup")
                  .hasMessageContaining("/nonexistent/index");
              StringBuilder all = new StringBuilder();
              for (Throwable c = ctx.getStartupFailure(); c != null; c = c.getCause()) {
                all.append(c).append('\n');
              }
              assertNoSecret(all.toString(), "a toString", SECRET);
            });
  }

  @Test
  void propertiesWhenBoundThenEveryKeyReachesItsField() {
    runner
        .withPropertyValues(
            URL,
            "patguard.admin-credential=" + SECRET,
            "patguard.connect-timeout=1s",
            "patguard.request-timeout=3s",
            "patguard.decision-timeout=4s",
            "patguard.max-retries=1",
            "patguard.max-response-size=2MB",
            "patguard.expiry-skew=1m",
            "patguard.max-concurrent-lookups=4",
            "patguard.max-queued-lookups=8",
            "patguard.expires-soon-horizon=7d",
            "patguard.accepted-owner-statuses=active,invited",
            "patguard.permission-model=hierarchical",
            "patguard.cache.ttl=30s",
            "patguard.cache.negative-ttl=2s",
            "patguard.cache.maximum-size=100",
            "patguard.cache.negative-maximum-size=50",
            "patguard.cache.stale-if-error=10s",
            "patguard.security.realm=portal",
            "patguard.security.retry-after=7s",
            "patguard.security.max-token-length=512")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              PatGuardProperties p = ctx.getBean(PatGuardProperties.class);
              assertThat(p.getConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
              assertThat(p.getRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(p.getDecisionTimeout()).isEqualTo(Duration.ofSeconds(4));
              assertThat(p.getMaxRetries()).isEqualTo(1);
              assertThat(p.getMaxResponseSize().toMegabytes()).isEqualTo(2);
              assertThat(p.getExpirySkew()).isEqualTo(Duration.ofMinutes(1));
              assertThat(p.getMaxConcurrentLookups()).isEqualTo(4);
              assertThat(p.getMaxQueuedLookups()).isEqualTo(8);
              assertThat(p.getCache().getTtl()).isEqualTo(Duration.ofSeconds(30));
              assertThat(p.getCache().getNegativeTtl()).isEqualTo(Duration.ofSeconds(2));
              assertThat(p.getCache().getMaximumSize()).isEqualTo(100);
              assertThat(p.getCache().getNegativeMaximumSize()).isEqualTo(50);
              assertThat(p.getCache().getStaleIfError()).isEqualTo(Duration.ofSeconds(10));
              assertThat(p.getSecurity().getRealm()).isEqualTo("portal");
              assertThat(p.getSecurity().getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
              assertThat(p.getSecurity().getMaxTokenLength()).isEqualTo(512);
              assertNoSecret(p.toString(), "a toString", SECRET);
              PatGuard guard = ctx.getBean(PatGuard.class);
              assertThat(guard.decisionTimeout()).isEqualTo(Duration.ofSeconds(4));
              assertThat(guard.permissionModel()).isEqualTo(PermissionModel.hierarchical());
              assertThat(guard.authorizer().expiresSoonHorizon()).isEqualTo(Duration.ofDays(7));
              assertThat(guard.authorizer().acceptedOwnerStatuses())
                  .containsExactlyInAnyOrder("active", "invited");
              assertNoSecret(guard.toString(), "a toString", SECRET);
            });
  }

  @Test
  void patGuardWhenUserDefinesModelAuthorizerAndListenersThenTheyAreUsed() {
    runner
        .withPropertyValues(URL)
        .withUserConfiguration(OwnParts.class)
        .run(
            ctx -> {
              PatGuard guard = ctx.getBean(PatGuard.class);
              assertThat(guard.permissionModel()).isSameAs(OwnParts.MODEL);
              assertThat(guard.authorizer()).isSameAs(OwnParts.AUTHORIZER);
              guard.decideBlocking("", dev.patguard.decision.Requirement.authenticated());
              assertThat(OwnParts.first).isTrue();
              assertThat(OwnParts.second).isTrue();
            });
  }

  @Test
  void securityBeansWhenServletWebAppWithSpringSecurityThenPresent() {
    web.withPropertyValues(URL)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuardSecurity.class);
              assertThat(ctx).hasBean("patguard");
              assertThat(ctx.getBean("patguard")).isInstanceOf(PatGuardMethodSecurity.class);
              assertThat(ctx.getBean(RequestRejectedHandler.class))
                  .isSameAs(ctx.getBean(PatGuardSecurity.class).problemHandler());
            });
  }

  @Test
  void requestRejectedHandlerWhenUserDefinesOneThenAutoConfigurationBacksOff() {
    RequestRejectedHandler own = new HttpStatusRequestRejectedHandler();
    web.withPropertyValues(URL)
        .withBean(RequestRejectedHandler.class, () -> own)
        .run(ctx -> assertThat(ctx.getBean(RequestRejectedHandler.class)).isSameAs(own));
  }

  @Test
  void securityBeansWhenNotAWebAppThenAbsent() {
    runner
        .withPropertyValues(URL)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuard.class);
              assertThat(ctx).doesNotHaveBean(PatGuardSecurity.class);
            });
  }

  @Test
  void securityBeansWhenSpringSecurityAbsentThenAbsentAndGuardStays() {
    web.withPropertyValues(URL)
        .withClassLoader(new FilteredClassLoader(HttpSecurity.class))
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuard.class);
              assertThat(ctx).doesNotHaveBean(PatGuardSecurity.class);
            });
  }

  @Test
  void securityBeansWhenDisabledThenAbsent() {
    web.withPropertyValues(URL, "patguard.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(PatGuardSecurity.class));
  }

  @Test
  void securityBeansWhenUserDefinesThemThenAutoConfigurationBacksOff() {
    web.withPropertyValues(URL)
        .withUserConfiguration(OwnSecurity.class)
        .run(
            ctx -> {
              assertThat(ctx.getBean(PatGuardSecurity.class)).isSameAs(OwnSecurity.security);
              assertThat(ctx).hasSingleBean(PatGuardMethodSecurity.class);
              assertThat(ctx.getBean(PatGuardMethodSecurity.class)).isSameAs(OwnSecurity.methods);
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "patguard.security.realm=a\"b | patguard.security.realm | a\"b",
        "patguard.security.retry-after=0s | patguard.security.retry-after | PT0S",
        "patguard.security.max-token-length=3 | patguard.security.max-token-length | 3",
      })
  void securityWhenValueIsBadThenStartupFailsNamingPropertyAndValue(
      String setting, String property, String shown) {
    web.withPropertyValues(URL, setting)
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(
                        "Property " + property + " with value '" + shown + "' is invalid"));
  }

  @Test
  void observationsWhenRegistryBeanThenEveryDecisionIsObserved() {
    runner
        .withPropertyValues(URL)
        .withUserConfiguration(Registry.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(PatGuardObservations.class);
              ctx.getBean(PatGuard.class)
                  .decideBlocking("", dev.patguard.decision.Requirement.authenticated());
              assertThat(Registry.names).containsExactly(PatGuardObservations.NAME);
            });
  }

  @Test
  void metersWhenMicrometerCorePresentThenCacheMeterBinder() {
    runner
        .withPropertyValues(URL)
        .run(ctx -> assertThat(ctx).hasSingleBean(PatGuardCacheMeters.class));
  }

  @Test
  void healthWhenNoDecisionYetThenUpWithoutCallingBrms() {
    runner
        .withPropertyValues(URL)
        .run(
            ctx -> {
              PatGuardHealthIndicator indicator =
                  ctx.getBean("patguardHealthIndicator", PatGuardHealthIndicator.class);
              assertThat(indicator.health().getStatus())
                  .isEqualTo(org.springframework.boot.health.contributor.Status.UP);
              assertThat(indicator.health().getDetails())
                  .containsEntry("brmsUrl", "http://127.0.0.1:9");
            });
  }

  @Test
  void healthWhenBrmsUnreachableThenDownAfterTheFailedDecision() {
    runner
        .withPropertyValues(URL, "patguard.max-retries=0", "patguard.connect-timeout=1s")
        .run(
            ctx -> {
              ctx.getBean(PatGuard.class)
                  .decideBlocking("tok-abc", dev.patguard.decision.Requirement.authenticated());
              assertThat(ctx.getBean(PatGuardHealthIndicator.class).health().getStatus())
                  .isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
              assertThat(ctx.getBean(PatGuardHealthIndicator.class).health().toString())
                  .doesNotContain("tok-abc");
            });
  }

  @Test
  void healthAndMetersWhenTheirLibrariesAreAbsentThenBackOffAndGuardStays() {
    runner
        .withPropertyValues(URL)
        .withClassLoader(
            new FilteredClassLoader(
                org.springframework.boot.health.contributor.HealthIndicator.class,
                io.micrometer.core.instrument.binder.MeterBinder.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).hasSingleBean(PatGuard.class);
              assertThat(ctx).doesNotHaveBean(PatGuardHealthIndicator.class);
              assertThat(ctx).doesNotHaveBean(PatGuardCacheMeters.class);
            });
  }

  @Test
  void healthWhenDisabledThenNoIndicator() {
    runner
        .withPropertyValues(URL, "management.health.patguard.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(PatGuardHealthIndicator.class));
  }

  @Test
  void healthWhenWindowNotPositiveThenStartupFailsNamingIt() {
    runner
        .withPropertyValues(URL, "patguard.health-window=0s")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("Property patguard.health-window with value 'PT0S'"));
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    static final List<String> names = new CopyOnWriteArrayList<>();

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry r = ObservationRegistry.create();
      r.observationConfig()
          .observationHandler(
              new ObservationHandler<>() {
                @Override
                public void onStop(Observation.Context context) {
                  names.add(context.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                  return true;
                }
              });
      return r;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnGuard {
    @Bean
    PatGuard myGuard() {
      return PatGuard.builder().baseUrl("http://127.0.0.1:7").build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnParts {
    static final PermissionModel MODEL =
        PermissionModel.builder().implies("releases", "releases:deploy").build();
    static final Authorizer AUTHORIZER =
        Authorizer.builder().expiresSoonHorizon(Duration.ofDays(3)).build();
    static volatile boolean first;
    static volatile boolean second;

    @Bean
    PermissionModel model() {
      return MODEL;
    }

    @Bean
    Authorizer authorizer() {
      return AUTHORIZER;
    }

    @Bean
    DecisionListener first() {
      return e -> first = true;
    }

    @Bean
    DecisionListener second() {
      return e -> second = true;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSecurity {
    static volatile PatGuardSecurity security;
    static volatile PatGuardMethodSecurity methods;

    @Bean
    PatGuardSecurity mySecurity(PatGuard guard) {
      security = PatGuardSecurity.builder(guard).realm("mine").build();
      return security;
    }

    @Bean
    PatGuardMethodSecurity myChecks(PatGuard guard) {
      methods = new PatGuardMethodSecurity(guard);
      return methods;
    }
  }
}
