package datahike.query;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.Db;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.index.Values;
import datahike.schema.Attribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a data pattern against a source: a database (index search, range scan, index nested
 * loop or hash join with the bound relation) or a collection of tuples (scan and hash join).
 *
 * <p>Positions are e, a, v, tx, added. Values compared across the pattern and bound relations are
 * normalised per position: an entity as its id (lookup refs and idents resolved), an attribute as
 * its code, a reference value as an entity id.
 */
final class PatternOps {
  private PatternOps() {}

  static final int CONST = 0;
  static final int BOUND = 1;
  static final int NEW = 2;
  static final int REPEAT = 3;
  static final int BLANK = 4;

  /**
   * A pattern's constants resolved against a database. Variables with a single value (a scalar
   * input, a one-row relation) may be given as constants too: the pattern then plans and runs as
   * if the value were written in it (an index lookup by it, its count as the estimate), and the
   * variable's one-row relation joins the result as a product of one.
   */
  static final class Resolved {
    final Clause.Pattern pattern;
    final Db db;
    long e = Db.ANY;
    int a = Db.ANY_A;
    Object v;
    long tx = Db.ANY;
    Boolean added;
    Attribute attr;
    boolean impossible;
    final Term[] terms = new Term[5];
    /** The positions whose variable was replaced by its single value (bit i: position i). */
    final int singleMask;

    Resolved(Clause.Pattern p, Db db) {
      this(p, db, null, 0);
    }

    /** With {@code singles[i]} as the constant of position i for each bit i of {@code mask}. */
    Resolved(Clause.Pattern p, Db db, Object[] singles, int mask) {
      this.pattern = p;
      this.db = db;
      this.singleMask = mask;
      for (int i = 0; i < 5; i++) {
        terms[i] =
            (mask & (1 << i)) != 0
                ? new Term.Const(singles[i])
                : i < p.terms().size() ? p.terms().get(i) : Term.BLANK;
      }
      if (terms[1] instanceof Term.Const c) {
        a = db.attrCode(c.value());
        if (a == Db.NO_ATTR) {
          impossible = true;
          return;
        }
        attr = db.attribute(a);
      }
      if (terms[0] instanceof Term.Const c) {
        e = entity(db, c.value());
        if (e == Db.ANY) {
          impossible = true;
        }
      }
      if (terms[2] instanceof Term.Const c) {
        Object val = c.value();
        if (val instanceof List<?> l
            && l.size() != 2
            && !(attr != null && attr.valueType() == Attribute.TYPE_TUPLE)) {
          throw DatahikeException.of(
              "query/where",
              "Bad format for value in pattern, must be a scalar, nil or a vector of two elements.",
              "pattern",
              p.form());
        }
        v = refValue(db, attr, val);
        if (v == NOTHING) {
          impossible = true;
        }
      }
      if (terms[3] instanceof Term.Const c) {
        if (c.value() instanceof Number n) {
          tx = n.longValue();
        } else {
          impossible = true;
        }
      }
      if (terms[4] instanceof Term.Const c) {
        if (c.value() instanceof Boolean b) {
          added = b;
          if (!b && !db.isHistory()) {
            impossible = true;
          }
        } else {
          impossible = true;
        }
      }
    }
  }

  /** Marks a value that names no entity. */
  static final Object NOTHING = new Object();

  /** The entity id {@code o} names, or {@link Db#ANY}. */
  static long entity(Db db, Object o) {
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof Number n) {
      return n.longValue();
    }
    if (o instanceof Keyword || o instanceof List) {
      return db.entid(o);
    }
    return Db.ANY;
  }

  /** A value in v position: a lookup ref or ident resolved for a reference attribute. */
  static Object refValue(Db db, Attribute attr, Object val) {
    if (attr != null && attr.isRef() && (val instanceof Keyword || val instanceof List)) {
      long id = db.entid(val);
      return id == Db.ANY ? NOTHING : (Object) id;
    }
    return val;
  }

  /** The datom's value at position {@code pos}, as the query sees it. */
  static Object value(Datom d, int pos) {
    switch (pos) {
      case 0:
        return d.e();
      case 1:
        return d.attr();
      case 2:
        return d.v();
      case 3:
        return d.tx();
      default:
        return d.added();
    }
  }

  /** The datom's value at {@code pos}, normalised for comparisons. */
  static Object norm(Datom d, int pos) {
    return pos == 1 ? (Object) d.a() : value(d, pos);
  }

  /** A bound value normalised for comparison at {@code pos}; {@link #NOTHING} if it can't match. */
  static Object normBound(Resolved r, int pos, Object val) {
    switch (pos) {
      case 0:
        {
          long e = entity(r.db, val);
          return e == Db.ANY ? NOTHING : (Object) e;
        }
      case 1:
        {
          int a = val == null ? Db.NO_ATTR : r.db.attrCode(val);
          return a == Db.NO_ATTR ? NOTHING : (Object) a;
        }
      case 2:
        return val == null ? NOTHING : refValue(r.db, r.attr, val);
      case 3:
        return val instanceof Number n ? (Object) n.longValue() : NOTHING;
      default:
        return val instanceof Boolean ? val : NOTHING;
    }
  }

  /** The layout of a pattern against the current context. */
  static final class Layout {
    final int[] kind = new int[5];
    final int[] slot = new int[5]; // NEW/REPEAT: index in newVars; BOUND: column in relation
    final List<Symbol> newVars = new ArrayList<>();
    final List<Symbol> boundVars = new ArrayList<>();
    final Term[] terms;

    Layout(Term[] terms, Context ctx) {
      this.terms = terms;
      for (int i = 0; i < terms.length; i++) {
        Term t = terms[i];
        if (t instanceof Term.Const) {
          kind[i] = CONST;
        } else if (t instanceof Term.Var v) {
          Symbol s = v.symbol();
          if (ctx.bound(s)) {
            kind[i] = BOUND;
            if (!boundVars.contains(s)) {
              boundVars.add(s);
            }
          } else if (newVars.contains(s)) {
            kind[i] = REPEAT;
            slot[i] = newVars.indexOf(s);
          } else {
            kind[i] = NEW;
            slot[i] = newVars.size();
            newVars.add(s);
          }
        } else {
          kind[i] = BLANK;
        }
      }
    }

    void bindColumns(Relation r) {
      for (int i = 0; i < terms.length; i++) {
        if (kind[i] == BOUND) {
          slot[i] = r.indexOf(terms[i].var());
        }
      }
    }

    boolean mayRepeat(boolean history) {
      for (int i = 0; i < 3; i++) {
        if (kind[i] == BLANK) {
          return true;
        }
      }
      return history && kind[3] == BLANK;
    }
  }

  static Term[] terms(Clause.Pattern p, int width) {
    Term[] t = new Term[width];
    for (int i = 0; i < width; i++) {
      t[i] = i < p.terms().size() ? p.terms().get(i) : Term.BLANK;
    }
    return t;
  }

  // ---- database sources

  /** Rough output size of the pattern given the bound variables (for the planner). */
  static double estimate(Resolved r, Context ctx, boolean ranged) {
    if (r.impossible) {
      return 0;
    }
    double base = r.db.estimateCount(r.e, r.a, r.v);
    if (ranged) {
      base = base / 4 + 1;
    }
    Layout l = new Layout(r.terms, ctx);
    if (l.boundVars.isEmpty()) {
      return base;
    }
    double n = ctx.sizeFor(l.boundVars);
    double fan = lookupFanout(r, l, ctx);
    return fan < 0 ? base : Math.min(base, n * fan);
  }

  /** Bound values of a value variable up to which the planner counts each one's datoms. */
  private static final int COUNTED_VALUES = 32;

  /**
   * Datoms per index lookup with the bound positions, or -1 when lookups are not cheap. A bound
   * value of a known attribute is looked up in AVET (which holds every attribute); with few
   * bound values their datoms are counted, one O(log n) count each, as a constant's would be.
   */
  private static double lookupFanout(Resolved r, Layout l, Context ctx) {
    if (l.kind[0] == BOUND || l.kind[0] == CONST) {
      return r.a != Db.ANY_A || l.kind[1] == BOUND ? 1 : 8;
    }
    if (l.kind[2] == BOUND && r.a != Db.ANY_A) {
      if (r.attr != null && r.attr.isUnique()) {
        return 1;
      }
      Symbol v = l.terms[2].var();
      Relation rel = ctx.relationOf(v);
      if (rel == null || rel.size() > COUNTED_VALUES) {
        return 2;
      }
      int col = rel.indexOf(v);
      long sum = 0;
      for (Object[] row : rel.rows) {
        Object val = normBound(r, 2, row[col]);
        if (val != NOTHING) {
          sum += r.db.estimateCount(r.e, r.a, val);
        }
      }
      return rel.isEmpty() ? 0 : (double) sum / rel.size();
    }
    return -1;
  }

  /**
   * True when {@code rows} index lookups of {@code fan} datoms each beat scanning the pattern's
   * {@code base} datoms and hash joining. A lookup costs a few node visits: by entity, about as
   * much as scanning four datoms per lookup; by value, that plus its datoms, which lie together in
   * AVET and cost what scanning them would.
   */
  static boolean lookupPays(Layout l, double rows, double fan, double base) {
    if (fan < 0) {
      return false;
    }
    boolean byEntity = l.kind[0] == BOUND || l.kind[0] == CONST;
    return byEntity ? rows * fan * 4 <= base + 64 : rows * (fan + 4) <= base + 64;
  }

  /** Runs the pattern against a database, adding its relation to the context. */
  static String matchDb(Context ctx, Resolved r, Object from, Object to) {
    Layout l = new Layout(r.terms, ctx);
    if (r.impossible) {
      ctx.take(l.boundVars);
      ctx.add(new Relation(l.newVars.toArray(new Symbol[0]), new ArrayList<>()));
      return "empty";
    }
    boolean ranged = (from != null || to != null) && r.a != Db.ANY_A && l.kind[2] == NEW;
    if (l.boundVars.isEmpty()) {
      // Sized by the index count (exact on a current database) up to a bound: no regrowth.
      int expect = ranged ? 16 : (int) Math.min(r.db.estimateCount(r.e, r.a, r.v), 1 << 16);
      List<Object[]> rows = new ArrayList<>(Math.max(expect, 16));
      Set<Key> seen = l.mayRepeat(r.db.isHistory()) ? new HashSet<>() : null;
      Iterable<Datom> it =
          ranged ? r.db.valueRange(r.a, from, to) : r.db.search(r.e, r.a, r.v, r.tx);
      for (Datom d : it) {
        ctx.deadline.tick();
        Object[] row = matchNew(r, l, d, null, 0, true);
        if (row != null && (seen == null || seen.add(new Key(row)))) {
          rows.add(row);
        }
      }
      ctx.add(new Relation(l.newVars.toArray(new Symbol[0]), rows));
      return ranged ? "range-scan" : "scan";
    }
    double fan = lookupFanout(r, l, ctx);
    double base = r.db.estimateCount(r.e, r.a, r.v);
    Relation rel = ctx.take(l.boundVars);
    l.bindColumns(rel);
    Symbol[] vars = concat(rel.vars, l.newVars);
    List<Object[]> out = new ArrayList<>();
    String how;
    boolean lookup = lookupPays(l, rel.size(), fan, base);
    if (lookup && entityOnly(r, l)) {
      how = "lookup";
      probeEntities(ctx, r, l, rel, out);
    } else if (lookup) {
      how = "lookup";
      Object[] nb = new Object[5];
      int[] bpos = boundPositions(l);
      Map<Key, List<Datom>> memo = new HashMap<>();
      for (Object[] row : rel.rows) {
        if (!normalizeRow(r, l, row, nb)) {
          continue;
        }
        long e = l.kind[0] == BOUND ? (Long) nb[0] : r.e;
        int a = l.kind[1] == BOUND ? (Integer) nb[1] : r.a;
        Object v = l.kind[2] == BOUND ? nb[2] : r.v;
        long tx = l.kind[3] == BOUND ? (Long) nb[3] : r.tx;
        Object[] k = new Object[bpos.length];
        for (int i = 0; i < bpos.length; i++) {
          k[i] = nb[bpos[i]];
        }
        List<Datom> found = memo.get(new Key(k));
        if (found == null) {
          found = new ArrayList<>();
          for (Datom d : r.db.search(e, a, v, tx)) {
            found.add(d);
          }
          memo.put(new Key(k), found);
        }
        for (Datom d : found) {
          ctx.deadline.tick();
          // The search matched the bound e, a, v and tx already: only a bound added flag is left.
          if (l.kind[4] == BOUND && !Values.equal(d.added(), nb[4])) {
            continue;
          }
          Object[] res = matchNew(r, l, d, row, row.length, true);
          if (res != null) {
            out.add(res);
          }
        }
      }
    } else {
      how = ranged ? "range-hash-join" : "hash-join";
      int[] bpos = boundPositions(l);
      Map<Key, List<Object[]>> index = new HashMap<>();
      Iterable<Datom> it =
          ranged ? r.db.valueRange(r.a, from, to) : r.db.search(r.e, r.a, r.v, r.tx);
      for (Datom d : it) {
        ctx.deadline.tick();
        Object[] vals = matchNew(r, l, d, null, 0, true);
        if (vals == null) {
          continue;
        }
        Object[] k = new Object[bpos.length];
        for (int i = 0; i < bpos.length; i++) {
          k[i] = norm(d, bpos[i]);
        }
        index.computeIfAbsent(new Key(k), x -> new ArrayList<>(2)).add(vals);
      }
      Object[] nb = new Object[5];
      for (Object[] row : rel.rows) {
        if (!normalizeRow(r, l, row, nb)) {
          continue;
        }
        Object[] k = new Object[bpos.length];
        for (int i = 0; i < bpos.length; i++) {
          k[i] = nb[bpos[i]];
        }
        List<Object[]> hits = index.get(new Key(k));
        if (hits != null) {
          for (Object[] vals : hits) {
            ctx.deadline.tick();
            Object[] res = new Object[row.length + vals.length];
            System.arraycopy(row, 0, res, 0, row.length);
            System.arraycopy(vals, 0, res, row.length, vals.length);
            out.add(res);
          }
        }
      }
    }
    ctx.add(new Relation(vars, out));
    return how;
  }

  /** True when only the entity is bound and the attribute is a constant: a probe per row. */
  private static boolean entityOnly(Resolved r, Layout l) {
    if (l.kind[0] != BOUND || r.a == Db.ANY_A) {
      return false;
    }
    for (int i = 1; i < 5; i++) {
      if (l.kind[i] == BOUND) {
        return false;
      }
    }
    return true;
  }

  /**
   * Index nested-loop join on the entity: for each row, the datoms of (row's entity, attribute)
   * through one reusable probe (rows usually come in entity order, so each probe stays in the
   * leaf of the previous one). A repeated entity is probed again rather than memoised: a probe
   * costs less than the hash lookup a memo would.
   */
  private static void probeEntities(
      Context ctx, Resolved r, Layout l, Relation rel, List<Object[]> out) {
    Db.EntityProbe probe = r.db.probe(r.a);
    int col = l.slot[0];
    for (Object[] row : rel.rows) {
      Object ev = row[col];
      long e = ev instanceof Long x ? x : entity(r.db, ev);
      if (e < 0) {
        continue;
      }
      probe.seek(e);
      for (Datom d = probe.next(); d != null; d = probe.next()) {
        ctx.deadline.tick();
        Object[] res = matchNew(r, l, d, row, row.length, false);
        if (res != null) {
          out.add(res);
        }
      }
    }
  }

  private static int[] boundPositions(Layout l) {
    int n = 0;
    for (int i = 0; i < 5; i++) {
      if (l.kind[i] == BOUND) {
        n++;
      }
    }
    int[] p = new int[n];
    n = 0;
    for (int i = 0; i < 5; i++) {
      if (l.kind[i] == BOUND) {
        p[n++] = i;
      }
    }
    return p;
  }

  /** Normalises the bound positions of {@code row} into {@code nb}; false if one cannot match. */
  private static boolean normalizeRow(Resolved r, Layout l, Object[] row, Object[] nb) {
    for (int i = 0; i < 5; i++) {
      if (l.kind[i] == BOUND) {
        Object v = normBound(r, i, row[l.slot[i]]);
        if (v == NOTHING) {
          return false;
        }
        nb[i] = v;
      }
    }
    return true;
  }

  /**
   * Checks the constant positions and repeated variables of {@code d}; returns {@code prefix}
   * followed by the values of the new variables, or null when the datom does not match. With
   * {@code searched}, {@code d} came from {@link Db#search} given the pattern's constant value,
   * which then needs no second comparison (a nil constant is no search component: it is checked).
   */
  private static Object[] matchNew(
      Resolved r, Layout l, Datom d, Object[] prefix, int off, boolean searched) {
    if (r.added != null && d.added() != r.added) {
      return null;
    }
    if (r.e != Db.ANY && d.e() != r.e) {
      return null;
    }
    if (r.tx != Db.ANY && d.tx() != r.tx) {
      return null;
    }
    if (l.kind[2] == CONST && !(searched && r.v != null) && !Values.equal(d.v(), r.v)) {
      return null;
    }
    if (r.a != Db.ANY_A && d.a() != r.a) {
      return null;
    }
    Object[] out = new Object[off + l.newVars.size()];
    if (prefix != null) {
      System.arraycopy(prefix, 0, out, 0, off);
    }
    for (int i = 0; i < 5; i++) {
      if (l.kind[i] == NEW) {
        out[off + l.slot[i]] = value(d, i);
      } else if (l.kind[i] == REPEAT && !Values.equal(out[off + l.slot[i]], value(d, i))) {
        return null;
      }
    }
    return out;
  }

  static Symbol[] concat(Symbol[] a, List<Symbol> b) {
    Symbol[] out = new Symbol[a.length + b.size()];
    System.arraycopy(a, 0, out, 0, a.length);
    for (int i = 0; i < b.size(); i++) {
      out[a.length + i] = b.get(i);
    }
    return out;
  }

  // ---- collection sources

  /** The elements of a tuple of a collection source. */
  static Object elem(Object tuple, int i) {
    if (tuple instanceof List<?> l) {
      return i < l.size() ? l.get(i) : null;
    }
    if (tuple instanceof Object[] a) {
      return i < a.length ? a[i] : null;
    }
    if (tuple instanceof Datom d) {
      return value(d, i);
    }
    return null;
  }

  static int width(Object tuple) {
    if (tuple instanceof List<?> l) {
      return l.size();
    }
    if (tuple instanceof Object[] a) {
      return a.length;
    }
    return tuple instanceof Datom ? 5 : 0;
  }

  /** Runs the pattern against a collection of tuples. */
  static String matchColl(Context ctx, Clause.Pattern p, Collection<?> coll) {
    Term[] terms = terms(p, p.terms().size());
    Layout l = new Layout(terms, ctx);
    int need = 0;
    for (int i = 0; i < terms.length; i++) {
      if (l.kind[i] != BLANK) {
        need = i + 1;
      }
    }
    // Each matching tuple gives the values of the new variables; keyed by the bound positions.
    List<Object[]> vals = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    int[] bpos = new int[terms.length];
    int nb = 0;
    for (int i = 0; i < terms.length; i++) {
      if (l.kind[i] == BOUND) {
        bpos[nb++] = i;
      }
    }
    for (Object t : coll) {
      ctx.deadline.tick();
      if (width(t) < need) {
        continue;
      }
      Object[] row = new Object[l.newVars.size()];
      boolean ok = true;
      for (int i = 0; i < terms.length && ok; i++) {
        Object x = elem(t, i);
        switch (l.kind[i]) {
          case CONST:
            ok = Values.equal(x, ((Term.Const) terms[i]).value());
            break;
          case NEW:
            row[l.slot[i]] = x;
            break;
          case REPEAT:
            ok = Values.equal(row[l.slot[i]], x);
            break;
          default:
            break;
        }
      }
      if (!ok) {
        continue;
      }
      Object[] k = new Object[nb];
      for (int i = 0; i < nb; i++) {
        k[i] = elem(t, bpos[i]);
      }
      vals.add(row);
      keys.add(new Key(k));
    }
    if (l.boundVars.isEmpty()) {
      Set<Key> seen = new HashSet<>();
      List<Object[]> rows = new ArrayList<>();
      for (Object[] row : vals) {
        if (seen.add(new Key(row))) {
          rows.add(row);
        }
      }
      ctx.add(new Relation(l.newVars.toArray(new Symbol[0]), rows));
      return "scan";
    }
    Relation rel = ctx.take(l.boundVars);
    l.bindColumns(rel);
    Map<Key, List<Object[]>> index = new HashMap<>();
    for (int i = 0; i < vals.size(); i++) {
      index.computeIfAbsent(keys.get(i), x -> new ArrayList<>(2)).add(vals.get(i));
    }
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rel.rows) {
      Object[] k = new Object[nb];
      for (int i = 0; i < nb; i++) {
        k[i] = row[l.slot[bpos[i]]];
      }
      List<Object[]> hits = index.get(new Key(k));
      if (hits != null) {
        for (Object[] v : hits) {
          Object[] res = new Object[row.length + v.length];
          System.arraycopy(row, 0, res, 0, row.length);
          System.arraycopy(v, 0, res, row.length, v.length);
          out.add(res);
        }
      }
    }
    ctx.add(new Relation(concat(rel.vars, l.newVars), out));
    return "hash-join";
  }
}
