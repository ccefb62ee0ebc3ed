package datahike.store.jdbc;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What takes a second process: the writer lock excludes a writer in another JVM and goes with its
 * death; appends acknowledged to a writer killed with SIGKILL are all there afterwards; a reader in
 * another JVM sees whole transactions only and catches up with the writer.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class JdbcProcessTest {

  @AfterAll
  static void dropTables() {
    for (JdbcTestDb db : JdbcTestDb.values()) {
      try {
        db.raw().close();
      } catch (Exception e) {
        continue; // unreachable: its tests were skipped
      }
      db.dropTables("x");
    }
  }

  /**
   * A writer in a child JVM appends as fast as it can and prints what was acknowledged. While it
   * runs, no other process gets the writer lock, and the error names it (not tried on H2: an
   * embedded H2 file belongs to one process at a time). Then it is killed with SIGKILL: its lock
   * goes with it (its session, its file lock), every record it saw acknowledged is in the log, and
   * numbering goes on after them.
   */
  @ParameterizedTest
  @EnumSource(JdbcTestDb.class)
  void writerInOtherProcess_excludesOthers_thenKilled_lockFreeAndAcknowledgedRecordsSurvive(
      JdbcTestDb db) throws Exception {
    db.require();
    String table = JdbcTestDb.newTable("x");
    // Its own file for the embedded databases: other test classes keep the shared H2 file open.
    String file = "process-" + table;
    Map<Keyword, Object> cfg = db.config(table, file);
    Stores.open(cfg).close(); // create it
    Process child = JdbcChildMain.start("append", db.edn(table, file));
    long acked = 0;
    try {
      BufferedReader out = lines(child);
      String line;
      while (acked < 30 && (line = out.readLine()) != null) {
        acked = Long.parseLong(line);
      }
      if (db != JdbcTestDb.H2) {
        try (Store s = Stores.open(cfg)) {
          assertThatThrownBy(() -> s.lockWriter(Duration.ofMillis(300)))
              .isInstanceOfSatisfying(
                  DatahikeException.class,
                  e -> {
                    assertThat(e.code().fullName()).isEqualTo("store/locked");
                    assertThat(e.getMessage()).contains("process " + child.pid());
                  });
        }
      }
      while (acked < 60 && (line = out.readLine()) != null) {
        acked = Long.parseLong(line);
      }
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acked).isGreaterThanOrEqualTo(60);
    try (Store s = Stores.open(cfg)) {
      List<LogEntry> log = s.readLog(1);
      assertThat(log.size()).isGreaterThanOrEqualTo((int) acked);
      for (int i = 0; i < acked; i++) {
        assertThat(log.get(i).seq()).isEqualTo(i + 1);
        assertThat(new String(log.get(i).payload(), StandardCharsets.UTF_8))
            .isEqualTo("r" + (i + 1));
      }
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        assertThat(s.append(List.of(new byte[1]))).isEqualTo(log.size() + 1);
      }
    }
  }

  /**
   * One writer here, one reader in a child JVM polling {@code refresh()}. Every transaction adds
   * ten {@code :name} datoms, so every count the reader prints must be a multiple of ten; the
   * counts never go back and end at the writer's. Every tenth transaction the writer also writes
   * its indices and a new head and truncates the log, so the reader reloads from heads too.
   */
  @Test
  void readerInOtherProcess_seesWholeTransactionsOnly_andConverges() throws Exception {
    JdbcTestDb db = JdbcTestDb.POSTGRES;
    db.require();
    String cfgText = "{:store " + db.edn(JdbcTestDb.newTable("x")) + " :keep-history? false}";
    Config cfg = Config.parse(cfgText);
    Datahike.createDatabase(cfg);
    int txs = 60;
    int perTx = 10;
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
              + " {:db/ident :batch :db/valueType :db.type/long"
              + " :db/cardinality :db.cardinality/one}]");
      Process reader = JdbcChildMain.start("reader", cfgText, Long.toString((long) txs * perTx));
      try {
        BufferedReader out = lines(reader);
        String first = out.readLine();
        assertThat(first).startsWith("COUNT ");
        seen.add(Long.parseLong(first.substring(6)));
        Thread collector =
            new Thread(
                () -> {
                  try {
                    String line;
                    while ((line = out.readLine()) != null) {
                      seen.add(Long.parseLong(line.substring(6)));
                    }
                  } catch (Exception e) {
                    seen.add(-1L);
                  }
                });
        collector.start();
        for (int t = 0; t < txs; t++) {
          StringBuilder tx = new StringBuilder("[");
          for (int i = 0; i < perTx; i++) {
            tx.append("{:name \"n").append(t).append('-').append(i).append("\" :batch ");
            tx.append(t).append('}');
          }
          conn.transact(tx.append(']').toString());
          if (t % 10 == 9) {
            conn.sync();
          }
        }
        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).as("reader finished").isTrue();
        collector.join(10_000);
        assertThat(reader.exitValue()).isZero();
      } finally {
        reader.destroyForcibly();
      }
    }
    Datahike.deleteDatabase(cfg);
    List<Long> counts = List.copyOf(seen);
    assertThat(counts).isNotEmpty().doesNotContain(-1L);
    assertThat(counts).allSatisfy(c -> assertThat(c % perTx).as("count %d", c).isZero());
    assertThat(counts).isSorted();
    assertThat(counts.get(counts.size() - 1)).isEqualTo((long) txs * perTx);
    assertThat(counts.size()).as("the reader saw intermediate states: %s", counts).isGreaterThan(2);
  }

  private static BufferedReader lines(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }
}
