package io.gatehouse.spring;

import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.servlet.GatehouseFilter;
import io.gatehouse.servlet.GatehouseMetrics;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;

/**
 * Gatehouse in a Spring Boot servlet application: the engine, built from the {@code gatehouse.*} keys of
 * the application's configuration (or {@code gatehouse.config-file}), and its filter, registered for every
 * request before Spring Security's filter chain. A configuration with problems stops the application's
 * start, listing every problem with its file and line. With Actuator, a {@code gatehouse} health
 * contributor and the {@code /actuator/gatehouse} endpoint; with Micrometer, the meters.
 *
 * <p>Define a {@link Gatehouse} bean of your own to build the engine yourself.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({GatehouseFilter.class, FilterRegistrationBean.class})
public class GatehouseAutoConfiguration {

  /**
   * The filter's place: ten before Spring Security's filter chain ({@code SecurityProperties.DEFAULT_FILTER_ORDER},
   * -100), so a refused visitor gets Gatehouse's answer (1012, the challenge) rather than Spring Security's
   * 401, and the admin endpoints answer with their own token; after the character encoding filter, so a
   * challenge's form is read in the right charset, and after the observation filter, so refused requests
   * are measured too. Written out rather than read from {@code SecurityProperties}, which moved between
   * Spring Boot 3 and 4.
   */
  public static final int FILTER_ORDER = -110;

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Gatehouse gatehouse(ConfigurableEnvironment environment, ResourceLoader resources) throws ConfigException {
    ClassLoader loader = resources.getClassLoader() != null ? resources.getClassLoader()
        : GatehouseAutoConfiguration.class.getClassLoader();
    return Gatehouse.builder().config(SpringConfiguration.source(environment, loader))
        .environment(SpringConfiguration.variables(environment)).build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "gatehouseFilterRegistration")
  public FilterRegistrationBean<GatehouseFilter> gatehouseFilterRegistration(Gatehouse gatehouse,
      ObjectProvider<GatehouseMetrics> metrics) {
    GatehouseFilter filter = new GatehouseFilter(gatehouse);
    metrics.ifAvailable(filter::withMetrics);
    FilterRegistrationBean<GatehouseFilter> r = new FilterRegistrationBean<>(filter);
    r.setName("gatehouse");
    r.setOrder(FILTER_ORDER);
    r.addUrlPatterns("/*");
    r.setDispatcherTypes(DispatcherType.REQUEST);
    return r;
  }

  /** The health contributor where the health API is Spring Boot 3's. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3Health {
    @Bean
    @ConditionalOnMissingBean(name = "gatehouseHealthIndicator")
    Boot3HealthIndicator gatehouseHealthIndicator(Gatehouse gatehouse) {
      return new Boot3HealthIndicator(gatehouse);
    }
  }

  /** The health contributor where the health API is Spring Boot 4's. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4Health {
    @Bean
    @ConditionalOnMissingBean(name = "gatehouseHealthIndicator")
    Boot4HealthIndicator gatehouseHealthIndicator(Gatehouse gatehouse) {
      return new Boot4HealthIndicator(gatehouse);
    }
  }

  /** The meters, bound by Spring Boot to the application's registry like every {@code MeterBinder} bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Meters {
    @Bean
    @ConditionalOnMissingBean
    GatehouseMetrics gatehouseMetrics(Gatehouse gatehouse) {
      return new GatehouseMetrics(gatehouse);
    }
  }

  /** {@code /actuator/gatehouse}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class ActuatorEndpoint {
    @Bean
    @ConditionalOnMissingBean
    GatehouseEndpoint gatehouseEndpoint(Gatehouse gatehouse) {
      return new GatehouseEndpoint(gatehouse);
    }
  }
}
