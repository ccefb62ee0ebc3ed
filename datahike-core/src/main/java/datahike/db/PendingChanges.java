package datahike.db;

import datahike.Datom;
import datahike.index.DatomOrder;
import datahike.index.DatomTree;
import datahike.index.Edit;
import java.util.Arrays;

/**
 * Changes a transaction made to one index of a transient {@link DbValue} that are not applied to
 * its tree yet.
 *
 * <p>The transactor reads EAVT for every datom it writes, so EAVT (and the temporal EAVT) is
 * updated at once; AEVT and AVET (and their temporal twins) are read rarely during a transaction
 * (unique attributes, upserts, reverse references, transaction functions), so their changes wait
 * here until the first read or until the value is published, and then go in as one sorted batch
 * ({@link DatomTree#withAll}): a large transaction touches each leaf once instead of descending
 * from the root per datom into random places, and a small one pays nothing more.
 *
 * <p>Only effective changes are recorded: {@link DbValue} records a datom when it changed the
 * leading tree (EAVT), which holds the same set of datoms. So, in the order recorded, an addition
 * is never present in the index and a removal always is. Internal.
 */
final class PendingChanges {
  private static final Datom[] NONE = new Datom[0];
  private Datom[] datoms = NONE;
  /** Parallel to {@link #datoms}: true for an addition, false for a removal. */
  private boolean[] added = new boolean[0];
  private int n;
  private boolean removals;

  boolean isEmpty() {
    return n == 0;
  }

  void add(Datom d) {
    push(d, true);
  }

  void remove(Datom d) {
    push(d, false);
    removals = true;
  }

  private void push(Datom d, boolean isAdd) {
    if (n == datoms.length) {
      int cap = Math.max(8, n * 2);
      datoms = Arrays.copyOf(datoms, cap);
      added = Arrays.copyOf(added, cap);
    }
    datoms[n] = d;
    added[n] = isAdd;
    n++;
  }

  /** Batches from this size on are grouped by attribute before they are sorted. */
  private static final int BUCKETED = 64;

  /** At most this many attributes are grouped; a batch with more is sorted as a whole. */
  private static final int MAX_ATTRS = 64;

  /**
   * {@code ds[0, n)} grouped by attribute, the groups in attribute order, each group in the order
   * recorded; null when the batch has more than {@link #MAX_ATTRS} attributes. AEVT and AVET lead
   * with the attribute, so sorting each group on its own then sorts the whole batch, with fewer
   * comparisons: a transaction's datoms come entity by entity, so within one attribute they are
   * usually in entity order already, which is AEVT's order there.
   */
  private static Datom[] byAttribute(Datom[] ds, int n) {
    int[] attrs = new int[MAX_ATTRS];
    int[] counts = new int[MAX_ATTRS];
    int k = 0;
    int last = 0; // the group of the previous datom: runs of one attribute skip the search
    for (int i = 0; i < n; i++) {
      int a = ds[i].a;
      int g = k > 0 && attrs[last] == a ? last : -1;
      for (int x = 0; g < 0 && x < k; x++) if (attrs[x] == a) g = x;
      if (g < 0) {
        if (k == MAX_ATTRS) return null;
        g = k++;
        attrs[g] = a;
      }
      counts[g]++;
      last = g;
    }
    // Groups in attribute order (at most MAX_ATTRS of them), then their start offsets.
    Integer[] order = new Integer[k];
    for (int x = 0; x < k; x++) order[x] = x;
    Arrays.sort(order, (x, y) -> DatomOrder.cmpA(attrs[x], attrs[y]));
    int[] start = new int[k];
    int off = 0;
    for (int x = 0; x < k; x++) {
      start[order[x]] = off;
      off += counts[order[x]];
    }
    Datom[] out = new Datom[n];
    for (int i = 0; i < n; i++) {
      int a = ds[i].a;
      int g = 0;
      while (attrs[g] != a) g++;
      out[start[g]++] = ds[i];
    }
    return out;
  }

  /** {@code tree} with the recorded changes applied under {@code edit}; forgets them. */
  DatomTree applyTo(DatomTree tree, Edit edit) {
    DatomTree t = tree;
    if (!removals) {
      // Additions only: distinct and absent (see the class comment), so one sorted batch.
      boolean byAttr = n >= BUCKETED && t.order() != DatomOrder.EAVT;
      Datom[] sorted = byAttr ? byAttribute(datoms, n) : null;
      if (sorted != null) {
        java.util.Comparator<Datom> c = t::compare;
        for (int i = 0; i < n; ) {
          int j = i + 1;
          while (j < n && sorted[j].a == sorted[i].a) j++;
          if (j - i > 1) Arrays.sort(sorted, i, j, c);
          i = j;
        }
      } else {
        sorted = datoms;
        Arrays.sort(sorted, 0, n, t::compare);
      }
      t = t.withAll(sorted, n, edit);
    } else {
      // Mixed: in the order recorded, since a fact may be removed and added again.
      for (int i = 0; i < n; i++) {
        t = added[i] ? t.with(datoms[i], edit) : t.without(datoms[i], edit);
      }
    }
    Arrays.fill(datoms, 0, n, null);
    n = 0;
    removals = false;
    return t;
  }
}
