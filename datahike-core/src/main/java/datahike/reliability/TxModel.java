package datahike.reliability;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A deliberately naive reference model of the transactor, for entity ids above a base (a stored
 * database's schema entities come first): a plain list of assertion and retraction events, from
 * which the state at any transaction is derived by replaying them; the current state is kept beside
 * it so that checking after every transaction stays cheap. Used by the transactor's model test on
 * in-memory values, and by {@link ModelRun} on connections (file store with reopens, or memory).
 *
 * <p>Attributes: {@code :m/a} long one, {@code :m/b} string many, {@code :m/u} string one unique
 * identity, {@code :m/r} ref many, plus attributes {@code :m/x0, :m/x1, ...} that schema
 * transactions add along the way (long or string, one or many). Operations: add, retract,
 * retractEntity, cas, upserting entity maps, new attributes, and the three purges ({@code
 * :db/purge}, {@code :db.purge/attribute}, {@code :db.purge/entity}).
 */
public final class TxModel {
  static final Keyword A = Keyword.of("m/a");
  static final Keyword B = Keyword.of("m/b");
  static final Keyword U = Keyword.of("m/u");
  static final Keyword R = Keyword.of("m/r");
  static final Keyword ADD = Keyword.of("db/add");
  static final Keyword RETRACT = Keyword.of("db/retract");
  static final Keyword RETRACT_ENTITY = Keyword.of("db/retractEntity");
  static final Keyword CAS = Keyword.of("db/cas");
  static final Keyword PURGE = Keyword.of("db/purge");
  static final Keyword PURGE_ATTRIBUTE = Keyword.of("db.purge/attribute");
  static final Keyword PURGE_ENTITY = Keyword.of("db.purge/entity");
  static final Keyword IDENT = Keyword.of("db/ident");
  static final Keyword VALUE_TYPE = Keyword.of("db/valueType");
  static final Keyword CARDINALITY = Keyword.of("db/cardinality");
  static final Keyword LONG = Keyword.of("db.type/long");
  static final Keyword STRING = Keyword.of("db.type/string");
  static final Keyword ONE = Keyword.of("db.cardinality/one");
  static final Keyword MANY = Keyword.of("db.cardinality/many");

  /** The schema of the four fixed attributes, as transaction data. */
  public static final String SCHEMA =
      "[{:db/ident :m/a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :m/b :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
          + " {:db/ident :m/u :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :m/r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]";

  /** The most attributes schema transactions add. */
  static final int MAX_NEW_ATTRS = 8;

  /** One event: (e, a, v) asserted or retracted at tx. */
  public record Event(long e, Keyword a, Object v, long tx, boolean added) {}

  /** An attribute the model knows: value type long, string or ref; cardinality many or one. */
  record Attr(Keyword type, boolean many) {}

  /**
   * What a transaction does to the model, computed by {@link #apply} and applied by {@link
   * #commit}.
   *
   * @param events the events it adds
   * @param current the current state after it
   * @param maxEid the highest entity id after it
   * @param purged which earlier events it removes (null: none)
   * @param newAttr the attribute it defines (null: none)
   */
  public record Step(
      List<Event> events,
      List<Event> current,
      long maxEid,
      Predicate<Event> purged,
      Map.Entry<Keyword, Attr> newAttr) {}

  private final List<Event> events = new ArrayList<>();
  private final Map<List<Object>, Event> current = new LinkedHashMap<>();
  private final Map<Keyword, Attr> attrs = new LinkedHashMap<>();
  private final Set<Long> schemaEids = new HashSet<>();
  private final long base;
  private long maxEid;

  /** A model whose entities get ids above {@code base}. */
  public TxModel(long base) {
    this.base = base;
    this.maxEid = base;
    attrs.put(A, new Attr(LONG, false));
    attrs.put(B, new Attr(STRING, true));
    attrs.put(U, new Attr(STRING, false));
    attrs.put(R, new Attr(Keyword.of("db.type/ref"), true));
  }

  /** Every event so far (purged ones removed), in transaction order. */
  public List<Event> events() {
    return events;
  }

  /** Facts holding now. */
  public List<Event> current() {
    return new ArrayList<>(current.values());
  }

  /** The ids below which entities are not the model's. */
  public long base() {
    return base;
  }

  /** Facts holding after all events with tx <= t (by replaying the events). */
  public List<Event> state(long t) {
    Map<List<Object>, Event> last = new LinkedHashMap<>();
    for (Event ev : events) {
      if (ev.tx <= t) last.put(List.of(ev.e, ev.a, ev.v), ev);
    }
    List<Event> out = new ArrayList<>();
    for (Event ev : last.values()) if (ev.added) out.add(ev);
    return out;
  }

  /** Applies a step {@link #apply} computed (the database accepted the transaction). */
  public void commit(Step s) {
    if (s.purged() != null) events.removeIf(s.purged());
    events.addAll(s.events());
    current.clear();
    for (Event ev : s.current()) current.put(List.of(ev.e, ev.a, ev.v), ev);
    maxEid = s.maxEid();
    if (s.newAttr() != null) attrs.put(s.newAttr().getKey(), s.newAttr().getValue());
  }

  /**
   * What transaction {@code ops} does as transaction {@code tx}, without changing the model; throws
   * IllegalStateException when the database must reject it.
   */
  public Step apply(List<Object> ops, long tx) {
    List<Event> previous = current();
    List<Event> cur = new ArrayList<>(previous);
    List<Event> out = new ArrayList<>();
    long[] maxEid = {this.maxEid};
    Predicate<Event> purged = null;
    Map.Entry<Keyword, Attr> newAttr = null;
    for (Object o : ops) {
      if (o instanceof Map<?, ?> map && map.containsKey(IDENT)) {
        Keyword ident = (Keyword) map.get(IDENT);
        long e = ++maxEid[0];
        add(cur, out, previous, e, IDENT, ident, tx);
        add(cur, out, previous, e, VALUE_TYPE, map.get(VALUE_TYPE), tx);
        add(cur, out, previous, e, CARDINALITY, map.get(CARDINALITY), tx);
        newAttr =
            Map.entry(ident, new Attr((Keyword) map.get(VALUE_TYPE), map.get(CARDINALITY) == MANY));
        continue;
      }
      if (o instanceof Map<?, ?> map) {
        String key = (String) map.get(U);
        long e = -1;
        for (Event ev : cur) if (ev.a == U && ev.v.equals(key)) e = ev.e;
        if (e < 0) e = ++maxEid[0];
        add(cur, out, previous, e, U, key, tx);
        add(cur, out, previous, e, A, map.get(A), tx);
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
        add(cur, out, previous, e, a, v, tx);
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
        add(cur, out, previous, e, A, op.get(4), tx);
      } else if (kind == PURGE || kind == PURGE_ATTRIBUTE || kind == PURGE_ENTITY) {
        // Generated alone in their transaction: every trace goes, history included.
        Predicate<Event> p =
            kind == PURGE
                ? ev -> ev.e == e && ev.a == op.get(2) && ev.v.equals(op.get(3))
                : kind == PURGE_ATTRIBUTE
                    ? ev -> ev.e == e && ev.a == op.get(2)
                    : ev -> ev.e == e || (ev.a == R && ev.v.equals(e));
        cur.removeIf(p);
        purged = p;
      }
    }
    return new Step(out, cur, maxEid[0], purged, newAttr);
  }

  private void add(
      List<Event> cur,
      List<Event> out,
      List<Event> previous,
      long e,
      Keyword a,
      Object v,
      long tx) {
    Attr at = attrs.get(a);
    boolean many = at != null && at.many();
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

  // ------------------------------------------------------------------ the generator

  /**
   * How the generator mixes transactions.
   *
   * @param entities explicit entity ids are {@code base+1 .. base+entities}
   * @param keys unique-identity upserts use keys {@code k0 .. k<keys-1>}
   * @param schemaEvery about one transaction in this many adds an attribute (0: never)
   * @param purgeEvery about one transaction in this many is a purge (0: never)
   */
  public record Mix(int entities, int keys, int schemaEvery, int purgeEvery) {}

  /** A random transaction for the model's current state (schema and purges alone in theirs). */
  public List<Object> randomTx(Random r, Mix mix) {
    List<Object> ops = new ArrayList<>();
    List<Keyword> extra = new ArrayList<>();
    for (Keyword k : attrs.keySet()) if (k.name().startsWith("x")) extra.add(k);
    if (mix.schemaEvery() > 0
        && extra.size() < MAX_NEW_ATTRS
        && r.nextInt(mix.schemaEvery()) == 0) {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(IDENT, Keyword.of("m", "x" + extra.size()));
      m.put(VALUE_TYPE, r.nextBoolean() ? LONG : STRING);
      m.put(CARDINALITY, r.nextBoolean() ? MANY : ONE);
      ops.add(m);
      return ops;
    }
    if (mix.purgeEvery() > 0 && r.nextInt(mix.purgeEvery()) == 0) {
      long e = entity(r, mix);
      switch (r.nextInt(3)) {
        case 0 -> {
          // Purge a datom the entity has or had, when there is one.
          List<Event> own = new ArrayList<>();
          for (Event ev : events) if (ev.e == e) own.add(ev);
          if (own.isEmpty()) ops.add(List.of(PURGE, e, A, (long) r.nextInt(6)));
          else {
            Event ev = own.get(r.nextInt(own.size()));
            ops.add(List.of(PURGE, e, ev.a, ev.v));
          }
        }
        case 1 -> ops.add(List.of(PURGE_ATTRIBUTE, e, r.nextBoolean() ? A : B));
        default -> ops.add(List.of(PURGE_ENTITY, e));
      }
      return ops;
    }
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      long e = entity(r, mix);
      int kind = r.nextInt(extra.isEmpty() ? 9 : 11);
      switch (kind) {
        case 0, 1 -> ops.add(List.of(ADD, e, A, (long) r.nextInt(6)));
        case 2 -> ops.add(List.of(ADD, e, B, "s" + r.nextInt(5)));
        case 3 -> ops.add(List.of(RETRACT, e, B, "s" + r.nextInt(5)));
        case 4 -> ops.add(List.of(RETRACT, e, A, (long) r.nextInt(6)));
        case 5 -> ops.add(List.of(ADD, e, R, entity(r, mix)));
        case 6 -> ops.add(List.of(RETRACT_ENTITY, e));
        case 7 -> ops.add(Map.of(U, "k" + r.nextInt(mix.keys()), A, (long) r.nextInt(6)));
        case 8 -> ops.add(List.of(CAS, e, A, (long) r.nextInt(3), (long) r.nextInt(6)));
        default -> {
          Keyword x = extra.get(r.nextInt(extra.size()));
          Object v =
              attrs.get(x).type() == LONG ? (Object) (long) r.nextInt(4) : "x" + r.nextInt(4);
          ops.add(List.of(kind == 9 ? ADD : RETRACT, e, x, v));
        }
      }
    }
    return ops;
  }

  /** An explicit entity id, never one of an attribute schema transactions added. */
  private long entity(Random r, Mix mix) {
    while (true) {
      long e = base + 1 + r.nextInt(mix.entities());
      if (!schemaEids.contains(e) && !isSchemaEntity(e)) return e;
    }
  }

  private boolean isSchemaEntity(long e) {
    for (Event ev : current.values()) {
      if (ev.e == e && ev.a == IDENT) {
        schemaEids.add(e);
        return true;
      }
    }
    return false;
  }

  /** Model events as [e a v tx] facts in {@code order}. */
  public static List<List<Object>> sorted(Collection<Event> evs, DatomOrder order) {
    List<Datom> ds = new ArrayList<>();
    for (Event ev : evs) ds.add(new Datom(ev.e, Datom.attrCode(ev.a), ev.v, ev.tx, true));
    ds.sort(order::compare);
    List<List<Object>> l = new ArrayList<>();
    for (Datom d : ds) l.add(List.of(d.e(), d.attr(), d.v(), d.tx()));
    return l;
  }
}
