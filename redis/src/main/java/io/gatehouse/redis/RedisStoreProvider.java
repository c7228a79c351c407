package io.gatehouse.redis;

import io.gatehouse.core.engine.Engine;
import java.net.URI;
import java.util.Locale;

/**
 * Opens a {@link RedisStateStore} for {@code gatehouse.cluster.redis}: the {@code redis} and {@code rediss}
 * schemes. Found by the engine through {@link java.util.ServiceLoader}, so having this module on the
 * classpath is all it takes. Thread-safe.
 */
public final class RedisStoreProvider implements Engine.StateStore.Provider {

  @Override
  public boolean opens(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("redis") || scheme.equals("rediss");
  }

  @Override
  public Engine.StateStore open(URI uri, String name) {
    return new RedisStateStore(uri, name);
  }
}
