package io.gatehouse.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/** What the event recorder says when SLF4J has nowhere to write. */
class EventRecorderTest {

  @Test
  void withoutAnSlf4jProviderTheOperatorIsToldWhatToAdd() {
    assertThat(EventRecorder.noProviderWarning(new NOPLoggerFactory()))
        .startsWith("Gatehouse: no SLF4J provider is on the classpath, so security events (logger gatehouse.events)")
        .contains("org.slf4j:slf4j-jdk14", "ch.qos.logback:logback-classic");
  }

  @Test
  void withAProviderNothingIsSaid() {
    assertThat(EventRecorder.noProviderWarning(LoggerFactory.getILoggerFactory())).isNull();
  }
}
