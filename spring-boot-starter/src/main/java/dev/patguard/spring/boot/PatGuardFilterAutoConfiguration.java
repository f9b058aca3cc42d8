package dev.patguard.spring.boot;

import dev.patguard.PatGuard;
import dev.patguard.servlet.EnforcementListener;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.RoutePolicy;
import dev.patguard.servlet.Unmatched;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * In a servlet web app without Spring Security: {@link PatGuardFilter} over the {@link PatGuard}
 * bean, enforcing the route policy named by {@code patguard.filter.policy} (setting it turns the
 * filter on), registered for REQUEST and ASYNC dispatches (and those of {@code
 * patguard.filter.recheck-dispatch-types}) on {@code patguard.filter.url-patterns}. {@link
 * EnforcementListener} beans all hear of every enforcement. A {@code PatGuardFilter} bean of the
 * application's, or a {@code FilterRegistrationBean} of one, replaces it.
 *
 * <p>With Spring Security, use {@code PatGuardSecurity} in the {@code SecurityFilterChain} instead:
 * its answers go through Spring Security's entry point and access-denied handler. Both at once
 * guard every request twice.
 */
@AutoConfiguration(after = PatGuardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({PatGuardFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty("patguard.filter.policy")
@ConditionalOnBean(PatGuard.class)
public class PatGuardFilterAutoConfiguration {
  /**
   * The default order: after Boot's character-encoding filter and {@code FormContentFilter}
   * (-9900), before its {@code RequestContextFilter} (-105) and Spring Security's filter (-100), so
   * that what runs after it sees the principal it sets.
   */
  public static final int DEFAULT_ORDER = -110;

  private static final String POLICY = "patguard.filter.policy";

  /** Creates the auto-configuration (Spring does). */
  public PatGuardFilterAutoConfiguration() {}

  /**
   * The filter and its registration.
   *
   * @param guard the guard; the filter does not close it (the context does)
   * @param properties the {@code patguard.filter.*} properties
   * @param resources where the policy location is resolved
   * @param listeners every {@link EnforcementListener} bean, in order
   * @return the registration
   */
  @Bean
  @ConditionalOnMissingFilterBean(PatGuardFilter.class)
  public FilterRegistrationBean<PatGuardFilter> patGuardFilter(
      PatGuard guard,
      PatGuardProperties properties,
      ResourceLoader resources,
      ObjectProvider<EnforcementListener> listeners) {
    PatGuardProperties.Filter p = properties.getFilter();
    RoutePolicy policy = policy(String.valueOf(p.getPolicy()), resources);
    if (p.getUnmatched() != null) {
      try {
        policy = policy.withUnmatched(Unmatched.parse(p.getUnmatched()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.filter.unmatched", p.getUnmatched(), e.getMessage());
      }
    }
    PatGuardFilter.Builder b = PatGuardFilter.builder().guard(guard).policy(policy);
    PatGuardAutoConfiguration.set("patguard.filter.realm", p.getRealm(), b::realm);
    b.reportOnly(p.isReportOnly());
    b.allowQueryToken(p.isAllowQueryToken());
    PatGuardAutoConfiguration.set(
        "patguard.filter.max-token-length", p.getMaxTokenLength(), b::maxTokenLength);
    PatGuardAutoConfiguration.set("patguard.filter.retry-after", p.getRetryAfter(), b::retryAfter);
    List<DispatcherType> recheck = dispatchTypes(p.getRecheckDispatchTypes());
    PatGuardAutoConfiguration.set(
        "patguard.filter.recheck-dispatch-types",
        recheck,
        t -> b.recheckDispatchTypes(t.toArray(DispatcherType[]::new)));
    List<EnforcementListener> all = listeners.orderedStream().toList();
    if (!all.isEmpty()) {
      b.listener(
          event -> {
            for (EnforcementListener l : all) {
              l.onEnforcement(event);
            }
          });
    }
    List<String> patterns = p.getUrlPatterns();
    if (patterns.isEmpty() || patterns.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new InvalidConfigurationPropertyValueException(
          "patguard.filter.url-patterns",
          patterns,
          "needs at least one servlet URL pattern, such as /*, and no blank one");
    }
    FilterRegistrationBean<PatGuardFilter> registration = new FilterRegistrationBean<>(b.build());
    registration.setName("patGuardFilter");
    registration.setUrlPatterns(patterns);
    EnumSet<DispatcherType> types = EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);
    types.addAll(recheck);
    registration.setDispatcherTypes(types);
    // The filter hands a lookup that is not cached yet to an async context, never blocking.
    registration.setAsyncSupported(true);
    registration.setOrder(p.getOrder());
    return registration;
  }

  /** Reads the policy; a missing or malformed one fails start-up naming the property. */
  private static RoutePolicy policy(String location, ResourceLoader resources) {
    RoutePolicy.Format format;
    try {
      format = RoutePolicy.Format.ofFileName(location);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(POLICY, location, e.getMessage());
    }
    Resource resource = resources.getResource(location);
    if (!resource.exists()) {
      throw new InvalidConfigurationPropertyValueException(
          POLICY,
          location,
          "no such resource ("
              + resource.getDescription()
              + "); name a classpath: or file: location");
    }
    try (InputStream in = resource.getInputStream()) {
      return RoutePolicy.read(in, format, location);
    } catch (IOException e) {
      throw new InvalidConfigurationPropertyValueException(
          POLICY, location, "cannot read it: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(POLICY, location, e.getMessage());
    }
  }

  private static List<DispatcherType> dispatchTypes(List<String> names) {
    List<DispatcherType> types = new ArrayList<>();
    for (String name : names) {
      try {
        types.add(DispatcherType.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(
            "patguard.filter.recheck-dispatch-types",
            names,
            "\"" + name.strip() + "\" is not one of FORWARD, INCLUDE, ERROR");
      }
    }
    return types;
  }
}
