package datahike.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.DatahikeException;
import datahike.Datahike;
import datahike.Database;
import datahike.edn.Keyword;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file database through the public API: durable commits, reopening, flushing, config checks. */
class DurableDbTest {
  @TempDir Path dir;

  private Config cfg(String extra) {
    return Config.parse(
        "{:store {:backend :file :path \"" + dir.resolve("db") + "\"} " + extra + "}");
  }

  private static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  @Test
  void transactions_surviveCloseAndReopen_fromLogThenFromIndices() {
    Config cfg = cfg("");
    Datahike.createDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isTrue();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Alice\" :age 30} {:name \"Bob\" :age 25}]");
      conn.transact("[{:db/id [:name \"Alice\"] :age 31}]");
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Set<List<Object>> rows = Datahike.q("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", conn.db());
      assertThat(rows).containsExactlyInAnyOrder(List.<Object>of("Alice", 31L), List.<Object>of("Bob", 25L));
      Database hist = conn.db().history();
      Set<List<Object>> ages = Datahike.q("[:find ?a :where [?e :name \"Alice\"] [?e :age ?a]]", hist);
      assertThat(ages).hasSize(2);
      conn.transact("[{:name \"Carol\" :age 40}]");
      conn.sync();
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(3L);
      assertThat(conn.db().schema()).containsKey(Keyword.of("age"));
    }
  }

  @Test
  void manyTransactions_flushIndicesAndTruncateLog_andReopenIdentically() {
    Config cfg = cfg(":keep-history? true");
    Datahike.createDatabase(cfg);
    List<?> before;
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      for (int batch = 0; batch < 30; batch++) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 4000; i++) {
          sb.append("{:name \"p").append(i % 20000).append("\" :age ").append(batch).append("}");
        }
        conn.transact(sb.append("]").toString());
      }
      before = conn.db().datoms(":eavt");
    }
    try (Connection conn = Datahike.connect(cfg)) {
      assertThat(conn.db().datoms(":eavt")).isEqualTo(before);
      Object n = Datahike.q("[:find (count ?e) . :where [?e :age 29]]", conn.db());
      assertThat(n).isEqualTo(4000L);
    }
  }

  @Test
  void failedIndexFlush_losesNothing_andNoHeadEverNamesANodeThatWasNotStored() throws Exception {
    // Index flushes run in the background once novelty passes DurableDb.FLUSH_NOVELTY datoms. While
    // blob writes fail, every flush fails: commits must still succeed (their log records are
    // durable), and the nodes a failed flush encoded must not count as stored, or the next
    // successful flush would name nodes that are not there.
    Config cfg = Config.parse("{:store {:backend :flaky :id \"flaky-flush\"} :keep-history? true}");
    Datahike.createDatabase(cfg);
    List<?> before;
    // Past twice the threshold a committer waits for the running flush: at least one has failed.
    int failing = (int) (2 * DurableDb.FLUSH_NOVELTY / 10_000) + 3;
    try {
      try (Connection conn = Datahike.connect(cfg)) {
        conn.transact(SCHEMA);
        FlakyStoreProvider.FAILED_PUTS.set(0);
        FlakyStoreProvider.FAIL_PUTS.set(true);
        for (int batch = 0; batch < failing; batch++) {
          conn.transact(people(batch, 5000));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (FlakyStoreProvider.FAILED_PUTS.get() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        FlakyStoreProvider.FAIL_PUTS.set(false);
        assertThat(FlakyStoreProvider.FAILED_PUTS.get()).isPositive();
        for (int batch = failing; batch < failing + 10; batch++) {
          conn.transact(people(batch, 5000));
        }
        conn.sync();
        before = conn.db().datoms(":eavt");
        Object people = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
        assertThat(people).isEqualTo(5000L * (failing + 10));
      }
      try (Connection conn = Datahike.connect(cfg)) {
        // Reads every node the head names: a node a failed flush never stored would be missing.
        assertThat(conn.db().datoms(":eavt")).isEqualTo(before);
        assertThat(conn.db().history().datoms(":aevt")).hasSize(before.size());
      }
    } finally {
      FlakyStoreProvider.FAIL_PUTS.set(false);
      Datahike.deleteDatabase(cfg);
    }
  }

  @Test
  void flushThreshold_isOneDatomPer4KiBOfHeap_between100kAnd500k() {
    assertThat(DurableDb.flushNovelty(256L << 20)).isEqualTo(100_000);
    assertThat(DurableDb.flushNovelty(512L << 20)).isEqualTo(131_072);
    assertThat(DurableDb.flushNovelty(1L << 30)).isEqualTo(262_144);
    assertThat(DurableDb.flushNovelty(8L << 30)).isEqualTo(500_000);
  }

  /** {@code n} people named by batch and index, each a new entity with two datoms. */
  private static String people(int batch, int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append("{:name \"p").append(batch).append('-').append(i).append("\" :age ").append(i).append("}");
    }
    return sb.append("]").toString();
  }

  @Test
  void concurrentWriters_shareSyncs_andAllLand() throws Exception {
    Config cfg = cfg("");
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int tt = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) conn.transact("[{:name \"w" + tt + "-" + i + "\" :age " + i + "}]");
        }));
      }
      for (Future<?> f : fs) f.get();
      pool.shutdown();
      long[] stats = conn.commitStats();
      assertThat(stats[1]).isEqualTo(801);
      assertThat(stats[0]).isLessThanOrEqualTo(stats[1]);
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(800L);
    }
  }

  @Test
  void concurrentWriters_withRejectedTransactionsAmongThem_landEveryGoodOneOnce() throws Exception {
    // Transactions of many writers are applied back to back by one of them: a rejected one must
    // fail only its own writer and leave the others' state untouched.
    Config cfg = cfg("");
    Datahike.createDatabase(cfg);
    java.util.Map<Long, String> byTx = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger rejected = new java.util.concurrent.atomic.AtomicInteger();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int tt = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 60; i++) {
            if (i % 7 == 3) {
              assertThatThrownBy(() -> conn.transact("[{:name \"bad\" :age \"not a number\"}]"))
                  .isInstanceOf(DatahikeException.class);
              rejected.incrementAndGet();
              continue;
            }
            String name = "w" + tt + "-" + i;
            long tx = conn.transact("[{:name \"" + name + "\" :age " + i + "}]").tx();
            assertThat(byTx.put(tx, name)).as("tx %d acknowledged twice", tx).isNull();
          }
          return null;
        }));
        if (t == 7) fs.add(pool.submit(() -> { conn.sync(); return null; }));
      }
      for (Future<?> f : fs) f.get();
      pool.shutdown();
    }
    assertThat(rejected.get()).isEqualTo(16 * 9);
    try (Connection conn = Datahike.connect(cfg)) {
      Set<List<Object>> names = Datahike.q("[:find ?n :where [_ :name ?n]]", conn.db());
      assertThat(names).hasSize(byTx.size());
      for (String n : byTx.values()) assertThat(names).contains(List.<Object>of(n));
      assertThat(names).doesNotContain(List.<Object>of("bad"));
    }
  }

  @Test
  void connect_withOtherSettings_isRefused_andMissingDatabaseIsClear() {
    Config cfg = cfg(":keep-history? false");
    assertThatThrownBy(() -> Datahike.connect(cfg))
        .isInstanceOf(DatahikeException.class)
        .satisfies(e -> assertThat(((DatahikeException) e).code()).isEqualTo(Keyword.of("db/missing")));
    Datahike.createDatabase(cfg);
    assertThatThrownBy(() -> Datahike.createDatabase(cfg))
        .satisfies(e -> assertThat(((DatahikeException) e).code()).isEqualTo(Keyword.of("db/exists")));
    assertThatThrownBy(() -> Datahike.connect(cfg(":keep-history? true")))
        .satisfies(e -> assertThat(((DatahikeException) e).code()).isEqualTo(Keyword.of("db/config-mismatch")));
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }

  @Test
  void rejectedTransaction_changesNothingDurably() {
    Config cfg = cfg("");
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Alice\" :age 30}]");
      assertThatThrownBy(() -> conn.transact("[{:name \"Bob\" :age \"old\"}]"))
          .isInstanceOf(DatahikeException.class);
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(1L);
      conn.transact("[{:name \"Bob\" :age 20}]");
      assertThat(conn.db().maxTx()).isEqualTo(536870915L);
    }
  }

  @Test
  void exportThenLoadEntities_movesTheWholeHistoryBetweenBackends() {
    Config file = cfg("");
    Datahike.createDatabase(file);
    List<datahike.Datom> exported;
    List<datahike.Datom> history;
    try (Connection conn = Datahike.connect(file)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Alice\" :age 30} {:name \"Bob\" :age 25}]");
      conn.transact("[{:db/id [:name \"Alice\"] :age 31}]");
      conn.transact("[[:db/retractEntity [:name \"Bob\"]]]");
      exported = conn.db().export();
      history = conn.db().history().datoms(":eavt");
    }
    Config mem = Config.builder().build();
    Datahike.createDatabase(mem);
    try (Connection conn = Datahike.connect(mem)) {
      conn.loadEntities(exported);
      assertThat(conn.db().history().datoms(":eavt")).isEqualTo(history);
      assertThat(conn.db().maxTx()).isEqualTo(536870916L);
      conn.transact("[{:name \"Carol\" :age 50}]");
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(2L);
    }
  }

  @Test
  void purge_removesValuesFromIndicesLogAndStoredNodes() throws Exception {
    Config cfg = cfg("");
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Secret-XYZ\" :age 99} {:name \"Public\" :age 1}]");
      conn.sync();
      conn.transact("[[:db.purge/entity [:name \"Secret-XYZ\"]]]");
      assertThat(conn.db().history().datoms(":eavt")).noneMatch(d -> "Secret-XYZ".equals(d.v()));
      assertThat(Datahike.gcStorage(conn, new java.util.Date(System.currentTimeMillis() + 1000))).isPositive();
    }
    assertThat(filesContaining(dir, "Secret-XYZ")).isEmpty();
    try (Connection conn = Datahike.connect(cfg)) {
      assertThat(conn.db().history().datoms(":eavt")).noneMatch(d -> "Secret-XYZ".equals(d.v()));
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(1L);
    }
  }

  private static List<Path> filesContaining(Path root, String text) throws java.io.IOException {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(java.nio.file.Files::isRegularFile)::iterator) {
        byte[] b = java.nio.file.Files.readAllBytes(p);
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
          for (int j = 0; j < needle.length; j++) if (b[i + j] != needle[j]) continue outer;
          hits.add(p);
          break;
        }
      }
    }
    return hits;
  }
}
