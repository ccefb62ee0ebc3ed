package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.redis.RedisTestServer;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on Redis. The hooks damage keys behind the store's back through a plain
 * connection; every key of the run is deleted at the end.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class StoreRedisTest extends AbstractStoreContractTest {
  private static final Keyword PREFIX = Keyword.of("prefix");

  @BeforeAll
  static void server() {
    RedisTestServer.require();
  }

  @AfterAll
  static void deleteKeys() {
    RedisTestServer.deleteRunKeys();
  }

  @Override
  protected Map<Keyword, Object> newConfig() {
    return new HashMap<>(RedisTestServer.config(RedisTestServer.newPrefix()));
  }

  private static byte[] key(Map<Keyword, Object> config, String suffix) {
    return RedisTestServer.key(config.get(PREFIX).toString(), suffix);
  }

  private static <T> T withRedis(java.util.function.Function<RedisCommands<byte[], byte[]>, T> f) {
    try (RedisTestServer.Raw r = RedisTestServer.raw()) {
      return f.apply(r.conn().sync());
    }
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String k) {
    return withRedis(r -> r.get(key(config, "b:" + k)));
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String k, byte[] framed) {
    withRedis(r -> r.set(key(config, "b:" + k), framed));
  }

  /** The first sequence of the group holding {@code seq} (the last group when seq is huge). */
  private static long groupOf(
      RedisCommands<byte[], byte[]> r, Map<Keyword, Object> config, long seq) {
    List<byte[]> g =
        r.zrevrangebyscore(
            key(config, "logidx"),
            io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) seq),
            io.lettuce.core.Limit.create(0, 1));
    return Long.parseLong(new String(g.get(0), StandardCharsets.US_ASCII));
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) {
    withRedis(
        r -> {
          byte[] k = key(config, "log:" + groupOf(r, config, seq));
          byte[] b = r.get(k);
          b[offset] ^= 0x10;
          return r.set(k, b);
        });
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) {
    withRedis(
        r -> {
          byte[] k = key(config, "log:" + groupOf(r, config, Long.MAX_VALUE));
          byte[] b = r.get(k);
          return r.set(k, Arrays.copyOf(b, b.length - n));
        });
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) {
    withRedis(
        r -> {
          long next =
              Long.parseLong(new String(r.get(key(config, "seq")), StandardCharsets.US_ASCII)) + 1;
          r.set(key(config, "log:" + next), bytes);
          r.zadd(
              key(config, "logidx"),
              (double) next,
              Long.toString(next).getBytes(StandardCharsets.US_ASCII));
          return r.incr(key(config, "seq"));
        });
  }

  /**
   * The kit's version ends by removing {@code :path} and {@code :id}; a Redis store needs neither
   * (host, port and prefix have defaults), so the last step checks malformed settings instead.
   */
  @Override
  @Test
  void stores_unknownOrMissingBackend_clearErrors() {
    assertThatThrownBy(() -> Stores.open(Map.of(Stores.BACKEND, Keyword.of("nope"))))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/unknown-backend");
              assertThat(e.getMessage()).contains(":nope").contains("redis").contains("memory");
            });
    assertThatThrownBy(() -> Stores.open(Map.of()))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    for (Map.Entry<String, Object> bad :
        Map.<String, Object>of("port", "not-a-port", "prefix", "a{b}", "uri", "ftp://x")
            .entrySet()) {
      Map<Keyword, Object> cfg = new HashMap<>(newConfig());
      cfg.put(Keyword.of(bad.getKey()), bad.getValue());
      assertThatThrownBy(() -> Stores.open(cfg))
          .as(bad.getKey())
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    }
  }

  /** A writer whose lease ran out (a stalled process) cannot write beside its successor. */
  @Test
  void append_afterLeaseLostToAnotherWriter_failsNotLocked() {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    Store b = open(cfg);
    Store.WriterLock la = a.lockWriter(Duration.ofSeconds(5));
    assertThat(a.append(List.of(bytes("a1")))).isEqualTo(1);
    withRedis(r -> r.del(key(cfg, "lock"))); // as if a's lease had run out
    try (Store.WriterLock lb = b.lockWriter(Duration.ofSeconds(5))) {
      assertThat(b.append(List.of(bytes("b2")))).isEqualTo(2);
      assertThatThrownBy(() -> a.append(List.of(bytes("a-late"))))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/not-locked"));
      assertThatThrownBy(() -> a.truncateLogBefore(2))
          .satisfies(t -> assertThat(code(t)).isIn("store/not-locked", "store/io"));
      la.close(); // must not release b's lock
      assertThatThrownBy(() -> a.lockWriter(Duration.ZERO))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThat(b.append(List.of(bytes("b3")))).isEqualTo(3);
    }
    assertThat(a.readLog(1).stream().map(e -> str(e.payload()))).containsExactly("a1", "b2", "b3");
  }

  /** The lease is renewed while held: a writer holding the lock past its lease keeps it. */
  @Test
  void lockWriter_heldPastLease_renewedAndStillExclusive() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    cfg.put(Keyword.of("lock-lease-ms"), 400L);
    Store a = open(cfg);
    Store b = open(cfg);
    try (Store.WriterLock l = a.lockWriter(Duration.ofSeconds(5))) {
      Thread.sleep(1500);
      assertThatThrownBy(() -> b.lockWriter(Duration.ofMillis(100)))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThat(a.append(List.of(bytes("still mine")))).isEqualTo(1);
    }
    b.lockWriter(Duration.ZERO).close();
  }

  /** Deleting a store removes every key under its prefix. */
  @Test
  void deleteAll_leavesNoKeyBehind() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.putAll(Map.of("a", bytes("1"), "b", bytes("2")));
    s.casHead(null, bytes("h"));
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("r1")));
      s.append(List.of(bytes("r2")));
    }
    s.deleteAll();
    String pattern = "{" + cfg.get(PREFIX) + "}:*";
    List<byte[]> left =
        withRedis(r -> r.scan(ScanArgs.Builder.matches(pattern).limit(10_000)).getKeys());
    assertThat(left).isEmpty();
  }
}
