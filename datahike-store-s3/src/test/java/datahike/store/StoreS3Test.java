package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.s3.S3TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store contract on the S3 backend, against s3proxy in-process (see {@link S3TestServer}); each
 * store lives under a fresh prefix of one bucket. The hooks reach behind the store with a plain SDK
 * client. In package {@code datahike.store} to use the core's log codec in the hooks and to restate
 * one kit test whose idea of "the location key" is {@code :path}/{@code :id}.
 */
class StoreS3Test extends AbstractStoreContractTest {
  static final String BUCKET = "contract";
  static S3TestServer server;
  static S3Client raw;

  @BeforeAll
  static void start() {
    server = S3TestServer.start();
    server.createBucket(BUCKET);
    raw = S3TestServer.client(server.endpoint());
  }

  @AfterAll
  static void stop() {
    raw.close();
    server.close();
  }

  @Override
  protected Map<Keyword, Object> newConfig() {
    return server.config(BUCKET, "t-" + UUID.randomUUID() + "/");
  }

  private static String prefix(Map<Keyword, Object> config) {
    return config.get(Keyword.of("prefix")).toString();
  }

  private static byte[] getRaw(String key) {
    return raw.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static void putRaw(String key, byte[] bytes) {
    raw.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String key) {
    return getRaw(prefix(config) + "blobs/" + key); // the kit's keys here are plain names
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String key, byte[] framed) {
    putRaw(prefix(config) + "blobs/" + key, framed);
  }

  /** The log objects' keys, in order. */
  private static List<String> logKeys(Map<Keyword, Object> config) {
    List<String> out = new ArrayList<>();
    for (S3Object o :
        raw.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix(config) + "log/")).contents()) {
      out.add(o.key());
    }
    return out;
  }

  private static long firstOf(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) {
    List<String> keys = logKeys(config);
    for (int i = keys.size() - 1; i >= 0; i--) {
      if (firstOf(keys.get(i)) <= seq) {
        byte[] b = getRaw(keys.get(i));
        b[offset] ^= 0x10;
        putRaw(keys.get(i), b);
        return;
      }
    }
    throw new AssertionError("no group holds " + seq);
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) {
    List<String> keys = logKeys(config);
    String last = keys.get(keys.size() - 1);
    byte[] b = getRaw(last);
    putRaw(last, Arrays.copyOf(b, b.length - n));
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) {
    List<String> keys = logKeys(config);
    long next = 1;
    if (!keys.isEmpty()) {
      String last = keys.get(keys.size() - 1);
      next = firstOf(last) + LogCodec.count(getRaw(last), 0);
    }
    putRaw(prefix(config) + "log/" + String.format("%020d", next), bytes);
  }

  /**
   * The kit's version removes {@code :path} and {@code :id}; an S3 store is located by {@code
   * :bucket}, so this one removes that. The rest is the kit's test.
   */
  @Test
  @Override
  void stores_unknownOrMissingBackend_clearErrors() {
    assertThatThrownBy(() -> Stores.open(Map.of(Stores.BACKEND, Keyword.of("nope"))))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/unknown-backend");
              assertThat(e.getMessage()).contains(":nope").contains("s3").contains("memory");
            });
    assertThatThrownBy(() -> Stores.open(Map.of()))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    Map<Keyword, Object> cfg = new HashMap<>(newConfig());
    cfg.remove(Keyword.of("bucket"));
    assertThatThrownBy(() -> Stores.open(cfg))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
  }

  @Test
  void open_missingBucket_isConfigError() {
    Map<Keyword, Object> cfg = newConfig();
    cfg.put(Keyword.of("bucket"), "no-such-bucket");
    assertThatThrownBy(() -> Stores.open(cfg))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/config");
              assertThat(e.getMessage()).contains("no-such-bucket");
            });
  }

  @Test
  void keys_oddAndLong_roundTripAndList() {
    Store s = open(newConfig());
    String longCjk = "漢".repeat(200); // 600 UTF-8 bytes, 1800 once escaped: stored as base64url
    Map<String, byte[]> m = new HashMap<>();
    m.put(longCjk, bytes("cjk"));
    m.put("~tilde", bytes("tilde"));
    m.put("a/b/../c", bytes("slashes"));
    s.putAll(m);
    for (Map.Entry<String, byte[]> e : m.entrySet()) {
      assertThat(s.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(s.list()).containsExactlyInAnyOrderElementsOf(m.keySet());
  }

  @Test
  void create_afterInterruptedDelete_startsEmpty() {
    Map<Keyword, Object> cfg = newConfig();
    try (Store s = Stores.open(cfg)) {
      s.casHead(null, bytes("old"));
      try (Store.WriterLock l = s.lockWriter(java.time.Duration.ofSeconds(5))) {
        s.append(List.of(bytes("old record")));
      }
    }
    raw.deleteObject(b -> b.bucket(BUCKET).key(prefix(cfg) + "format")); // deletion got this far
    assertThat(Stores.exists(cfg)).isFalse();
    Store fresh = open(cfg);
    assertThat(fresh.readHead()).isNull();
    assertThat(fresh.readLog(1)).isEmpty();
  }
}
