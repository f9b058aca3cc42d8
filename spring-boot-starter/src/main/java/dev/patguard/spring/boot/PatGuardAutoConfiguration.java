package dev.patguard.spring.boot;

import dev.patguard.DecisionListener;
import dev.patguard.LookupStrategy;
import dev.patguard.PatGuard;
import dev.patguard.decision.Authorizer;
import dev.patguard.decision.PermissionModel;
import dev.patguard.spring.observation.DecisionHealth;
import dev.patguard.spring.observation.PatGuardCacheMeters;
import dev.patguard.spring.observation.PatGuardObservations;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One {@link PatGuard} bean from the {@code patguard.*} properties, closed with the context. Every
 * bean backs off when the application defines its own. {@link DecisionListener} beans all receive
 * every decision; a {@link PermissionModel} or {@link Authorizer} bean replaces the one the
 * properties describe.
 *
 * <p>A bad value fails start-up with Spring Boot's {@link
 * InvalidConfigurationPropertyValueException}, which names the property and the value (the admin
 * credential shows as {@code ***}) and says what is wrong.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "patguard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PatGuardProperties.class)
public class PatGuardAutoConfiguration {

  /** Creates the auto-configuration (Spring does). */
  public PatGuardAutoConfiguration() {}

  /**
   * The guard.
   *
   * @param properties the bound {@code patguard.*} properties
   * @param listeners every {@link DecisionListener} bean, in order
   * @param models a {@link PermissionModel} bean, if the application has one
   * @param authorizers an {@link Authorizer} bean, if the application has one
   * @return the guard; Spring closes it with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public PatGuard patGuard(
      PatGuardProperties properties,
      ObjectProvider<DecisionListener> listeners,
      ObjectProvider<PermissionModel> models,
      ObjectProvider<Authorizer> authorizers) {
    PatGuard.Builder b = PatGuard.builder();
    String url = properties.getBrmsUrl();
    if (url == null || url.isBlank()) {
      throw new InvalidConfigurationPropertyValueException(
          "patguard.brms-url",
          String.valueOf(url),
          "patguard needs the BRMS base URL, such as https://acme.us1.gorules.io"
              + " (or set patguard.enabled=false)");
    }
    set("patguard.brms-url", url, b::baseUrl);
    String credential = properties.getAdminCredential();
    if (credential != null) {
      b.adminCredential(() -> credential);
    }
    String lookup = properties.getLookup();
    LookupStrategy strategy;
    try {
      strategy = LookupStrategy.parse(lookup);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          "patguard.lookup", lookup, e.getMessage());
    }
    if (!"self".equals(strategy.name()) && credential == null) {
      throw new InvalidConfigurationPropertyValueException(
          "patguard.admin-credential",
          "(unset)",
          "the " + strategy.name() + " lookup reads token facts with the admin credential");
    }
    b.lookup(strategy);
    PermissionModel model = models.getIfAvailable();
    if (model == null) {
      model = permissionModel(properties.getPermissionModel());
    }
    b.permissionModel(model);
    Authorizer authorizer = authorizers.getIfAvailable();
    if (authorizer == null) {
      authorizer = authorizer(properties);
    }
    b.authorizer(authorizer);
    set("patguard.connect-timeout", properties.getConnectTimeout(), b::connectTimeout);
    set("patguard.request-timeout", properties.getRequestTimeout(), b::requestTimeout);
    set("patguard.decision-timeout", properties.getDecisionTimeout(), b::decisionTimeout);
    set("patguard.max-retries", properties.getMaxRetries(), b::maxRetries);
    set(
        "patguard.max-response-size",
        properties.getMaxResponseSize(),
        v -> b.maxResponseBytes(v.toBytes()));
    set("patguard.expiry-skew", properties.getExpirySkew(), b::expirySkew);
    set(
        "patguard.max-concurrent-lookups",
        properties.getMaxConcurrentLookups(),
        b::maxConcurrentLookups);
    set("patguard.max-queued-lookups", properties.getMaxQueuedLookups(), b::maxQueuedLookups);
    PatGuardProperties.Cache cache = properties.getCache();
    set("patguard.cache.ttl", cache.getTtl(), b::cacheTtl);
    set("patguard.cache.negative-ttl", cache.getNegativeTtl(), b::negativeCacheTtl);
    set("patguard.cache.maximum-size", cache.getMaximumSize(), b::cacheMaximumSize);
    set(
        "patguard.cache.negative-maximum-size",
        cache.getNegativeMaximumSize(),
        b::negativeCacheMaximumSize);
    set("patguard.cache.stale-if-error", cache.getStaleIfError(), b::staleIfError);
    List<DecisionListener> all = listeners.orderedStream().toList();
    if (!all.isEmpty()) {
      b.listener(
          event -> {
            for (DecisionListener l : all) {
              l.onDecision(event);
            }
          });
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // The index file of the indexed lookup is read at build time.
      throw new InvalidConfigurationPropertyValueException(
          "patguard.lookup", lookup, e.getMessage());
    }
  }

  /** Observations of every decision, where Micrometer is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  static class Observations {
    @Bean
    @ConditionalOnMissingBean
    PatGuardObservations patGuardObservations(ObjectProvider<ObservationRegistry> registry) {
      return new PatGuardObservations(registry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }
  }

  /** The cache counters as meters, where Micrometer's core is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  static class Meters {
    @Bean
    @ConditionalOnMissingBean
    PatGuardCacheMeters patGuardCacheMeters(PatGuard guard) {
      return new PatGuardCacheMeters(guard);
    }
  }

  /** The Actuator health indicator {@code patguard}, where Spring Boot's health module is. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("patguard")
  static class Health {
    @Bean
    @ConditionalOnMissingBean
    DecisionHealth patGuardDecisionHealth(PatGuardProperties properties) {
      Duration window = properties.getHealthWindow();
      try {
        return new DecisionHealth(Clock.systemUTC(), window);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.health-window", window, e.getMessage());
      }
    }

    @Bean
    @ConditionalOnMissingBean(name = "patguardHealthIndicator")
    PatGuardHealthIndicator patguardHealthIndicator(PatGuard guard, DecisionHealth health) {
      return new PatGuardHealthIndicator(guard, health);
    }
  }

  private static PermissionModel permissionModel(String name) {
    return switch (name) {
      case "strict" -> PermissionModel.strict();
      case "hierarchical" -> PermissionModel.hierarchical();
      default ->
          throw new InvalidConfigurationPropertyValueException(
              "patguard.permission-model", name, "must be \"strict\" or \"hierarchical\"");
    };
  }

  private static Authorizer authorizer(PatGuardProperties properties) {
    Duration horizon = properties.getExpiresSoonHorizon();
    if (horizon == null && properties.getAcceptedOwnerStatuses().isEmpty()) {
      return Authorizer.standard();
    }
    Authorizer.Builder b = Authorizer.builder();
    set("patguard.expires-soon-horizon", horizon, b::expiresSoonHorizon);
    if (!properties.getAcceptedOwnerStatuses().isEmpty()) {
      set(
          "patguard.accepted-owner-statuses",
          properties.getAcceptedOwnerStatuses(),
          b::acceptedOwnerStatuses);
    }
    return b.build();
  }

  /** Applies one setting; the builder's own check failing names the property and value. */
  static <T> void set(String property, @Nullable T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
