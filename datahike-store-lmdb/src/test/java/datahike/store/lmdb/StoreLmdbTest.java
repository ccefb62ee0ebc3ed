package datahike.store.lmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.AbstractStoreContractTest;
import datahike.store.LogCodec;
import datahike.store.LogEntry;
import datahike.store.Store;
import datahike.store.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;

/**
 * The store contract on the LMDB backend (with a small initial map, so growing is exercised), plus
 * what only LMDB has: map growth under large values, keys past LMDB's key limit, a writer process
 * killed mid-append, the writer lock held by another process.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class StoreLmdbTest extends AbstractStoreContractTest {
  @TempDir Path tmp;
  private int stores;

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static String code(Throwable t) {
    return ((DatahikeException) t).code().fullName();
  }

  static List<Long> seqs(List<LogEntry> entries) {
    List<Long> out = new ArrayList<>();
    for (LogEntry e : entries) {
      out.add(e.seq());
    }
    return out;
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  @Override
  protected Map<Keyword, Object> newConfig() {
    Map<Keyword, Object> m = new HashMap<>();
    m.put(Stores.BACKEND, Keyword.of("lmdb"));
    m.put(Keyword.of("path"), tmp.resolve("db" + stores++).toString());
    m.put(Keyword.of("map-size"), 1L << 20);
    return m;
  }

  private static Path root(Map<Keyword, Object> config) throws Exception {
    return Path.of(config.get(Keyword.of("path")).toString()).toRealPath();
  }

  /** Runs {@code f} on the store's environment, shared with any open store as LMDB requires. */
  private static <R> R withEnv(Map<Keyword, Object> config, Function<LmdbEnv, R> f)
      throws Exception {
    LmdbEnv env = LmdbEnv.acquire(root(config), 1L << 20);
    try {
      return f.apply(env);
    } finally {
      env.release();
    }
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String key) throws Exception {
    return withEnv(
        config, env -> env.read(txn -> env.blobs.get(txn, StoreLmdb.blobKey(key, env.maxKeySize))));
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String key, byte[] framed) throws Exception {
    withEnv(
        config,
        env ->
            env.write(txn -> env.blobs.put(txn, StoreLmdb.blobKey(key, env.maxKeySize), framed)));
  }

  /** Replaces the value of the log group holding {@code seq} (the last group for MAX_VALUE). */
  private static void editGroup(
      Map<Keyword, Object> config, long seq, Function<byte[], byte[]> edit) throws Exception {
    withEnv(
        config,
        env ->
            env.write(
                txn -> {
                  try (Cursor<byte[]> c = env.log.openCursor(txn)) {
                    boolean ok =
                        c.get(LmdbEnv.logKey(seq), GetOp.MDB_SET_RANGE)
                            ? LmdbEnv.logSeq(c.key()) == seq || c.prev()
                            : c.last();
                    assertThat(ok).as("a group holds %d", seq).isTrue();
                    env.log.put(txn, c.key(), edit.apply(c.val()));
                  }
                  return null;
                }));
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) throws Exception {
    editGroup(
        config,
        seq,
        v -> {
          v[offset] ^= 0x10;
          return v;
        });
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) throws Exception {
    editGroup(config, Long.MAX_VALUE, v -> Arrays.copyOf(v, v.length - n));
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) throws Exception {
    withEnv(
        config,
        env ->
            env.write(
                txn -> {
                  long next = 1;
                  try (Cursor<byte[]> c = env.log.openCursor(txn)) {
                    if (c.last()) {
                      next = LmdbEnv.logSeq(c.key()) + LogCodec.count(c.val(), 0);
                    }
                  }
                  return env.log.put(txn, LmdbEnv.logKey(next), bytes);
                }));
  }

  @Test
  void mapFull_growsForLargeValuesAndSurvivesReopen() throws Exception {
    Map<Keyword, Object> cfg = newConfig(); // 1 MiB map
    byte[] big = new byte[40 << 20];
    new Random(1).nextBytes(big);
    Store s = open(cfg);
    Map<String, byte[]> batch = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      batch.put("big-" + i, Arrays.copyOfRange(big, i, (17 << 20) + i));
    }
    s.putAll(batch);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      assertThat(s.append(List.of(big))).isEqualTo(1);
    }
    long grown = ((StoreLmdb) s).env().mapSize();
    assertThat(grown).isGreaterThanOrEqualTo(90L << 20);
    s.close();
    Store again = open(cfg);
    assertThat(again.get("big-2")).isEqualTo(batch.get("big-2"));
    assertThat(again.readLog(1).get(0).payload()).isEqualTo(big);
  }

  @Test
  void keysPastLmdbKeyLimit_storedHashedAndListedByName() {
    Store s = open(newConfig());
    String euro = "€".repeat(200); // 600 UTF-8 bytes, past LMDB's 511
    String euro2 = "€".repeat(199) + "x";
    s.putAll(Map.of(euro, bytes("long"), euro2, bytes("long 2"), "short", bytes("short")));
    assertThat(str(s.get(euro))).isEqualTo("long");
    assertThat(str(s.get(euro2))).isEqualTo("long 2");
    assertThat(s.list()).containsExactlyInAnyOrder(euro, euro2, "short");
    s.delete(List.of(euro));
    assertThat(s.get(euro)).isNull();
    assertThat(s.list()).containsExactlyInAnyOrder(euro2, "short");
  }

  @Test
  void open_directoryOfOtherFiles_refused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("not-a-store"));
    Files.write(dir.resolve("precious.txt"), bytes("mine"));
    Map<Keyword, Object> cfg = newConfig();
    cfg.put(Keyword.of("path"), dir.toString());
    assertThatThrownBy(() -> Stores.open(cfg))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    assertThat(dir.resolve("precious.txt")).exists();
  }

  @Test
  void lockWriter_heldByOtherProcess_excludesUntilReleasedOrKilled() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    open(cfg).close();
    String path = cfg.get(Keyword.of("path")).toString();
    Process child = LmdbChildMain.start("lock", path);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("LOCKED");
      Store s = open(cfg);
      assertThatThrownBy(() -> s.lockWriter(Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName()).isEqualTo("store/locked");
                assertThat(e.getMessage()).contains("process " + child.pid());
              });
      child.getOutputStream().close(); // the child releases and exits
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        assertThat(s.append(List.of(bytes("parent")))).isEqualTo(2); // the child appended 1
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Process killed = LmdbChildMain.start("lock", path);
      BufferedReader kout =
          new BufferedReader(
              new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8));
      assertThat(kout.readLine()).isEqualTo("LOCKED");
      killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        assertThat(s.append(List.of(bytes("after kill")))).isEqualTo(4);
      }
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * Crash test: a child JVM appends from four threads and is killed ({@code destroyForcibly},
   * SIGKILL) after 400 acknowledgements; three rounds on one store. After each kill every
   * acknowledged record is in the log under the sequence number it was acknowledged with, the log
   * is dense, and a new writer continues the numbering.
   */
  @Test
  void writerKilledMidAppend_everyAcknowledgedRecordSurvives() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    open(cfg).close();
    Map<Long, String> acked = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      Process child = LmdbChildMain.start("append", cfg.get(Keyword.of("path")).toString());
      int before = acked.size();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while (acked.size() < before + 400 && (line = out.readLine()) != null) {
          String[] parts = line.split(" ");
          acked.put(Long.parseLong(parts[0]), "round" + round + ":" + parts[1]);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(acked).hasSize(before + 400);
      try (Store s = Stores.open(cfg)) {
        s.lockWriter(Duration.ofSeconds(30)).close();
        List<LogEntry> log = s.readLog(1);
        assertThat(seqs(log)).isEqualTo(range(1, log.size()));
        Map<Long, String> stored = new HashMap<>();
        for (LogEntry e : log) {
          stored.put(e.seq(), str(e.payload()));
        }
        for (Map.Entry<Long, String> e : acked.entrySet()) {
          String payload = e.getValue().substring(e.getValue().indexOf(':') + 1);
          assertThat(stored.get(e.getKey())).as("record %d", e.getKey()).isEqualTo(payload);
        }
      }
    }
  }

  @Test
  void groupCommit_concurrentAppendersShareTransactions() throws Exception {
    Store s = open(newConfig());
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    s.append(List.of(bytes("x")));
                  }
                });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
    }
    StoreLmdb lm = (StoreLmdb) s;
    assertThat(lm.committer().items()).isEqualTo(800);
    assertThat(lm.committer().flushes()).isLessThan(800);
    assertThat(seqs(s.readLog(1))).isEqualTo(range(1, 800));
  }

  @Test
  void create_afterInterruptedDelete_startsEmpty() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    try (Store s = Stores.open(cfg)) {
      s.casHead(null, bytes("old"));
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
        s.append(List.of(bytes("old record")));
      }
    }
    Files.delete(root(cfg).resolve(StoreLmdb.FORMAT_FILE)); // deletion got this far, then crashed
    assertThat(Stores.exists(cfg)).isFalse();
    Store fresh = open(cfg);
    assertThat(fresh.readHead()).isNull();
    assertThat(fresh.readLog(1)).isEmpty();
  }
}
