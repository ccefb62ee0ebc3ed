package datahike.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.LogEntry;
import datahike.store.Store;
import datahike.store.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis through the public API and across processes. What the Redis store promises here (the
 * machine's Redis keeps nothing on disk) is what these check: acknowledged writes survive the
 * writer's process, its connection and a new client; the writer lock excludes other processes and
 * goes with a killed holder once its lease ends. Surviving a Redis restart is not promised, so not
 * tested.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class RedisProcessTest {
  private static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  @BeforeAll
  static void server() {
    RedisTestServer.require();
  }

  @AfterAll
  static void deleteKeys() {
    RedisTestServer.deleteRunKeys();
  }

  private static BufferedReader lines(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  @Test
  void database_createConnectTransactCloseReconnectQuery() {
    Config cfg = Config.parse("{:store " + RedisTestServer.edn(RedisTestServer.newPrefix()) + "}");
    assertThat(Datahike.databaseExists(cfg)).isFalse();
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Alice\" :age 30} {:name \"Bob\" :age 25}]");
      conn.transact("[{:db/id [:name \"Alice\"] :age 31}]");
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Set<List<Object>> rows =
          Datahike.q("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", conn.db());
      assertThat(rows)
          .containsExactlyInAnyOrder(List.<Object>of("Alice", 31L), List.<Object>of("Bob", 25L));
      conn.transact("[{:name \"Carol\" :age 40}]");
      conn.sync(); // indices to blobs, a new head, the log truncated
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(3L);
      assertThat(
              Datahike.<Set<List<Object>>>q(
                  "[:find ?a :where [?e :name \"Alice\"] [?e :age ?a]]", conn.db().history()))
          .hasSize(2);
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }

  /**
   * A writer in a child JVM appends as fast as it can and prints what was acknowledged. While it
   * runs, no other process gets the writer lock, and the error names it. Then it is killed with
   * SIGKILL: nobody renews its lease (2 s in these tests), so the lock goes soon after; every
   * record it saw acknowledged is there, read by a new client, and numbering goes on after them.
   */
  @Test
  void writerInOtherProcess_excludesOthers_thenKilled_leaseEndsAndAcknowledgedRecordsSurvive()
      throws Exception {
    String prefix = RedisTestServer.newPrefix();
    Map<Keyword, Object> cfg = RedisTestServer.config(prefix);
    Stores.open(cfg).close(); // create it
    Process child = RedisChildMain.start("append", RedisTestServer.edn(prefix));
    long acked = 0;
    try {
      BufferedReader out = lines(child);
      String line;
      while (acked < 100 && (line = out.readLine()) != null) {
        acked = Long.parseLong(line);
      }
      try (Store s = Stores.open(cfg)) {
        assertThatThrownBy(() -> s.lockWriter(Duration.ofMillis(300)))
            .isInstanceOfSatisfying(
                DatahikeException.class,
                e -> {
                  assertThat(e.code().fullName()).isEqualTo("store/locked");
                  assertThat(e.getMessage()).contains("process " + child.pid());
                });
      }
      while (acked < 200 && (line = out.readLine()) != null) {
        acked = Long.parseLong(line);
      }
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acked).isGreaterThanOrEqualTo(200);
    try (Store s = Stores.open(cfg)) {
      List<LogEntry> log = s.readLog(1);
      assertThat(log.size()).isGreaterThanOrEqualTo((int) acked);
      for (int i = 0; i < acked; i++) {
        assertThat(log.get(i).seq()).isEqualTo(i + 1);
        assertThat(new String(log.get(i).payload(), StandardCharsets.UTF_8))
            .isEqualTo("r" + (i + 1));
      }
      long t0 = System.nanoTime();
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(s.append(List.of(new byte[1]))).isEqualTo(log.size() + 1);
      }
    }
  }
}
