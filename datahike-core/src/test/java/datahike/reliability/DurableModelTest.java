package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.TxReport;
import datahike.db.DbValue;
import datahike.db.IndexType;
import datahike.index.DatomOrder;
import datahike.store.Store;
import datahike.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactor's model test at scale on a file database: 2,000 committed random transactions
 * (adds, retractions, retractEntity, cas, unique-identity upserts; plus the rejected ones) against
 * the naive {@link TxModel}, with the connection closed and reopened between batches. A reopen
 * comes from the indices (closed right after writing: close flushes), from the log (closed after
 * the writer lock lapsed: nothing flushed, the log is replayed), or the batch ends with a {@code
 * conn.sync()} instead. EAVT is checked after every transaction; all indices, history and as-of
 * views after every reopen. Small log segments make flushes drop segments. The seed is printed.
 */
class DurableModelTest {
  private static final int ENTITIES = 80;
  private static final int KEYS = 25;

  @TempDir Path dir;

  @Test
  void randomTransactions_withReopens_matchNaiveModel() throws Exception {
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    System.out.println("DurableModelTest seed " + seed);
    try {
      run(seed, Integer.getInteger("datahike.model.txs", 2000));
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    }
  }

  private void run(long seed, int total) throws Exception {
    Random r = new Random(seed);
    Config cfg =
        Config.parse(
            "{:store {:backend :file :path "
                + CrashWorkload.edn(dir.resolve("db").toString())
                + " :log-segment-bytes 8192}}");
    Datahike.createDatabase(cfg);
    Connection conn = Datahike.connect(cfg);
    long base;
    TxModel m;
    List<Long> txs = new ArrayList<>();
    int[] reopens = new int[3];
    try {
      conn.transact(TxModel.SCHEMA);
      base = conn.db().maxEid();
      m = new TxModel(base);
      long lastTx = conn.db().maxTx();
      int rejected = 0;
      while (txs.size() < total) {
        int batch = Math.min(total - txs.size(), 40 + r.nextInt(120));
        for (int goal = txs.size() + batch; txs.size() < goal; ) {
          List<Object> ops = TxModel.randomTx(r, base, ENTITIES, KEYS);
          long tx = lastTx + 1;
          long[] maxEid = {m.maxEid};
          List<TxModel.Event> expected;
          try {
            expected = m.apply(ops, tx, maxEid);
          } catch (IllegalStateException reject) {
            Connection c = conn;
            assertThatThrownBy(() -> c.transact(ops)).isInstanceOf(DatahikeException.class);
            assertThat(conn.db().maxTx()).isEqualTo(lastTx);
            rejected++;
            continue;
          }
          TxReport rep = conn.transact(ops);
          assertThat(rep.tx()).as("tx id of %s", ops).isEqualTo(tx);
          m.events.addAll(expected);
          m.maxEid = maxEid[0];
          lastTx = tx;
          txs.add(tx);
          assertThat(facts(conn.db().datoms(":eavt"), base))
              .as("eavt after tx %d %s", tx, ops)
              .isEqualTo(TxModel.sorted(m.state(Long.MAX_VALUE), DatomOrder.EAVT));
        }
        int mode = r.nextInt(3);
        reopens[mode]++;
        if (mode == 2) {
          conn.sync();
        } else {
          if (mode == 1) awaitWriterLockLapse(cfg);
          conn.close();
          conn = Datahike.connect(cfg);
          assertThat(conn.db().maxTx()).isEqualTo(lastTx);
        }
        checkAll(conn.db(), m, base, txs, r);
      }
      System.out.println(
          "DurableModelTest: "
              + txs.size()
              + " transactions, "
              + rejected
              + " rejected; reopened "
              + reopens[0]
              + "x from indices, "
              + reopens[1]
              + "x from the log, synced "
              + reopens[2]
              + "x");
    } finally {
      conn.close();
    }
    try (Connection c = Datahike.connect(cfg)) {
      checkAll(c.db(), m, base, txs, r);
    }
  }

  /** Waits until the connection's idle writer lock lapses: closing then writes no indices. */
  @SuppressWarnings("try")
  private static void awaitWriterLockLapse(Config cfg) {
    try (Store s = Stores.open(cfg.store());
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
      // taken and released at once
    }
  }

  private static void checkAll(Database db, TxModel m, long base, List<Long> txs, Random r) {
    List<TxModel.Event> st = m.state(Long.MAX_VALUE);
    assertThat(facts(db.datoms(":eavt"), base))
        .as("eavt")
        .isEqualTo(TxModel.sorted(st, DatomOrder.EAVT));
    assertThat(facts(db.unwrap().datoms(IndexType.AEVT, -1, 0, null, -1), base))
        .as("aevt")
        .isEqualTo(TxModel.sorted(st, DatomOrder.AEVT));
    assertThat(facts(db.unwrap().datoms(IndexType.AVET, -1, 0, null, -1), base))
        .as("avet")
        .isEqualTo(TxModel.sorted(st, DatomOrder.AVET));
    List<List<Object>> hist = new ArrayList<>();
    for (Datom d : db.history().datoms(":eavt")) {
      if (d.e() <= base || d.e() >= DbValue.TX0) continue;
      hist.add(List.of(d.e(), d.attr(), d.v(), d.tx(), d.added()));
    }
    List<List<Object>> expectedHist = new ArrayList<>();
    for (TxModel.Event ev : m.events)
      expectedHist.add(List.of(ev.e(), ev.a(), ev.v(), ev.tx(), ev.added()));
    Comparator<List<Object>> byAll = Comparator.comparing(Object::toString);
    hist.sort(byAll);
    expectedHist.sort(byAll);
    assertThat(hist).as("history").isEqualTo(expectedHist);
    for (int i = 0; i < 3 && !txs.isEmpty(); i++) {
      long t = txs.get(r.nextInt(txs.size()));
      assertThat(facts(db.asOf(t).datoms(":eavt"), base))
          .as("as-of %d", t)
          .isEqualTo(TxModel.sorted(m.state(t), DatomOrder.EAVT));
    }
  }

  private static List<List<Object>> facts(Iterable<Datom> ds, long base) {
    List<List<Object>> l = new ArrayList<>();
    for (Datom d : ds) {
      if (d.e() > base && d.e() < DbValue.TX0) l.add(List.of(d.e(), d.attr(), d.v(), d.tx()));
    }
    return l;
  }
}
