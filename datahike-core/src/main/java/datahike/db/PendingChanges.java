package datahike.db;

import datahike.Datom;
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

  /** {@code tree} with the recorded changes applied under {@code edit}; forgets them. */
  DatomTree applyTo(DatomTree tree, Edit edit) {
    DatomTree t = tree;
    if (!removals) {
      // Additions only: distinct and absent (see the class comment), so one sorted batch.
      Datom[] sorted = n == datoms.length ? datoms : Arrays.copyOf(datoms, n);
      if (n > 1) Arrays.sort(sorted, 0, n, t::compare);
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
