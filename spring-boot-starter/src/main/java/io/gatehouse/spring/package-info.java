/**
 * Gatehouse on Spring Boot 3.5 and 4.0: auto-configuration that builds the engine from the
 * {@code gatehouse.*} keys of the application's own configuration (or from
 * {@code gatehouse.config-file}), registers the filter before Spring Security's filter chain, and, where
 * Actuator and Micrometer are present, adds the {@code gatehouse} health contributor, the
 * {@code /actuator/gatehouse} endpoint and the meters.
 */
package io.gatehouse.spring;
