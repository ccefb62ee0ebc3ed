package datahike.reliability;

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
import java.util.List;
import java.util.Random;

/**
 * The deterministic model test at scale: one seed's sequence of random transactions ({@link
 * TxModel#randomTx}: adds, retractions, retractEntity, cas, unique-identity upserts, new
 * attributes, purges, and the transactions the database must reject) committed through a connection
 * and checked against the naive {@link TxModel}.
 *
 * <ul>
 *   <li>After every transaction: its tx id, and EAVT, AEVT and AVET against the model's state.
 *   <li>Every {@link #DEEP_EVERY} transactions, at every reopen and at the end: the whole history
 *       index and as-of views at three sampled earlier transactions, replayed from the events.
 *   <li>On a file store ({@code dir} given), in batches of 40 to 160 transactions: the connection
 *       is closed and reopened from its indices (close flushes), or from the log (closed after the
 *       writer lock lapsed: nothing flushed, the log is replayed), or it syncs. Small log segments
 *       make flushes drop segments.
 * </ul>
 *
 * A run stops at its first wrong read (what follows would be its echo) and reports it.
 */
public final class ModelRun {
  private ModelRun() {}

  /** Transactions between deep checks (history and as-of). */
  public static final int DEEP_EVERY = 250;

  /**
   * What a run found.
   *
   * @param seed its seed
   * @param committed transactions committed
   * @param rejected transactions the model and the database both rejected
   * @param schemaChanges committed transactions that added an attribute
   * @param purges committed purge transactions
   * @param checks index, history and as-of comparisons made
   * @param reopens reopens and syncs (file store only)
   * @param wrongReads comparisons that failed, and transactions the database treated differently
   *     from the model (0 or 1: the run stops at the first)
   * @param problem what the first wrong read was, or null
   * @param millis how long it took
   */
  public record Result(
      long seed,
      int committed,
      int rejected,
      int schemaChanges,
      int purges,
      long checks,
      int reopens,
      int wrongReads,
      String problem,
      long millis) {
    @Override
    public String toString() {
      return "seed "
          + seed
          + ": "
          + committed
          + " committed, "
          + rejected
          + " rejected ("
          + schemaChanges
          + " adding attributes, "
          + purges
          + " purges), "
          + checks
          + " checks, "
          + reopens
          + " reopens/syncs, wrong reads "
          + wrongReads
          + (problem == null ? "" : " (" + problem + ")")
          + ", "
          + millis
          + " ms";
    }
  }

  private static final class WrongRead extends RuntimeException {
    WrongRead(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Runs seed {@code seed} for {@code txs} committed transactions on a file database in {@code dir}
   * (deleted afterwards when all was well), or in memory when {@code dir} is null.
   */
  public static Result run(long seed, int txs, Path dir) {
    long start = System.currentTimeMillis();
    Config cfg =
        dir == null
            ? Config.parse("{:store {:backend :memory :id \"model-" + seed + "-" + start + "\"}}")
            : Config.parse(
                "{:store {:backend :file :path "
                    + CrashWorkload.edn(dir.resolve("db").toAbsolutePath().toString())
                    + " :log-segment-bytes 8192}}");
    Datahike.createDatabase(cfg);
    Random r = new Random(seed);
    Run run = new Run();
    String problem = null;
    Connection conn = Datahike.connect(cfg);
    try {
      conn.transact(TxModel.SCHEMA);
      TxModel m = new TxModel(conn.db().maxEid());
      TxModel.Mix mix = new TxModel.Mix(80, 25, 150, dir == null ? 100 : 400);
      long lastTx = conn.db().maxTx();
      int batchEnd = batch(r, 0);
      while (run.committed < txs) {
        List<Object> ops = m.randomTx(r, mix);
        long tx = lastTx + 1;
        TxModel.Step step;
        try {
          step = m.apply(ops, tx);
        } catch (IllegalStateException reject) {
          try {
            conn.transact(ops);
            throw new WrongRead("tx " + tx + " " + ops + " committed, the model rejects it");
          } catch (DatahikeException expected) {
            expect(conn.db().maxTx() == lastTx, "a rejected transaction moved maxTx", run);
          }
          run.rejected++;
          continue;
        }
        TxReport rep;
        try {
          rep = conn.transact(ops);
        } catch (DatahikeException e) {
          throw new WrongRead("tx " + tx + " " + ops + " rejected, the model accepts it: " + e);
        }
        expect(rep.tx() == tx, "tx " + ops + " got id " + rep.tx() + ", expected " + tx, run);
        m.commit(step);
        if (step.newAttr() != null) run.schemaChanges++;
        if (step.purged() != null) run.purges++;
        lastTx = tx;
        run.txs.add(tx);
        run.committed++;
        checkIndices(conn.db(), m, "after tx " + tx + " " + ops, run);
        boolean deep = run.committed % DEEP_EVERY == 0;
        if (dir != null && run.committed == batchEnd) {
          batchEnd = batch(r, run.committed);
          conn = reopen(conn, cfg, r.nextInt(3), run);
          expect(conn.db().maxTx() == lastTx, "maxTx after reopen", run);
          checkIndices(conn.db(), m, "after reopen at tx " + tx, run);
          deep = true;
        }
        if (deep) checkDeep(conn.db(), m, r, run);
      }
      conn.close();
      conn = Datahike.connect(cfg);
      checkIndices(conn.db(), m, "at the end", run);
      checkDeep(conn.db(), m, r, run);
    } catch (WrongRead e) {
      problem = e.getMessage();
    } catch (RuntimeException e) {
      problem = "engine failure: " + e;
    } finally {
      conn.close();
    }
    if (problem == null) Datahike.deleteDatabase(cfg);
    return new Result(
        seed,
        run.committed,
        run.rejected,
        run.schemaChanges,
        run.purges,
        run.checks,
        run.reopens,
        problem == null ? 0 : 1,
        problem,
        System.currentTimeMillis() - start);
  }

  private static final class Run {
    int committed;
    int rejected;
    int schemaChanges;
    int purges;
    long checks;
    int reopens;
    final List<Long> txs = new ArrayList<>();
  }

  private static int batch(Random r, int committed) {
    return committed + 40 + r.nextInt(120);
  }

  private static void expect(boolean ok, String what, Run run) {
    run.checks++;
    if (!ok) throw new WrongRead(what);
  }

  private static void expectEqual(Object got, Object expected, String what, Run run) {
    run.checks++;
    if (!got.equals(expected)) {
      throw new WrongRead(what + ": expected " + expected + ", read " + got);
    }
  }

  private static Connection reopen(Connection conn, Config cfg, int mode, Run run) {
    run.reopens++;
    if (mode == 2) {
      conn.sync();
      return conn;
    }
    if (mode == 1) awaitWriterLockLapse(cfg);
    conn.close();
    return Datahike.connect(cfg);
  }

  /** Waits until the connection's idle writer lock lapses: closing then writes no indices. */
  @SuppressWarnings("try")
  private static void awaitWriterLockLapse(Config cfg) {
    try (Store s = Stores.open(cfg.store());
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
      // taken and released at once
    }
  }

  private static void checkIndices(Database db, TxModel m, String when, Run run) {
    List<TxModel.Event> st = m.current();
    long base = m.base();
    expectEqual(
        facts(db.datoms(":eavt"), base), TxModel.sorted(st, DatomOrder.EAVT), "eavt " + when, run);
    expectEqual(
        facts(db.unwrap().datoms(IndexType.AEVT, -1, 0, null, -1), base),
        TxModel.sorted(st, DatomOrder.AEVT),
        "aevt " + when,
        run);
    expectEqual(
        facts(db.unwrap().datoms(IndexType.AVET, -1, 0, null, -1), base),
        TxModel.sorted(st, DatomOrder.AVET),
        "avet " + when,
        run);
  }

  private static void checkDeep(Database db, TxModel m, Random r, Run run) {
    long base = m.base();
    // Compared as sorted text: history datoms have no order the model could reproduce cheaply.
    List<String> hist = new ArrayList<>();
    for (Datom d : db.history().datoms(":eavt")) {
      if (d.e() <= base || d.e() >= DbValue.TX0) continue;
      hist.add(List.of(d.e(), d.attr(), d.v(), d.tx(), d.added()).toString());
    }
    List<String> expected = new ArrayList<>();
    for (TxModel.Event ev : m.events()) {
      expected.add(List.of(ev.e(), ev.a(), ev.v(), ev.tx(), ev.added()).toString());
    }
    hist.sort(null);
    expected.sort(null);
    expectEqual(hist, expected, "history", run);
    for (int i = 0; i < 3 && !run.txs.isEmpty(); i++) {
      long t = run.txs.get(r.nextInt(run.txs.size()));
      expectEqual(
          facts(db.asOf(t).datoms(":eavt"), base),
          TxModel.sorted(m.state(t), DatomOrder.EAVT),
          "as-of " + t,
          run);
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
