package datahike.db;

import datahike.Datom;
import datahike.index.DatomOrder;
import datahike.index.Values;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiPredicate;
import java.util.function.LongPredicate;

/**
 * A view over a database value: history (current and retracted datoms), as-of (the state at a
 * point in time), since (what was asserted after a point and is still there), and filter (only
 * datoms a predicate accepts). Views stack: each constraint is kept in one field and all apply
 * together.
 *
 * <p>As-of is computed from the history: for every fact (e, a, v) the last operation at or before
 * the time point decides whether the fact holds. Internal.
 */
public final class ViewDb extends AbstractDb {
  private final DbValue base;
  private final boolean history;
  private final LongPredicate asOf;
  private final LongPredicate since;
  private final BiPredicate<Db, Datom> filter;
  private final long asOfTx;

  private ViewDb(
      DbValue base,
      boolean history,
      LongPredicate asOf,
      long asOfTx,
      LongPredicate since,
      BiPredicate<Db, Datom> filter) {
    this.base = base;
    this.history = history;
    this.asOf = asOf;
    this.asOfTx = asOfTx;
    this.since = since;
    this.filter = filter;
  }

  /** A plain view (no constraint) over {@code db}. */
  public static ViewDb of(AbstractDb db) {
    if (db instanceof ViewDb v) return v;
    return new ViewDb(db.base(), false, null, Long.MAX_VALUE, null, null);
  }

  /** This view with history on. */
  public ViewDb history() {
    return new ViewDb(base, true, asOf, asOfTx, since, filter);
  }

  /** This view as of the transactions accepted by {@code txOk}; {@code maxTx} bounds them. */
  public ViewDb asOf(LongPredicate txOk, long maxTx) {
    LongPredicate p = asOf == null ? txOk : asOf.and(txOk);
    return new ViewDb(base, history, p, Math.min(asOfTx, maxTx), since, filter);
  }

  /** This view restricted to transactions accepted by {@code txOk} (since). */
  public ViewDb since(LongPredicate txOk) {
    LongPredicate p = since == null ? txOk : since.and(txOk);
    return new ViewDb(base, history, asOf, asOfTx, p, filter);
  }

  /** This view with a datom filter added. */
  public ViewDb filter(BiPredicate<Db, Datom> f) {
    BiPredicate<Db, Datom> p = filter == null ? f : filter.and(f);
    return new ViewDb(base, history, asOf, asOfTx, since, p);
  }

  /** True when a user filter applies. */
  public boolean isFiltered() {
    return filter != null;
  }

  public boolean isAsOf() {
    return asOf != null;
  }

  public boolean isSince() {
    return since != null;
  }

  @Override
  public DbValue base() {
    return base;
  }

  @Override
  public boolean isHistory() {
    return history;
  }

  @Override
  public long maxTx() {
    return Math.min(base.maxTx(), asOfTx);
  }

  @Override
  public Iterable<Datom> search(long e, int a, Object v, long tx) {
    if (a == NO_ATTR) return java.util.List.of();
    IndexType idx =
        e >= 0 ? IndexType.EAVT : a != ANY_A ? (v != null ? IndexType.AVET : IndexType.AEVT) : IndexType.EAVT;
    Iterable<Datom> cur = base.searchIn(false, e, a, v, tx);
    return apply(idx, cur, base.searchIn(true, e, a, v, tx));
  }

  @Override
  public Iterable<Datom> datoms(IndexType index, long e, int a, Object v, long tx) {
    return apply(
        index, base.datomsIn(false, index, e, a, v, tx), base.datomsIn(true, index, e, a, v, tx));
  }

  @Override
  public Iterable<Datom> valueRange(int a, Object from, Object to) {
    Datom lo = new Datom(-1, a, from, 0, true);
    Datom hi = new Datom(-1, a, to, 0, true);
    return apply(
        IndexType.AVET,
        base.tree(IndexType.AVET).slice(lo, hi),
        base.temporalTree(IndexType.AVET).slice(lo, hi));
  }

  private Iterable<Datom> apply(IndexType idx, Iterable<Datom> current, Iterable<Datom> temporal) {
    Iterable<Datom> r;
    DatomOrder order = DatomOrder.valueOf(idx.name());
    if (history) {
      r = Iterables.merge(current, temporal, order::compareWithTx);
      if (asOf != null) r = Iterables.filter(r, d -> asOf.test(d.tx()));
    } else if (asOf != null) {
      Iterable<Datom> merged = Iterables.merge(current, temporal, order::compareWithTx);
      r = () -> new LatestOps(merged.iterator(), asOf);
    } else {
      r = current;
    }
    if (since != null) r = Iterables.filter(r, d -> since.test(d.tx()));
    if (filter != null) r = Iterables.filter(r, d -> filter.test(this, d));
    return r;
  }

  @Override
  public long estimateCount(long e, int a, Object v) {
    long c = base.estimateCount(e, a, v);
    if (history || asOf != null) {
      IndexType idx =
          e >= 0 ? IndexType.EAVT : a != ANY_A ? (v != null ? IndexType.AVET : IndexType.AEVT) : IndexType.EAVT;
      Datom key = new Datom(e, a, (e >= 0 && a == ANY_A) ? null : v, 0, true);
      c += base.temporalTree(idx).count(key, key);
    }
    return c;
  }

  /**
   * Walks a history sequence sorted so that all operations on one fact are adjacent and in tx
   * order, and yields each fact whose last accepted operation is an assertion.
   */
  private static final class LatestOps implements Iterator<Datom> {
    private final Iterator<Datom> it;
    private final LongPredicate ok;
    private Datom pending;
    private Datom next;

    LatestOps(Iterator<Datom> it, LongPredicate ok) {
      this.it = it;
      this.ok = ok;
      this.pending = it.hasNext() ? it.next() : null;
      advance();
    }

    private void advance() {
      next = null;
      while (pending != null && next == null) {
        Datom first = pending;
        Datom last = null;
        Datom d = first;
        while (true) {
          if (ok.test(d.tx())) last = d;
          if (!it.hasNext()) {
            pending = null;
            break;
          }
          d = it.next();
          if (d.e != first.e || d.a != first.a || !Values.equal(d.v, first.v)) {
            pending = d;
            break;
          }
        }
        if (last != null && last.added()) next = last;
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Datom next() {
      Datom d = next;
      if (d == null) throw new NoSuchElementException();
      advance();
      return d;
    }
  }
}
