package dev.patguard.spring.boot;

import dev.patguard.DecisionListener;
import dev.patguard.LookupStrategy;
import dev.patguard.PatGuard;
import dev.patguard.decision.Authorizer;
import dev.patguard.decision.PermissionModel;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.spi.SharedTokenCache;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
 * <p>Fleet mode: with patguard-redis on the class path and {@code patguard.shared-cache.redis.uri}
 * set, a {@link RedisSharedCache} bean (closed with the context, after the guard); any {@link
 * SharedTokenCache} bean of the application's replaces it. The guard uses whichever there is.
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
   * @param sharedCaches a {@link SharedTokenCache} bean (fleet mode), if there is one
   * @return the guard; Spring closes it with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public PatGuard patGuard(
      PatGuardProperties properties,
      ObjectProvider<DecisionListener> listeners,
      ObjectProvider<PermissionModel> models,
      ObjectProvider<Authorizer> authorizers,
      ObjectProvider<SharedTokenCache> sharedCaches) {
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
    boolean shared = sharedCache(properties.getSharedCache(), sharedCaches.getIfAvailable(), b);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      if (shared && String.valueOf(e.getMessage()).startsWith("sharedLockWait")) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.shared-cache.lock-wait",
            properties.getSharedCache().getLockWait(),
            e.getMessage());
      }
      // The index file of the indexed lookup is read at build time.
      throw new InvalidConfigurationPropertyValueException(
          "patguard.lookup", lookup, e.getMessage());
    }
  }

  /**
   * Gives the guard its shared cache and its timeouts; without one, refuses the settings that need
   * one.
   *
   * @return whether the guard has a shared cache
   */
  private static boolean sharedCache(
      PatGuardProperties.SharedCache settings,
      @Nullable SharedTokenCache shared,
      PatGuard.Builder b) {
    if (shared == null) {
      String uri = settings.getRedis().getUri();
      // Set, yet no bean: the Redis configuration did not apply, so patguard-redis is absent.
      if (uri != null) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.shared-cache.redis.uri",
            uri.indexOf('@') >= 0 ? "***" : uri,
            "fleet mode on Redis needs the artifact dev.patguard:patguard-redis on the class path:"
                + " add it, or remove this property");
      }
      String needs =
          "needs a shared cache: set patguard.shared-cache.redis.uri (with"
              + " patguard-redis) or declare a SharedTokenCache bean";
      if (settings.getTimeout() != null) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.shared-cache.timeout", settings.getTimeout(), needs);
      }
      if (settings.getLockWait() != null) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.shared-cache.lock-wait", settings.getLockWait(), needs);
      }
      return false;
    }
    b.sharedCache(shared);
    set("patguard.shared-cache.timeout", settings.getTimeout(), b::sharedCacheTimeout);
    set("patguard.shared-cache.lock-wait", settings.getLockWait(), b::sharedLockWait);
    return true;
  }

  /**
   * Fleet mode on Redis, where patguard-redis is present and {@code
   * patguard.shared-cache.redis.uri} is set.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.patguard.redis.RedisSharedCache")
  @ConditionalOnProperty("patguard.shared-cache.redis.uri")
  static class RedisFleet {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SharedTokenCache.class)
    RedisSharedCache patGuardRedisSharedCache(PatGuardProperties properties) {
      return RedisSharedCacheFactory.build(properties.getSharedCache().getRedis());
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
    PatGuardHealthIndicator patguardHealthIndicator(
        PatGuard guard, DecisionHealth health, ObjectProvider<SharedTokenCache> shared) {
      return new PatGuardHealthIndicator(guard, health, shared.getIfUnique());
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
