package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on the tiered backend, memory in front of file; the hooks damage the file tier
 * (and both tiers for blobs, since reads come from the frontend first). Plus the policies: fills on
 * a miss, write-around, backend-only reads, head/log/lock in the backend.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class StoreTieredTest extends AbstractStoreContractTest {
  @TempDir Path tmp;
  private int stores;

  private Map<Keyword, Object> tiered(String write, String read) {
    Map<Keyword, Object> front = new HashMap<>();
    front.put(Stores.BACKEND, Keyword.of("memory"));
    front.put(Keyword.of("id"), "front-" + UUID.randomUUID());
    Map<Keyword, Object> back = fileConfig(tmp.resolve("db" + stores++));
    back.put(Keyword.of("log-segment-bytes"), 4096);
    Map<Keyword, Object> m = new HashMap<>();
    m.put(Stores.BACKEND, Keyword.of("tiered"));
    m.put(Keyword.of("frontend-config"), front);
    m.put(Keyword.of("backend-config"), back);
    m.put(Keyword.of("write-policy"), Keyword.of(write));
    m.put(Keyword.of("read-policy"), Keyword.of(read));
    return m;
  }

  @Override
  protected Map<Keyword, Object> newConfig() {
    return tiered("write-through", "frontend-first");
  }

  @SuppressWarnings("unchecked")
  private static Map<Keyword, Object> tier(Map<Keyword, Object> config, String which) {
    return (Map<Keyword, Object>) config.get(Keyword.of(which + "-config"));
  }

  private static Path root(Map<Keyword, Object> config) {
    return Path.of(tier(config, "backend").get(Keyword.of("path")).toString());
  }

  private static StoreMemory.Data front(Map<Keyword, Object> config) {
    return StoreMemory.REGISTRY.get(tier(config, "frontend").get(Keyword.of("id")).toString());
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String key) throws Exception {
    return PackLayout.read(root(config), key);
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String key, byte[] framed) throws Exception {
    PackLayout.replace(root(config), key, framed);
    front(config).blobs.put(key, framed.clone());
  }

  private static List<Path> segments(Map<Keyword, Object> config) throws Exception {
    try (Stream<Path> s = Files.list(root(config).resolve("log"))) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) throws Exception {
    for (Path seg : segments(config)) {
      byte[] b = Files.readAllBytes(seg);
      int pos = LogSegments.SEGMENT_HEADER_BYTES;
      while (pos + BlobFrame.OVERHEAD <= b.length && BlobFrame.getInt(b, pos) == BlobFrame.MAGIC) {
        long first = LogCodec.firstSeq(b, pos);
        if (seq >= first && seq < first + LogCodec.count(b, pos)) {
          b[pos + offset] ^= 0x10;
          Files.write(seg, b);
          return;
        }
        pos += BlobFrame.getInt(b, pos + 8) + BlobFrame.OVERHEAD;
      }
    }
    throw new AssertionError("no group holds " + seq);
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) throws Exception {
    List<Path> segs = segments(config);
    LogLayout.tearTail(segs.get(segs.size() - 1), n);
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) throws Exception {
    List<Path> segs = segments(config);
    LogLayout.garbageAfterGroups(segs.get(segs.size() - 1), bytes);
  }

  @Override
  protected boolean damageNewestHead(Map<Keyword, Object> config) throws Exception {
    Path newest = null;
    long best = -1;
    for (int i = 0; i < 2; i++) {
      Path p = root(config).resolve("head." + i);
      if (Files.exists(p)) {
        byte[] payload = BlobFrame.decode("", Files.readAllBytes(p), BlobFrame.KIND_HEAD).payload();
        long seq = BlobFrame.getLong(payload, 0);
        if (seq > best) {
          best = seq;
          newest = p;
        }
      }
    }
    byte[] b = Files.readAllBytes(newest);
    b[b.length - 6] ^= 0x10;
    Files.write(newest, b);
    return true;
  }

  /**
   * The kit's version removes {@code :path} and {@code :id}; a tiered store is located by its
   * tiers, so this one removes {@code :backend-config}. The rest is the kit's test.
   */
  @Test
  @Override
  void stores_unknownOrMissingBackend_clearErrors() {
    assertThatThrownBy(() -> Stores.open(Map.of(Stores.BACKEND, Keyword.of("nope"))))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/unknown-backend");
              assertThat(e.getMessage()).contains(":nope").contains("tiered").contains("memory");
            });
    assertThatThrownBy(() -> Stores.open(Map.of()))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    Map<Keyword, Object> cfg = new HashMap<>(newConfig());
    cfg.remove(Keyword.of("backend-config"));
    assertThatThrownBy(() -> Stores.open(cfg))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
  }

  @Test
  void open_badPolicyOrNestedTier_isConfigError() {
    Map<Keyword, Object> bad = newConfig();
    bad.put(Keyword.of("write-policy"), Keyword.of("write-back"));
    assertThatThrownBy(() -> Stores.open(bad))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> assertThat(e.getMessage()).contains(":write-through or :write-around"));
    Map<Keyword, Object> nested = newConfig();
    nested.put(Keyword.of("frontend-config"), newConfig());
    assertThatThrownBy(() -> Stores.open(nested))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
  }

  @Test
  void get_frontendMiss_readsBackendAndFillsFrontend() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.put("k", bytes("v"));
    Store front = open(tier(cfg, "frontend"));
    assertThat(str(front.get("k"))).as("write-through").isEqualTo("v");
    front.delete(List.of("k"));
    assertThat(str(s.get("k"))).isEqualTo("v");
    assertThat(str(front.get("k"))).as("filled on the miss").isEqualTo("v");
  }

  @Test
  void writeAround_backendOnlyAndFrontendDropsStaleCopy() {
    Map<Keyword, Object> cfg = tiered("write-around", "frontend-first");
    Store s = open(cfg);
    Store front = open(tier(cfg, "frontend"));
    Store back = open(tier(cfg, "backend"));
    front.put("k", bytes("stale"));
    s.put("k", bytes("new"));
    assertThat(front.get("k")).isNull();
    assertThat(str(back.get("k"))).isEqualTo("new");
    assertThat(str(s.get("k"))).isEqualTo("new");
    assertThat(str(front.get("k"))).isEqualTo("new");
  }

  @Test
  void backendOnly_neverReadsFrontend() {
    Map<Keyword, Object> cfg = tiered("write-through", "backend-only");
    Store s = open(cfg);
    s.put("k", bytes("v"));
    Store front = open(tier(cfg, "frontend"));
    front.put("k", bytes("other"));
    assertThat(str(s.get("k"))).isEqualTo("v");
  }

  @Test
  void headLogAndLock_liveInBackendOnly() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.casHead(null, bytes("h"));
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("r")));
      Store back = open(tier(cfg, "backend"));
      assertThatThrownBy(() -> back.lockWriter(Duration.ZERO))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThat(str(back.readHead())).isEqualTo("h");
      assertThat(seqs(back.readLog(1))).containsExactly(1L);
    }
    Store front = open(tier(cfg, "frontend"));
    assertThat(front.readHead()).isNull();
    assertThat(front.readLog(1)).isEmpty();
    assertThat(Stores.exists(cfg)).isTrue();
  }

  @Test
  void database_memoryOverFile_throughPublicApi() {
    Path db = tmp.resolve("api-db");
    String id = "tiered-api-" + UUID.randomUUID();
    String store =
        "{:backend :tiered :id \""
            + id
            + "\" :frontend-config {:backend :memory :id \""
            + id
            + "\"} :backend-config {:backend :file :path \""
            + db
            + "\"} :write-policy :write-through :read-policy :frontend-first}";
    Config cfg = Config.parse("{:store " + store + "}");
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality"
              + " :db.cardinality/one}]");
      for (int i = 0; i < 30; i++) {
        conn.transact("[{:name \"n" + i + "\"}]");
      }
      conn.sync();
    }
    // The file tier alone holds the database: drop the cache and reconnect.
    Stores.delete(Map.of(Stores.BACKEND, Keyword.of("memory"), Keyword.of("id"), id));
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(30L);
      conn.transact("[{:name \"after\"}]");
    }
    assertThat(Files.exists(db.resolve("format"))).isTrue();
    try (Connection conn = Datahike.connect(cfg)) {
      Set<List<Object>> names = Datahike.q("[:find ?n :where [_ :name ?n]]", conn.db());
      List<Object> all = new ArrayList<>();
      names.forEach(r -> all.add(r.get(0)));
      assertThat(all).hasSize(31).contains("after", "n0", "n29");
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }
}
