package io.gatehouse.spring;

import io.gatehouse.core.Gatehouse;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The {@code gatehouse} health contributor on Spring Boot 3, whose health API is in Actuator. */
final class Boot3HealthIndicator implements HealthIndicator {

  private final Gatehouse gatehouse;

  Boot3HealthIndicator(Gatehouse gatehouse) {
    this.gatehouse = gatehouse;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(GatehouseHealth.details(gatehouse)).build();
  }
}
