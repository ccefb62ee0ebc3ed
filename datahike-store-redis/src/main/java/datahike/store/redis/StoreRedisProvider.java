package datahike.store.redis;

import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.StoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provides the Redis backend, {@code {:backend :redis :host "localhost" :port 6379}} (or {@code
 * :uri}; optional {@code :prefix}, else derived from {@code :id}, and {@code :lock-lease-ms}); see
 * {@link RedisConfig}. Internal: public only for {@link java.util.ServiceLoader}.
 */
public final class StoreRedisProvider implements StoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public StoreRedisProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("redis");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    return StoreRedis.open(RedisConfig.parse(config));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return StoreRedis.exists(RedisConfig.parse(config));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    RedisConfig cfg = RedisConfig.parse(config);
    if (!StoreRedis.exists(cfg)) {
      return;
    }
    try (Store s = StoreRedis.open(cfg)) {
      s.deleteAll();
    }
  }
}
