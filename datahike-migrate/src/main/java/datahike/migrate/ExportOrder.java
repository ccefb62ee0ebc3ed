package datahike.migrate;

import datahike.Database;
import datahike.Datom;
import datahike.db.AbstractDb;
import datahike.db.Db;
import datahike.db.DbValue;
import datahike.db.IndexType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The datoms of an export in Datahike's order, with bounded memory.
 *
 * <p>Datahike exports {@code (sort-by (juxt datom-tx :e) (datoms (history db) :eavt))}: the
 * history (or, without history, the current state) sorted by transaction, then entity, keeping
 * EAVT order within one entity of one transaction (the sort is stable); with {@code
 * :attribute-refs?} the system datoms of transaction 0 are left out. Sorting everything at once
 * would hold every datom in memory, so this walks EAVT in passes: a first pass counts the datoms
 * of each transaction, the transactions are cut into windows of about {@code window} datoms, and
 * each window is one more EAVT pass that keeps the window's datoms, sorts them stably by (tx, e)
 * and hands them on. A database that fits one window takes a single pass (the first pass keeps
 * the datoms while they fit).
 */
final class ExportOrder {
  private ExportOrder() {}

  /** Receives the datoms in export order. */
  interface Sink {
    /** Called once, before the first datom, with how many will follow. */
    default void start(long total) {}

    void accept(Datom d) throws IOException;
  }

  /** Transactions beyond this many ids are counted by one pass holding everything instead. */
  private static final long MAX_COUNTED_SPAN = 1L << 24;

  private static final Comparator<Datom> ORDER =
      Comparator.comparingLong(Datom::tx).thenComparingLong(Datom::e);

  /**
   * Calls {@code sink} with every datom to export in order, holding at most about {@code window}
   * datoms (or all, for a database with transaction ids spread over more than 2^24); returns the
   * count.
   */
  static long forEach(Database db, int window, Sink sink) throws IOException {
    DbValue base = db.unwrap().base();
    AbstractDb source = base.flags().keepHistory() ? Database.wrap(base).history().unwrap() : base;
    boolean skipTx0 = base.attributeRefs();
    long lo = DbValue.TX0;
    long span = Math.max(1, base.maxTx() - lo + 1);
    int[] counts = span <= MAX_COUNTED_SPAN ? new int[(int) span] : null;
    List<Datom> kept = new ArrayList<>();
    boolean keeping = true;
    long total = 0;
    for (Datom d : all(source)) {
      if (skipTx0 && d.tx() == DbValue.TX0) continue;
      total++;
      long i = d.tx() - lo;
      if (counts != null && i >= 0 && i < span) {
        counts[(int) i]++;
      } else {
        counts = null; // an id outside [tx0, max-tx]: fall back to holding everything
      }
      if (keeping) {
        kept.add(d);
        if (counts != null && kept.size() > window) {
          keeping = false;
          kept = new ArrayList<>();
        }
      }
    }
    sink.start(total);
    if (keeping) {
      emit(kept, sink);
      return total;
    }
    if (counts == null) {
      for (Datom d : all(source)) {
        if (!(skipTx0 && d.tx() == DbValue.TX0)) kept.add(d);
      }
      emit(kept, sink);
      return total;
    }
    // Cut [tx0, max-tx] into windows of about `window` datoms and make one pass per window.
    int from = 0;
    while (from < counts.length) {
      long n = 0;
      int to = from;
      while (to < counts.length && (n == 0 || n + counts[to] <= window)) n += counts[to++];
      long txFrom = lo + from;
      long txTo = lo + to - 1;
      if (n > 0) {
        List<Datom> part = new ArrayList<>((int) Math.min(n, Integer.MAX_VALUE - 8));
        for (Datom d : all(source)) {
          long tx = d.tx();
          if (tx >= txFrom && tx <= txTo && !(skipTx0 && tx == DbValue.TX0)) part.add(d);
        }
        emit(part, sink);
      }
      from = to;
    }
    return total;
  }

  private static Iterable<Datom> all(AbstractDb source) {
    return source.datoms(IndexType.EAVT, Db.ANY, Db.ANY_A, null, Db.ANY);
  }

  private static void emit(List<Datom> datoms, Sink sink) throws IOException {
    datoms.sort(ORDER); // List.sort is stable: EAVT order stays within (tx, e)
    for (Datom d : datoms) sink.accept(d);
  }
}
