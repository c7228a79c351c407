package io.gatehouse.spring;

import io.gatehouse.core.Gatehouse;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code gatehouse} health contributor on Spring Boot 4, whose health API is a module of its own. */
final class Boot4HealthIndicator implements HealthIndicator {

  private final Gatehouse gatehouse;

  Boot4HealthIndicator(Gatehouse gatehouse) {
    this.gatehouse = gatehouse;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(GatehouseHealth.details(gatehouse)).build();
  }
}
