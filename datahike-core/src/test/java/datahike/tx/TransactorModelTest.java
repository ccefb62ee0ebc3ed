package datahike.tx;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.DbBuilder;
import datahike.db.DbValue;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random transaction sequences checked against a deliberately naive reference model: a plain list
 * of assertion and retraction events. After every transaction each index, as-of at every earlier
 * transaction, and history must equal what the model derives. The seed is printed on failure.
 */
class TransactorModelTest {
  private static final Keyword A = Keyword.of("m/a"); // long, one
  private static final Keyword B = Keyword.of("m/b"); // string, many
  private static final Keyword U = Keyword.of("m/u"); // string, one, unique identity
  private static final Keyword R = Keyword.of("m/r"); // ref, many
  private static final Keyword ADD = Keyword.of("db/add");
  private static final Keyword RETRACT = Keyword.of("db/retract");
  private static final Keyword RETRACT_ENTITY = Keyword.of("db/retractEntity");
  private static final Keyword CAS = Keyword.of("db/cas");

  /** One event of the model: (e, a, v) asserted or retracted at tx. */
  record Event(long e, Keyword a, Object v, long tx, boolean added) {}

  /** The naive model: the event list and its derived state. */
  static final class Model {
    final List<Event> events = new ArrayList<>();
    long maxEid = 0;

    /** Facts holding after all events with tx <= t. */
    List<Event> state(long t) {
      Map<List<Object>, Event> last = new LinkedHashMap<>();
      for (Event ev : events) {
        if (ev.tx <= t) last.put(List.of(ev.e, ev.a, ev.v), ev);
      }
      List<Event> out = new ArrayList<>();
      for (Event ev : last.values()) if (ev.added) out.add(ev);
      return out;
    }

    List<Object> values(List<Event> st, long e, Keyword a) {
      List<Object> l = new ArrayList<>();
      for (Event ev : st) if (ev.e == e && ev.a == a) l.add(ev.v);
      return l;
    }
  }

  /** Applies one transaction to a copy of the model; throws when the transaction must fail. */
  static List<Event> previous = List.of();

  static List<Event> apply(Model m, List<Object> ops, long tx, long[] maxEid) {
    List<Event> st = m.state(Long.MAX_VALUE);
    previous = st;
    List<Event> cur = new ArrayList<>(st);
    List<Event> out = new ArrayList<>();
    for (Object o : ops) {
      if (o instanceof Map<?, ?> map) {
        String key = (String) map.get(U);
        long e = -1;
        for (Event ev : cur) if (ev.a == U && ev.v.equals(key)) e = ev.e;
        if (e < 0) e = ++maxEid[0];
        add(cur, out, e, U, key, tx);
        add(cur, out, e, A, map.get(A), tx);
        continue;
      }
      List<?> op = (List<?>) o;
      Keyword kind = (Keyword) op.get(0);
      long e = (Long) op.get(1);
      if (kind == ADD) {
        Keyword a = (Keyword) op.get(2);
        Object v = op.get(3);
        if (a == U) {
          for (Event ev : cur) {
            if (ev.a == U && ev.v.equals(v) && ev.e != e) throw new IllegalStateException("unique");
          }
        }
        maxEid[0] = Math.max(maxEid[0], e);
        add(cur, out, e, a, v, tx);
      } else if (kind == RETRACT) {
        retract(cur, out, e, (Keyword) op.get(2), op.get(3), tx);
      } else if (kind == RETRACT_ENTITY) {
        for (Event ev : new ArrayList<>(cur)) {
          if (ev.e == e || (ev.a == R && ev.v.equals(e))) retract(cur, out, ev.e, ev.a, ev.v, tx);
        }
      } else if (kind == CAS) {
        Object old = op.get(3);
        Object now = null;
        for (Event ev : cur) if (ev.e == e && ev.a == A) now = ev.v;
        if (!Objects.equals(now, old)) throw new IllegalStateException("cas");
        maxEid[0] = Math.max(maxEid[0], e);
        add(cur, out, e, A, op.get(4), tx);
      }
    }
    return out;
  }

  private static void add(List<Event> cur, List<Event> out, long e, Keyword a, Object v, long tx) {
    boolean many = a == B || a == R;
    for (Event ev : new ArrayList<>(cur)) {
      if (ev.e == e && ev.a == a) {
        if (ev.v.equals(v)) return;
        if (!many) retract(cur, out, e, a, ev.v, tx);
      }
    }
    // Asserting again what this transaction retracted undoes the retraction.
    Event retraction = new Event(e, a, v, tx, false);
    if (out.remove(retraction)) {
      Event sameTx = new Event(e, a, v, tx, true);
      if (!out.remove(sameTx)) {
        for (Event old : previous) {
          if (old.e == e && old.a == a && old.v.equals(v)) {
            cur.add(old);
            return;
          }
        }
      }
    }
    Event ev = new Event(e, a, v, tx, true);
    cur.add(ev);
    out.add(ev);
  }

  private static void retract(List<Event> cur, List<Event> out, long e, Keyword a, Object v, long tx) {
    for (Event ev : cur) {
      if (ev.e == e && ev.a == a && ev.v.equals(v)) {
        cur.remove(ev);
        out.add(new Event(e, a, v, tx, false));
        return;
      }
    }
  }

  static List<Object> randomTx(Random r) {
    List<Object> ops = new ArrayList<>();
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      long e = 1 + r.nextInt(12);
      switch (r.nextInt(9)) {
        case 0, 1 -> ops.add(List.of(ADD, e, A, (long) r.nextInt(6)));
        case 2 -> ops.add(List.of(ADD, e, B, "s" + r.nextInt(5)));
        case 3 -> ops.add(List.of(RETRACT, e, B, "s" + r.nextInt(5)));
        case 4 -> ops.add(List.of(RETRACT, e, A, (long) r.nextInt(6)));
        case 5 -> ops.add(List.of(ADD, e, R, 1L + r.nextInt(12)));
        case 6 -> ops.add(List.of(RETRACT_ENTITY, e));
        case 7 -> ops.add(Map.of(U, "k" + r.nextInt(6), A, (long) r.nextInt(6)));
        default -> ops.add(List.of(CAS, e, A, (long) r.nextInt(3), (long) r.nextInt(6)));
      }
    }
    return ops;
  }

  private static Map<Keyword, Map<Keyword, Object>> schema() {
    Map<Keyword, Map<Keyword, Object>> s = new LinkedHashMap<>();
    s.put(A, Map.of(Keyword.of("db/valueType"), Keyword.of("db.type/long")));
    s.put(B, Map.of(Keyword.of("db/valueType"), Keyword.of("db.type/string"),
        Keyword.of("db/cardinality"), Keyword.of("db.cardinality/many")));
    s.put(U, Map.of(Keyword.of("db/valueType"), Keyword.of("db.type/string"),
        Keyword.of("db/unique"), Keyword.of("db.unique/identity")));
    s.put(R, Map.of(Keyword.of("db/valueType"), Keyword.of("db.type/ref"),
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
    Database db =
        Database.wrap(DbBuilder.empty(new DbValue.DbFlags(true, false, true), schema()));
    Model m = new Model();
    List<Long> txs = new ArrayList<>();
    int n = 1 + r.nextInt(12);
    for (int i = 0; i < n; i++) {
      List<Object> ops = randomTx(r);
      long tx = db.maxTx() + 1;
      long[] maxEid = {m.maxEid};
      List<Event> expected;
      try {
        expected = apply(m, ops, tx, maxEid);
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
      m.events.addAll(expected);
      m.maxEid = maxEid[0];
      txs.add(tx);
      check(db, m, ops);
    }
    for (long t : txs) {
      assertThat(facts(db.asOf(t).datoms(Keyword.of("eavt")))).as("as-of %d", t)
          .isEqualTo(sorted(m.state(t), DatomOrder.EAVT));
    }
  }

  private void check(Database db, Model m, List<Object> ops) {
    List<Event> st = m.state(Long.MAX_VALUE);
    assertThat(facts(db.datoms(Keyword.of("eavt")))).as("eavt after %s", ops).isEqualTo(sorted(st, DatomOrder.EAVT));
    assertThat(facts(db.unwrap().datoms(datahike.db.IndexType.AEVT, -1, 0, null, -1)))
        .as("aevt").isEqualTo(sorted(st, DatomOrder.AEVT));
    assertThat(facts(db.unwrap().datoms(datahike.db.IndexType.AVET, -1, 0, null, -1)))
        .as("avet").isEqualTo(sorted(st, DatomOrder.AVET));
    List<List<Object>> hist = new ArrayList<>();
    for (Datom d : db.history().datoms(Keyword.of("eavt"))) {
      if (d.e() >= DbValue.TX0) continue;
      hist.add(List.of(d.e(), d.attr(), d.v(), d.tx(), d.added()));
    }
    List<List<Object>> expectedHist = new ArrayList<>();
    for (Event ev : m.events) expectedHist.add(List.of(ev.e, ev.a, ev.v, ev.tx, ev.added));
    Comparator<List<Object>> byAll = Comparator.comparing(Object::toString);
    hist.sort(byAll);
    expectedHist.sort(byAll);
    assertThat(hist).as("history").isEqualTo(expectedHist);
  }

  private static List<List<Object>> facts(Iterable<Datom> ds) {
    List<List<Object>> l = new ArrayList<>();
    for (Datom d : ds) if (d.e() < DbValue.TX0) l.add(List.of(d.e(), d.attr(), d.v(), d.tx()));
    return l;
  }

  private static List<List<Object>> sorted(List<Event> evs, DatomOrder order) {
    List<Datom> ds = new ArrayList<>();
    Map<Datom, Event> back = new HashMap<>();
    for (Event ev : evs) {
      Datom d = new Datom(ev.e, Datom.attrCode(ev.a), ev.v, ev.tx, true);
      ds.add(d);
      back.put(d, ev);
    }
    ds.sort(order::compare);
    return facts(ds);
  }
}
