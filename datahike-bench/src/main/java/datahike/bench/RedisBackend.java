package datahike.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;

/**
 * The Redis store on the machine's server (127.0.0.1:6379, as its tests use it). Each bench
 * database is its own key prefix ({@code :prefix "<id>"}, every key {@code {<id>}:...}); clean-up
 * deletes whatever keys of that prefix the store's own deletion left.
 */
final class RedisBackend extends Backend {
  private static final int PORT = 6379;

  RedisBackend() {
    super("redis", "redis");
  }

  @Override
  String serverUnavailable() {
    return tcpUnavailable("Redis", PORT);
  }

  @Override
  String storeEdn(String id) {
    return "{:backend :redis :host \"127.0.0.1\" :port "
        + PORT
        + " :prefix "
        + edn(id)
        + " :id "
        + edn(id)
        + "}";
  }

  @Override
  String cleanUp(String id) {
    RedisURI uri = RedisURI.create("127.0.0.1", PORT);
    uri.setTimeout(Duration.ofSeconds(5));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> redis = conn.sync();
      ScanArgs args = ScanArgs.Builder.matches("{" + id + "}*").limit(1000);
      ScanCursor cursor = ScanCursor.INITIAL;
      long deleted = 0;
      do {
        KeyScanCursor<byte[]> page = redis.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          deleted += redis.del(page.getKeys().toArray(new byte[0][]));
        }
        cursor = page;
      } while (!cursor.isFinished());
      return deleted == 0 ? null : deleted + " Redis keys {" + id + "}*";
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
