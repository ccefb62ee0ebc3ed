package datahike.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import datahike.edn.Keyword;
import datahike.store.Stores;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's Redis (127.0.0.1:6379) as the tests use it: every store gets the key prefix {@code
 * dh<run>:<n>}, unique to this JVM, and {@link #deleteRunKeys} removes every key of the run. Stores
 * get a 2-second writer lease, so a killed writer's lock goes quickly.
 *
 * <p>An unreachable server skips the tests that need it, loudly (the reason names the server and is
 * printed to stderr), unless {@code DATAHIKE_REQUIRE_SERVICES=1}: then they fail.
 */
public final class RedisTestServer {
  /** Where the server is. */
  public static final String SERVER = "Redis at 127.0.0.1:6379";

  /** Prefix of every store this JVM creates. */
  public static final String RUN =
      "dh" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8).substring(0, 6);

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private RedisTestServer() {}

  /** A fresh key prefix, unique in this JVM. */
  public static String newPrefix() {
    return RUN + ":" + PREFIXES.incrementAndGet();
  }

  /** Skips (or, with DATAHIKE_REQUIRE_SERVICES=1, fails) when Redis does not answer. */
  public static void require() {
    try (Raw r = raw()) {
      r.conn().sync().ping();
    } catch (RuntimeException e) {
      String msg = SERVER + " is unreachable, so the Redis store tests cannot run: " + e;
      if ("1".equals(System.getenv("DATAHIKE_REQUIRE_SERVICES"))) {
        fail(msg + " (DATAHIKE_REQUIRE_SERVICES=1 requires it)");
      }
      System.err.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
  }

  /** The store configuration with key prefix {@code prefix}. */
  public static Map<Keyword, Object> config(String prefix) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Stores.BACKEND, Keyword.of("redis"));
    m.put(Keyword.of("host"), "127.0.0.1");
    m.put(Keyword.of("port"), 6379L);
    m.put(Keyword.of("prefix"), prefix);
    m.put(Keyword.of("lock-lease-ms"), 2000L);
    return m;
  }

  /** {@code config(prefix)} as EDN, plus {@code :id prefix} (which core's registry keys by). */
  public static String edn(String prefix) {
    return "{:backend :redis :host \"127.0.0.1\" :port 6379 :prefix \""
        + prefix
        + "\" :lock-lease-ms 2000 :id \""
        + prefix
        + "\"}";
  }

  /** The Redis key {@code suffix} of the store with prefix {@code prefix}. */
  public static byte[] key(String prefix, String suffix) {
    return ("{" + prefix + "}:" + suffix).getBytes(StandardCharsets.UTF_8);
  }

  /** A plain connection, past the store. */
  public static Raw raw() {
    RedisURI uri = RedisURI.create("127.0.0.1", 6379);
    uri.setTimeout(Duration.ofSeconds(5));
    RedisClient client = RedisClient.create(uri);
    try {
      return new Raw(client, client.connect(ByteArrayCodec.INSTANCE));
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw e;
    }
  }

  /** A client and its connection; closing closes both. */
  public record Raw(RedisClient client, StatefulRedisConnection<byte[], byte[]> conn)
      implements AutoCloseable {
    @Override
    public void close() {
      conn.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** Deletes every key of this JVM's stores. */
  public static void deleteRunKeys() {
    try (Raw r = raw()) {
      var redis = r.conn().sync();
      ScanArgs args = ScanArgs.Builder.matches("{" + RUN + ":*").limit(1000);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page = redis.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          redis.del(page.getKeys().toArray(new byte[0][]));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } catch (RuntimeException e) {
      System.err.println("could not delete the test keys {" + RUN + ":* on " + SERVER + ": " + e);
    }
  }
}
