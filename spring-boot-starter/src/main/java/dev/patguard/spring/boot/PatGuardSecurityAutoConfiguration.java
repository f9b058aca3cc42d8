package dev.patguard.spring.boot;

import dev.patguard.PatGuard;
import dev.patguard.spring.security.PatGuardMethodSecurity;
import dev.patguard.spring.security.PatGuardSecurity;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * In a servlet web app with Spring Security: the {@link PatGuardSecurity} bean (apply it to your
 * {@code SecurityFilterChain}) and the method-security bean {@code patguard}. No filter chain is
 * declared: the routes are the application's.
 */
@AutoConfiguration(after = PatGuardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpSecurity.class, BearerTokenAuthenticationFilter.class})
@ConditionalOnBean(PatGuard.class)
public class PatGuardSecurityAutoConfiguration {

  /** Creates the auto-configuration (Spring does). */
  public PatGuardSecurityAutoConfiguration() {}

  /**
   * The Spring Security integration.
   *
   * @param guard the guard
   * @param properties the {@code patguard.security.*} properties
   * @return the integration
   */
  @Bean
  @ConditionalOnMissingBean
  public PatGuardSecurity patGuardSecurity(PatGuard guard, PatGuardProperties properties) {
    PatGuardProperties.Security s = properties.getSecurity();
    PatGuardSecurity.Builder b = PatGuardSecurity.builder(guard);
    PatGuardAutoConfiguration.set("patguard.security.realm", s.getRealm(), b::realm);
    PatGuardAutoConfiguration.set(
        "patguard.security.retry-after", s.getRetryAfter(), b::retryAfter);
    PatGuardAutoConfiguration.set(
        "patguard.security.max-token-length", s.getMaxTokenLength(), b::maxTokenLength);
    return b.build();
  }

  /**
   * Answers requests Spring Security's firewall refuses ({@code ..}, {@code //}, {@code ;}, an
   * encoded {@code /}, a method or header it does not accept) with patguard's 400 problem+json, as
   * {@code PatGuardFilter} does, instead of Boot's error page. Spring Security picks up one {@code
   * RequestRejectedHandler} bean; define your own to replace it.
   *
   * @param security the integration
   * @return its problem handler
   */
  @Bean
  @ConditionalOnMissingBean(RequestRejectedHandler.class)
  public RequestRejectedHandler patGuardRequestRejectedHandler(PatGuardSecurity security) {
    return security.problemHandler();
  }

  /**
   * The method-security checks, named {@code patguard} for {@code @PreAuthorize("@patguard.may(
   * authentication, 'releases:deploy', #projectId)")}.
   *
   * @param security the integration
   * @return its method-security checks
   */
  @Bean("patguard")
  @ConditionalOnMissingBean(PatGuardMethodSecurity.class)
  public PatGuardMethodSecurity patguard(PatGuardSecurity security) {
    return security.methodSecurity();
  }
}
