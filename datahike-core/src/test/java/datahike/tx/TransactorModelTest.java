package datahike.tx;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.DbBuilder;
import datahike.db.DbValue;
import datahike.db.IndexType;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import datahike.reliability.TxModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random transaction sequences on in-memory values checked against the naive reference model {@link
 * TxModel} (shared with the reliability suite's {@code ModelRun}, which runs it at scale on
 * connections): adds, retractions, retractEntity, cas, upserts, new attributes and purges, plus the
 * transactions that must be rejected. After every transaction each index and history must equal
 * what the model derives; at the end, as-of at every transaction. The seed is printed on failure.
 */
class TransactorModelTest {
  private static final Keyword A = Keyword.of("m/a"); // long, one
  private static final Keyword B = Keyword.of("m/b"); // string, many
  private static final Keyword U = Keyword.of("m/u"); // string, one, unique identity
  private static final Keyword R = Keyword.of("m/r"); // ref, many
  private static final TxModel.Mix MIX = new TxModel.Mix(12, 6, 25, 20);

  private static Map<Keyword, Map<Keyword, Object>> schema() {
    Map<Keyword, Map<Keyword, Object>> s = new LinkedHashMap<>();
    s.put(A, Map.of(Keyword.of("db/valueType"), Keyword.of("db.type/long")));
    s.put(
        B,
        Map.of(
            Keyword.of("db/valueType"), Keyword.of("db.type/string"),
            Keyword.of("db/cardinality"), Keyword.of("db.cardinality/many")));
    s.put(
        U,
        Map.of(
            Keyword.of("db/valueType"), Keyword.of("db.type/string"),
            Keyword.of("db/unique"), Keyword.of("db.unique/identity")));
    s.put(
        R,
        Map.of(
            Keyword.of("db/valueType"), Keyword.of("db.type/ref"),
            Keyword.of("db/cardinality"), Keyword.of("db.cardinality/many")));
    return s;
  }

  @Test
  void randomSequences_matchNaiveModel() {
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    Random r = new Random(seed);
    for (int seq = 0; seq < 1000; seq++) {
      try {
        runSequence(r);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", sequence " + seq + ": " + e.getMessage(), e);
      }
    }
  }

  private void runSequence(Random r) {
    Database db = Database.wrap(DbBuilder.empty(new DbValue.DbFlags(true, false, true), schema()));
    TxModel m = new TxModel(0);
    List<Long> txs = new ArrayList<>();
    int n = 1 + r.nextInt(12);
    for (int i = 0; i < n; i++) {
      List<Object> ops = m.randomTx(r, MIX);
      long tx = db.maxTx() + 1;
      TxModel.Step step;
      try {
        step = m.apply(ops, tx);
      } catch (IllegalStateException rejected) {
        Database before = db;
        try {
          db.with(ops);
          throw new AssertionError("transaction should fail: " + ops);
        } catch (DatahikeException expectedError) {
          assertThat(db.maxTx()).isEqualTo(before.maxTx());
        }
        continue;
      }
      db = db.with(ops).dbAfter();
      m.commit(step);
      txs.add(tx);
      check(db, m, ops);
    }
    for (long t : txs) {
      assertThat(facts(db.asOf(t).datoms(Keyword.of("eavt"))))
          .as("as-of %d", t)
          .isEqualTo(TxModel.sorted(m.state(t), DatomOrder.EAVT));
    }
  }

  private void check(Database db, TxModel m, List<Object> ops) {
    List<TxModel.Event> st = m.current();
    assertThat(facts(db.datoms(Keyword.of("eavt"))))
        .as("eavt after %s", ops)
        .isEqualTo(TxModel.sorted(st, DatomOrder.EAVT));
    assertThat(facts(db.unwrap().datoms(IndexType.AEVT, -1, 0, null, -1)))
        .as("aevt after %s", ops)
        .isEqualTo(TxModel.sorted(st, DatomOrder.AEVT));
    assertThat(facts(db.unwrap().datoms(IndexType.AVET, -1, 0, null, -1)))
        .as("avet after %s", ops)
        .isEqualTo(TxModel.sorted(st, DatomOrder.AVET));
    List<List<Object>> hist = new ArrayList<>();
    for (Datom d : db.history().datoms(Keyword.of("eavt"))) {
      if (d.e() >= DbValue.TX0) continue;
      hist.add(List.of(d.e(), d.attr(), d.v(), d.tx(), d.added()));
    }
    List<List<Object>> expectedHist = new ArrayList<>();
    for (TxModel.Event ev : m.events()) {
      expectedHist.add(List.of(ev.e(), ev.a(), ev.v(), ev.tx(), ev.added()));
    }
    Comparator<List<Object>> byAll = Comparator.comparing(Object::toString);
    hist.sort(byAll);
    expectedHist.sort(byAll);
    assertThat(hist).as("history after %s", ops).isEqualTo(expectedHist);
  }

  private static List<List<Object>> facts(Iterable<Datom> ds) {
    List<List<Object>> l = new ArrayList<>();
    for (Datom d : ds) if (d.e() < DbValue.TX0) l.add(List.of(d.e(), d.attr(), d.v(), d.tx()));
    return l;
  }
}
