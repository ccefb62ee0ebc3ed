package datahike;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.edn.Keyword;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Database values are immutable snapshots, and reading never waits for a writer. */
class SnapshotTest {
  private static Connection fresh() {
    Config cfg = Config.builder().keepHistory(true).build();
    Datahike.createDatabase(cfg);
    Connection conn = Datahike.connect(cfg);
    conn.transact(
        "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
            + " {:db/ident :tag :db/valueType :db.type/string :db/cardinality :db.cardinality/many}]");
    return conn;
  }

  @Test
  void oldDatabase_isUnchanged_after10000MoreTransactions() {
    try (Connection conn = fresh()) {
      for (int i = 0; i < 100; i++) conn.transact("[{:db/id " + (i + 100) + " :n " + i + " :tag \"t\"}]");
      Database old = conn.db();
      List<Datom> eavt = old.datoms(":eavt");
      List<Datom> avet = old.datoms(":avet");
      Object sum = Datahike.q("[:find (sum ?v) . :where [_ :n ?v]]", old);
      for (int i = 0; i < 10_000; i++) {
        int e = 100 + (i % 150);
        conn.transact(
            i % 7 == 0
                ? "[[:db/retractEntity " + e + "]]"
                : "[{:db/id " + e + " :n " + (i * 3) + " :tag \"x" + (i % 5) + "\"}]");
      }
      assertThat(old.datoms(":eavt")).isEqualTo(eavt);
      assertThat(old.datoms(":avet")).isEqualTo(avet);
      assertThat((Object) Datahike.q("[:find (sum ?v) . :where [_ :n ?v]]", old)).isEqualTo(sum);
      assertThat(conn.db().maxTx()).isEqualTo(old.maxTx() + 10_000);
    }
  }

  @Test
  void readers_doNotWaitForAWriterInTheMiddleOfATransaction() throws Exception {
    try (Connection conn = fresh()) {
      conn.transact("[{:db/id 1 :n 1}]");
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Datahike.registerTxFunction(
          Keyword.of("test/block"),
          (db, args) -> {
            inside.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return List.of(List.of(Keyword.of("db/add"), 1L, Keyword.of("n"), 2L));
          });
      CompletableFuture<TxReport> writer =
          CompletableFuture.supplyAsync(() -> conn.transact("[[:test/block]]"));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      // The writer is blocked inside its transaction; reads on this thread complete at once.
      CompletableFuture<Object> reader =
          CompletableFuture.supplyAsync(() -> Datahike.q("[:find ?v . :where [1 :n ?v]]", conn.db()));
      assertThat(reader.get(2, TimeUnit.SECONDS)).isEqualTo(1L);
      release.countDown();
      writer.get(10, TimeUnit.SECONDS);
      assertThat((Object) Datahike.q("[:find ?v . :where [1 :n ?v]]", conn.db())).isEqualTo(2L);
    }
  }
}
