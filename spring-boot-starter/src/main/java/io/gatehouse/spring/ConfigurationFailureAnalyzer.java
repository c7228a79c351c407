package io.gatehouse.spring;

import io.gatehouse.core.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a Gatehouse configuration that cannot be used into Spring Boot's "APPLICATION FAILED TO START"
 * report: every problem as {@code file:line: key: message}, instead of a stack of bean creation errors.
 */
final class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    return new FailureAnalysis("Gatehouse cannot start. " + cause.getMessage(),
        "Fix every problem listed: each names the file and line of a gatehouse.* key (in application.properties"
            + " or application.yml, or in the file gatehouse.config-file names). The configuration reference is in"
            + " Gatehouse's README.", cause);
  }
}
