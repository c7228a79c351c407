package io.gatehouse.redis;

import io.gatehouse.core.engine.Engine;
import io.gatehouse.core.policy.Policy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's state in Redis, through Lettuce's asynchronous API: no call waits for Redis, each returns
 * a stage that Redis's answer completes.
 *
 * <h2>Keys</h2>
 * Under the cluster's name ({@code gatehouse.cluster.name}, {@code gatehouse} by default):
 * <pre>
 * NAME:rules             hash: access rule id -> the rule as one line of JSON
 * NAME:rules:held        string: the rules' version, a random value set by every change; present once the
 *                        cluster holds a rule set (an empty one too), so that a flushed Redis is told
 *                        from one whose rules were all removed
 * NAME:rules:changed     channel: announces a change of the rules
 * NAME:events            stream: one entry per security event (field "e"), trimmed to about the newest
 *                        gatehouse.events.capacity
 * NAME:token:NONCE       string, expiring: a challenge token redeemed somewhere in the cluster
 * NAME:broadcast         channel: batches of evidence, revocations and shared addresses
 * NAME:count:KEY         integer, expiring: a rate limiting counter
 * </pre>
 *
 * <h2>Connections and failures</h2>
 * Two connections: one for commands and one for publish/subscribe, which Redis requires to be a
 * connection of its own. Lettuce reconnects either by itself, backing off exponentially from 100 ms to
 * 5 s, and subscribes again; while a connection is down, commands fail at once instead of queueing
 * (there is no unbounded backlog to replay), and a command that Redis does not answer within 2 s fails.
 * When Redis cannot be reached at start, the connections are retried with the same backoff.
 *
 * <p>Thread-safe.
 */
public final class RedisStateStore implements Engine.StateStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);

  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BACKOFF_MIN = Duration.ofMillis(100);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);

  private static final String CHANGE_RULES = """
      local n = tonumber(ARGV[3])
      for i = 0, n - 1 do redis.call('HSET', KEYS[1], ARGV[4 + 2 * i], ARGV[5 + 2 * i]) end
      for i = 4 + 2 * n, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
      redis.call('SET', KEYS[2], ARGV[2])
      redis.call('PUBLISH', ARGV[1], 'changed')
      return 1
      """;
  private static final String SEED_RULES = """
      if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
      for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      redis.call('SET', KEYS[2], ARGV[2])
      redis.call('PUBLISH', ARGV[1], 'changed')
      return 1
      """;
  private static final String READ_RULES = """
      return {redis.call('EXISTS', KEYS[2]), redis.call('HGETALL', KEYS[1])}
      """;

  private final RedisURI uri;
  private final String shown;
  private final String rulesKey;
  private final String heldKey;
  private final String rulesChannel;
  private final String eventsKey;
  private final String broadcastChannel;
  private final String prefix;
  private final ClientResources resources;
  private final RedisClient client;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gatehouse-redis-connect");
    t.setDaemon(true);
    return t;
  });
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile Listener listener;
  private volatile boolean closed;
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  /**
   * A store in the Redis at {@code uri} ({@code redis://} or {@code rediss://}, user and password in the
   * URI), its keys under {@code name}. Nothing connects until {@link #start}.
   */
  public RedisStateStore(URI uri, String name) {
    this.uri = RedisURI.create(uri);
    this.uri.setTimeout(COMMAND_TIMEOUT);
    this.shown = Policy.ClusterSettings.hidePassword(uri.toString());
    this.prefix = name + ":";
    this.rulesKey = prefix + "rules";
    this.heldKey = prefix + "rules:held";
    this.rulesChannel = prefix + "rules:changed";
    this.eventsKey = prefix + "events";
    this.broadcastChannel = prefix + "broadcast";
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(BACKOFF_MIN, BACKOFF_MAX, 2, TimeUnit.MILLISECONDS)).build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(20_000)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build())
        .build());
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (handler == connection) {
          listener.up();
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == connection && !closed) {
          listener.down("connection to " + shown + " lost");
        }
      }
    });
    connect(BACKOFF_MIN);
  }

  /** Opens both connections, or retries after {@code delay}, doubled each time up to 5 s. */
  private void connect(Duration delay) {
    if (closed) {
      return;
    }
    client.connectPubSubAsync(StringCodec.UTF8, uri).thenCompose(sub -> {
      pubSub = sub;
      sub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          Listener l = RedisStateStore.this.listener;
          if (channel.equals(rulesChannel)) {
            l.rulesChanged();
          } else if (channel.equals(broadcastChannel)) {
            l.received(List.of(message));
          }
        }
      });
      return sub.async().subscribe(rulesChannel, broadcastChannel).toCompletableFuture()
          .thenCompose(ok -> client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture());
    }).whenComplete((conn, failure) -> {
      if (failure != null) {
        StatefulRedisPubSubConnection<String, String> sub = pubSub;
        if (sub != null) {
          sub.closeAsync();
          pubSub = null;
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        listener.down("cannot connect to " + shown + ": " + cause.getMessage());
        Duration next = delay.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay.multipliedBy(2);
        if (!closed) {
          retry.schedule(() -> connect(next), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return;
      }
      connection = conn;
      if (closed) {
        conn.closeAsync();
        return;
      }
      LOG.debug("connected to {}", shown);
      listener.up();
    });
  }

  @Override
  public String describe() {
    return shown;
  }

  /** The command interface, or a failed stage's reason when not connected. */
  private RedisAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      throw new IllegalStateException("not connected to " + shown);
    }
    return c.async();
  }

  private static <T> CompletionStage<T> failed(Throwable e) {
    return CompletableFuture.failedFuture(e);
  }

  @Override
  public CompletionStage<Optional<Map<String, String>>> rules() {
    try {
      RedisFuture<List<Object>> f = commands().eval(READ_RULES, ScriptOutputType.MULTI, rulesKey, heldKey);
      return f.thenApply(reply -> {
        if (reply.size() != 2 || !(reply.get(0) instanceof Long held) || !(reply.get(1) instanceof List<?> flat)) {
          throw new IllegalStateException("unexpected reply to reading the rules");
        }
        if (held == 0 && flat.isEmpty()) {
          return Optional.empty();
        }
        Map<String, String> rules = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
          if (flat.get(i) instanceof String id && flat.get(i + 1) instanceof String rule) {
            rules.put(id, rule);
          }
        }
        return Optional.of(rules);
      });
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<String> rulesVersion() {
    try {
      return commands().get(heldKey).thenApply(v -> v == null ? "" : v);
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  /** A fresh version for the rules: random, so no value comes back after Redis was emptied. */
  private String newVersion() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  @Override
  public CompletionStage<Void> changeRules(Map<String, String> put, Set<String> remove) {
    List<String> args = new ArrayList<>();
    args.add(rulesChannel);
    args.add(newVersion());
    args.add(Integer.toString(put.size()));
    put.forEach((id, rule) -> {
      args.add(id);
      args.add(rule);
    });
    args.addAll(remove);
    try {
      return commands().<Long>eval(CHANGE_RULES, ScriptOutputType.INTEGER, new String[] {rulesKey, heldKey},
          args.toArray(String[]::new)).thenApply(ok -> null);
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<Boolean> seedRules(Map<String, String> rules) {
    List<String> args = new ArrayList<>();
    args.add(rulesChannel);
    args.add(newVersion());
    rules.forEach((id, rule) -> {
      args.add(id);
      args.add(rule);
    });
    try {
      return commands().<Long>eval(SEED_RULES, ScriptOutputType.INTEGER, new String[] {rulesKey, heldKey},
          args.toArray(String[]::new)).thenApply(n -> n == 1L);
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<Void> appendEvents(List<String> events, int keep) {
    try {
      RedisAsyncCommands<String, String> c = commands();
      XAddArgs trim = XAddArgs.Builder.maxlen(keep).approximateTrimming();
      List<CompletableFuture<String>> all = new ArrayList<>(events.size());
      for (String e : events) {
        all.add(c.xadd(eventsKey, trim, Map.of("e", e)).toCompletableFuture());
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<List<String>> recentEvents(int limit) {
    try {
      return commands().xrevrange(eventsKey, Range.create("-", "+"), Limit.from(limit)).thenApply(messages -> {
        List<String> out = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> m : messages) {
          // An entry without the field is someone else's or corrupt; the engine skips what it cannot read.
          out.add(m.getBody() == null ? null : m.getBody().get("e"));
        }
        return out;
      });
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<Boolean> claim(String key, Duration lasts) {
    try {
      return commands().set(prefix + key, "1", SetArgs.Builder.nx().px(Math.max(1, lasts.toMillis())))
          .thenApply("OK"::equals);
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<Void> broadcast(List<String> messages) {
    try {
      RedisAsyncCommands<String, String> c = commands();
      List<CompletableFuture<Long>> all = new ArrayList<>(messages.size());
      for (String m : messages) {
        all.add(c.publish(broadcastChannel, m).toCompletableFuture());
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<long[]> addCounts(List<String> keys, long[] amounts, Duration lasts) {
    try {
      RedisAsyncCommands<String, String> c = commands();
      List<CompletableFuture<Long>> totals = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        String key = prefix + "count:" + keys.get(i);
        totals.add(c.incrby(key, amounts[i]).toCompletableFuture());
        c.pexpire(key, Math.max(1, lasts.toMillis()));
      }
      return CompletableFuture.allOf(totals.toArray(CompletableFuture[]::new)).thenApply(ok -> {
        long[] out = new long[totals.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = totals.get(i).join();
        }
        return out;
      });
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    retry.shutdownNow();
    StatefulRedisPubSubConnection<String, String> sub = pubSub;
    if (sub != null) {
      sub.close();
    }
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
