package io.gatehouse.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider for tests: records everything at INFO and above into {@link CapturedLogs} and
 * echoes it to standard error (which the build keeps in the test's output file).
 */
public final class CapturingServiceProvider implements SLF4JServiceProvider {

  private final ILoggerFactory loggers = new Factory();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Factory implements ILoggerFactory {
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, CapturingLogger::new);
    }
  }

  private static final class CapturingLogger extends AbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;
    /**
     * Set by the fuzzing runs ({@code gatehouse.testing.discard-logs}): their millions of records are
     * formatted, so that the code building them runs, and then dropped instead of filling the capture
     * and the output file.
     */
    private static final boolean DISCARD = Boolean.getBoolean("gatehouse.testing.discard-logs");

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public void log(LoggingEvent event) {
      Map<String, Object> kv = new LinkedHashMap<>();
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair p : event.getKeyValuePairs()) {
          kv.put(p.key, p.value);
        }
      }
      Object[] args = event.getArgumentArray();
      Throwable thrown = event.getThrowable();
      if (thrown == null && args != null && args.length > 0 && args[args.length - 1] instanceof Throwable t) {
        thrown = t;
      }
      String message = MessageFormatter.basicArrayFormat(event.getMessage(), args);
      store(event.getLevel(), message, kv, thrown);
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
        Throwable t) {
      store(level, MessageFormatter.basicArrayFormat(pattern, args), Map.of(), t);
    }

    private void store(Level level, String message, Map<String, Object> kv, Throwable t) {
      if (DISCARD) {
        return;
      }
      CapturedLogs.add(new CapturedLogs.Entry(name, level, message, kv, t));
      System.err.println(level + " " + name + " - " + message + (kv.isEmpty() ? "" : " " + kv));
      if (t != null) {
        t.printStackTrace();
      }
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }
}
