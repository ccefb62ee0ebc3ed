package datahike.durable;

import datahike.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit of transaction log records. Writers enqueue their record while they still hold the
 * database's write lock, so records enter the queue in transaction order; they then wait outside
 * that lock. The first waiter becomes the leader and appends everything queued in one {@link
 * Store#append} call (one sync), then wakes the others (leader/follower, as in the store's
 * GroupCommitter, which cannot be used here because enqueueing and waiting must be separate
 * steps).
 *
 * <p>Gathering: a leader that finds fewer records queued than recent batches held (up to {@link
 * #WINDOW} rounds back) waits for the missing writers to enqueue, at most about one sync's
 * duration. Without it, writers alternate between a large batch and a small one (those that
 * happened to be free when the previous sync ended), so N writers share about N/2 records per
 * sync; with it, about N. This is PostgreSQL's {@code commit_delay}/{@code commit_siblings} idea
 * with both settings derived from what the pipeline observed, so a single writer never waits.
 *
 * <p>A failed append fails its batch and everything queued behind it, since those transactions
 * were computed on top of the failed ones; {@code onFailure} then resets the database state.
 */
final class CommitPipeline {
  /** One record waiting to become durable. */
  static final class Pending {
    final byte[] record;
    final Object payload;
    long seq;
    boolean done;
    Throwable failure;

    Pending(byte[] record, Object payload) {
      this.record = record;
      this.payload = payload;
    }
  }

  private final Store store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Consumer<Pending> onDurable;
  private final Runnable onFailure;
  private boolean flushing;
  /** Set by a failed append until {@link #recovered()}: later records would build on lost ones. */
  private Throwable poisoned;
  private long batches;
  private long records;

  /** Rounds whose batch sizes predict the next one. */
  static final int WINDOW = 8;

  /** Longest gathering wait, whatever the syncs cost. */
  static final long MAX_GATHER_NANOS = 2_000_000;

  /** Sizes of the last {@link #WINDOW} batches (ring). */
  private final int[] recentSizes = new int[WINDOW];

  /** Smoothed duration of one append (write + sync), in ns. */
  private long syncNanos;

  /** True while a leader waits for more records: enqueue then wakes it. */
  private boolean gathering;

  CommitPipeline(Store store, Consumer<Pending> onDurable, Runnable onFailure) {
    this.store = store;
    this.onDurable = onDurable;
    this.onFailure = onFailure;
  }

  /** Queues a record; call with the database's write lock held. */
  Pending enqueue(byte[] record, Object payload) {
    Pending p = new Pending(record, payload);
    lock.lock();
    try {
      if (poisoned != null) {
        throw datahike.DatahikeException.of(
            "transact/aborted",
            "The transaction was built on a commit that failed to become durable; retry it",
            poisoned);
      }
      queue.add(p);
      if (gathering) changed.signalAll();
    } finally {
      lock.unlock();
    }
    return p;
  }

  /** Waits until {@code p} is durable; throws what the append threw when it failed. */
  void await(Pending p) {
    boolean failed = false;
    lock.lock();
    try {
      while (!p.done) {
        if (!flushing) {
          failed |= lead();
        } else {
          changed.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
    if (failed) onFailure.run();
    if (p.failure != null) {
      if (p.failure instanceof RuntimeException re) throw re;
      if (p.failure instanceof Error er) throw er;
      throw new IllegalStateException(p.failure);
    }
  }

  /** One append round with the lock held on entry and exit; true when it failed. */
  private boolean lead() {
    flushing = true;
    gather();
    List<Pending> batch = new ArrayList<>(queue);
    queue.clear();
    lock.unlock();
    Throwable failure = null;
    long last = 0;
    try {
      List<byte[]> recs = new ArrayList<>(batch.size());
      for (Pending b : batch) recs.add(b.record);
      long t0 = System.nanoTime();
      last = store.append(recs);
      long took = System.nanoTime() - t0;
      syncNanos = syncNanos == 0 ? took : (syncNanos * 7 + took) / 8;
      for (int i = 0; i < batch.size(); i++) {
        Pending b = batch.get(i);
        b.seq = last - (batch.size() - 1 - i);
        onDurable.accept(b);
      }
    } catch (Throwable t) {
      failure = t;
    }
    lock.lock();
    for (Pending b : batch) {
      b.done = true;
      if (failure != null) b.failure = failure;
    }
    if (failure != null) {
      poisoned = failure;
      for (Pending q : queue) {
        q.done = true;
        q.failure = failure;
      }
      queue.clear();
    }
    recentSizes[(int) (batches % WINDOW)] = batch.size();
    batches++;
    records += batch.size();
    flushing = false;
    changed.signalAll();
    return failure != null;
  }

  /**
   * With the lock held: waits (releasing it) while fewer records are queued than the largest of the
   * recent batches, for at most one smoothed sync duration (capped by {@link #MAX_GATHER_NANOS}).
   */
  private void gather() {
    int expected = 0;
    for (int n : recentSizes) expected = Math.max(expected, n);
    if (queue.size() >= expected || poisoned != null) return;
    long deadline = System.nanoTime() + Math.min(syncNanos, MAX_GATHER_NANOS);
    gathering = true;
    try {
      long left;
      while (queue.size() < expected && (left = deadline - System.nanoTime()) > 0) {
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } finally {
      gathering = false;
    }
  }

  /** Called once the database state was reset after a failure: accepts records again. */
  void recovered() {
    lock.lock();
    try {
      poisoned = null;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until nothing is queued or being appended. */
  void awaitIdle() {
    lock.lock();
    try {
      while (!queue.isEmpty() || flushing) changed.awaitUninterruptibly();
    } finally {
      lock.unlock();
    }
  }

  /** True when nothing is queued or being appended. */
  boolean idle() {
    lock.lock();
    try {
      return queue.isEmpty() && !flushing;
    } finally {
      lock.unlock();
    }
  }

  /** Appends done so far (each one sync) and records appended: the group-commit ratio. */
  long[] stats() {
    lock.lock();
    try {
      return new long[] {batches, records};
    } finally {
      lock.unlock();
    }
  }
}
