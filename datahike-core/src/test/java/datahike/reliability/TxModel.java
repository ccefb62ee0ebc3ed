package datahike.reliability;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The naive reference model of {@code datahike.tx.TransactorModelTest}, for entity ids above a base
 * (a stored database's schema entities come first): a plain list of assertion and retraction events
 * from which the state at any transaction is derived by replaying them. Four attributes: {@code
 * :m/a} long one, {@code :m/b} string many, {@code :m/u} string one unique identity, {@code :m/r}
 * ref many. Operations: add, retract, retractEntity, cas, and upserting entity maps.
 */
final class TxModel {
  static final Keyword A = Keyword.of("m/a");
  static final Keyword B = Keyword.of("m/b");
  static final Keyword U = Keyword.of("m/u");
  static final Keyword R = Keyword.of("m/r");
  static final Keyword ADD = Keyword.of("db/add");
  static final Keyword RETRACT = Keyword.of("db/retract");
  static final Keyword RETRACT_ENTITY = Keyword.of("db/retractEntity");
  static final Keyword CAS = Keyword.of("db/cas");

  static final String SCHEMA =
      "[{:db/ident :m/a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :m/b :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
          + " {:db/ident :m/u :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :m/r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]";

  /** One event: (e, a, v) asserted or retracted at tx. */
  record Event(long e, Keyword a, Object v, long tx, boolean added) {}

  final List<Event> events = new ArrayList<>();
  long maxEid;
  private List<Event> previous = List.of();

  TxModel(long maxEid) {
    this.maxEid = maxEid;
  }

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

  /**
   * The events transaction {@code ops} produces as transaction {@code tx}; throws
   * IllegalStateException when the transaction must be rejected. Updates {@code maxEid[0]}.
   */
  List<Event> apply(List<Object> ops, long tx, long[] maxEid) {
    List<Event> st = state(Long.MAX_VALUE);
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

  private void add(List<Event> cur, List<Event> out, long e, Keyword a, Object v, long tx) {
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

  private static void retract(
      List<Event> cur, List<Event> out, long e, Keyword a, Object v, long tx) {
    for (Event ev : cur) {
      if (ev.e == e && ev.a == a && ev.v.equals(v)) {
        cur.remove(ev);
        out.add(new Event(e, a, v, tx, false));
        return;
      }
    }
  }

  /** A random transaction on entities {@code base+1 .. base+entities}. */
  static List<Object> randomTx(Random r, long base, int entities, int keys) {
    List<Object> ops = new ArrayList<>();
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      long e = base + 1 + r.nextInt(entities);
      switch (r.nextInt(9)) {
        case 0, 1 -> ops.add(List.of(ADD, e, A, (long) r.nextInt(6)));
        case 2 -> ops.add(List.of(ADD, e, B, "s" + r.nextInt(5)));
        case 3 -> ops.add(List.of(RETRACT, e, B, "s" + r.nextInt(5)));
        case 4 -> ops.add(List.of(RETRACT, e, A, (long) r.nextInt(6)));
        case 5 -> ops.add(List.of(ADD, e, R, base + 1 + r.nextInt(entities)));
        case 6 -> ops.add(List.of(RETRACT_ENTITY, e));
        case 7 -> ops.add(Map.of(U, "k" + r.nextInt(keys), A, (long) r.nextInt(6)));
        default -> ops.add(List.of(CAS, e, A, (long) r.nextInt(3), (long) r.nextInt(6)));
      }
    }
    return ops;
  }

  /** Model events as [e a v tx] facts in {@code order}. */
  static List<List<Object>> sorted(List<Event> evs, DatomOrder order) {
    List<Datom> ds = new ArrayList<>();
    for (Event ev : evs) ds.add(new Datom(ev.e, Datom.attrCode(ev.a), ev.v, ev.tx, true));
    ds.sort(order::compare);
    List<List<Object>> l = new ArrayList<>();
    for (Datom d : ds) l.add(List.of(d.e(), d.attr(), d.v(), d.tx()));
    return l;
  }
}
