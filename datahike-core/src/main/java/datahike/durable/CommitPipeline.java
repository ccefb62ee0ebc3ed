package datahike.durable;

import datahike.DatahikeException;
import datahike.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs concurrent transactions with as few thread hand-offs as possible, and makes their log
 * records durable with group commit.
 *
 * <p>A writer submits a {@link Job} and waits on a condition of its own. Two roles are taken by
 * whichever waiting writer finds them free, never by a dedicated thread:
 *
 * <ul>
 *   <li>the <b>combiner</b> takes every submitted job and applies them one after another (through
 *       the {@link Applier}, under the database's write lock), so N concurrent transactions cost
 *       one lock acquisition rather than N lock hand-offs between threads (flat combining, Hendler
 *       et al. 2010). Applied jobs enter the append queue in transaction order.
 *   <li>the <b>appender</b> writes everything queued in one {@link Store#append} (one sync: group
 *       commit) and wakes exactly the writers whose records it made durable.
 * </ul>
 *
 * While one writer syncs, another already applies the next transactions, so CPU and sync overlap.
 * Wake-ups are targeted: a writer is woken when its transaction is durable or failed, or when a
 * role it can take fell free; never all writers on every change. On a 2-core machine the earlier
 * design (a shared lock per transaction and one condition for everyone) spent most of its time
 * in thread wake-ups: 16 writers ran at 0.4 of one writer's in-memory rate.
 *
 * <p>Gathering: an appender that finds fewer records queued than recent batches held (up to {@link
 * #WINDOW} rounds back) waits for the missing writers, at most about one sync's duration. Without
 * it, writers alternate between a large batch and a small one; with it, N writers share about N
 * records per sync. This is PostgreSQL's {@code commit_delay}/{@code commit_siblings} idea with
 * both settings derived from what the pipeline observed, so a single writer never waits.
 *
 * <p>A failed append fails its batch and everything queued behind it, since those transactions
 * were computed on top of the failed ones; {@code onFailure} then resets the database state, and
 * until {@link #recovered()} newly applied jobs are refused.
 */
final class CommitPipeline {
  /** Applies a batch of jobs in order; runs without the pipeline's lock. */
  interface Applier {
    /**
     * Applies each job (setting {@link Job#applied} or {@link Job#fail}) and then, with the state
     * they were applied to still locked, hands them all to {@link #accept}.
     */
    void apply(List<Job> jobs);
  }

  /** One submitted transaction, from submission until durable or failed. */
  static final class Job {
    final Object work;
    private final Condition wake;
    byte[] record;
    Object payload;
    Object result;
    long seq;
    private boolean done;
    Throwable failure;

    private Job(Object work, Condition wake) {
      this.work = work;
      this.wake = wake;
    }

    /** Applied: {@code record} is to be logged; {@code payload} goes to onDurable. */
    void applied(byte[] record, Object payload, Object result) {
      this.record = record;
      this.payload = payload;
      this.result = result;
    }

    void fail(Throwable t) {
      this.failure = t;
    }
  }

  private final Store store;
  private final Applier applier;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idleChanged = lock.newCondition();
  /** Submitted, not yet applied. */
  private final ArrayDeque<Job> incoming = new ArrayDeque<>();
  /** Applied, record waiting to be appended. */
  private final ArrayDeque<Job> queued = new ArrayDeque<>();
  private final Consumer<Job> onDurable;
  private final Runnable onFailure;
  private boolean combining;
  private boolean appending;
  /** The appender while it waits for more records: accept wakes it. */
  private Job gatherer;
  private int gatherTarget;
  /** Set by a failed append until {@link #recovered()}: later records would build on lost ones. */
  private Throwable poisoned;
  private long batches;
  private long records;
  /** Time spent in {@link Store#append} and waiting for records to gather, in ns. */
  private long appendNanos;
  private long gatherNanos;

  /** Rounds whose batch sizes predict the next one. */
  static final int WINDOW = 8;

  /** Longest gathering wait, whatever the syncs cost. */
  static final long MAX_GATHER_NANOS = 2_000_000;

  /** Sizes of the last {@link #WINDOW} batches (ring). */
  private final int[] recentSizes = new int[WINDOW];

  /** Smoothed duration of one append (write + sync), in ns. */
  private long syncNanos;

  CommitPipeline(Store store, Applier applier, Consumer<Job> onDurable, Runnable onFailure) {
    this.store = store;
    this.applier = applier;
    this.onDurable = onDurable;
    this.onFailure = onFailure;
  }

  /** A job for {@link #run}. */
  Job job(Object work) {
    return new Job(work, lock.newCondition());
  }

  /**
   * Submits {@code job} and returns once it is durable, taking the combiner or appender role
   * whenever one is free; throws what applying or appending it threw.
   */
  void run(Job job) {
    boolean failedAppend = false;
    lock.lock();
    try {
      incoming.add(job);
      while (!job.done) {
        if (!combining && !incoming.isEmpty()) {
          combine(job);
        } else if (!appending && !queued.isEmpty()) {
          failedAppend |= append(job);
        } else {
          job.wake.awaitUninterruptibly();
        }
      }
      handOff();
    } finally {
      lock.unlock();
    }
    if (failedAppend) onFailure.run();
    Throwable f = job.failure;
    if (f != null) {
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error er) throw er;
      throw new IllegalStateException(f);
    }
  }

  /** Wakes a writer for each free role that has work (lock held). */
  private void handOff() {
    if (!combining && !incoming.isEmpty()) incoming.peekFirst().wake.signal();
    if (!appending && !queued.isEmpty()) queued.peekFirst().wake.signal();
  }

  /** The combiner role, lock held on entry and exit. */
  private void combine(Job self) {
    combining = true;
    if (!appending) {
      // Records are waiting, but this writer combines first (and may block on the write lock,
      // which a sync or flush holds while it waits for the queue to drain): another queued
      // writer takes the appender role.
      for (Job j : queued) {
        if (j != self) {
          j.wake.signal();
          break;
        }
      }
    }
    List<Job> batch = new ArrayList<>(incoming);
    incoming.clear();
    lock.unlock();
    Throwable unexpected = null;
    try {
      applier.apply(batch);
    } catch (Throwable t) {
      unexpected = t;
    }
    lock.lock();
    combining = false;
    if (unexpected != null) {
      // The applier failed before handing the jobs over: none of them was queued.
      for (Job j : batch) {
        if (!j.done && !queued.contains(j)) complete(j, unexpected);
      }
    }
  }

  /**
   * Takes applied jobs in order, with the state they were applied to still locked by the caller:
   * queues those with a record and completes those that failed.
   */
  void accept(List<Job> jobs) {
    lock.lock();
    try {
      for (Job j : jobs) {
        if (j.failure != null || j.record == null) {
          complete(j, j.failure != null ? j.failure : new IllegalStateException("job not applied"));
        } else if (poisoned != null) {
          complete(
              j,
              DatahikeException.of(
                  "transact/aborted",
                  "The transaction was built on a commit that failed to become durable; retry it",
                  poisoned));
        } else {
          queued.add(j);
        }
      }
      if (gatherer != null && queued.size() >= gatherTarget) gatherer.wake.signal();
    } finally {
      lock.unlock();
    }
  }

  private static void complete(Job j, Throwable failure) {
    j.failure = failure;
    j.done = true;
    j.wake.signal();
  }

  /**
   * The appender role, lock held on entry and exit; true when the append failed. {@code self} is the
   * appender's own job (it gathers on its condition), or null for a caller without one (no
   * gathering).
   */
  private boolean append(Job self) {
    appending = true;
    gather(self);
    List<Job> batch = new ArrayList<>(queued);
    queued.clear();
    lock.unlock();
    Throwable failure = null;
    try {
      List<byte[]> recs = new ArrayList<>(batch.size());
      for (Job b : batch) recs.add(b.record);
      long t0 = System.nanoTime();
      long last = store.append(recs);
      long took = System.nanoTime() - t0;
      appendNanos += took;
      syncNanos = syncNanos == 0 ? took : (syncNanos * 7 + took) / 8;
      for (int i = 0; i < batch.size(); i++) {
        Job b = batch.get(i);
        b.seq = last - (batch.size() - 1 - i);
        onDurable.accept(b);
      }
    } catch (Throwable t) {
      failure = t;
    }
    lock.lock();
    for (Job b : batch) {
      if (failure != null) b.failure = failure;
      b.done = true;
      b.wake.signal();
    }
    if (failure != null) {
      poisoned = failure;
      for (Job q : queued) complete(q, failure);
      queued.clear();
    }
    recentSizes[(int) (batches % WINDOW)] = batch.size();
    batches++;
    records += batch.size();
    appending = false;
    idleChanged.signalAll();
    handOff();
    return failure != null;
  }

  /**
   * With the lock held: waits (releasing it) while fewer records are queued than the largest of the
   * recent batches, for at most one smoothed sync duration (capped by {@link #MAX_GATHER_NANOS}).
   */
  private void gather(Job self) {
    if (self == null) return;
    int expected = 0;
    for (int n : recentSizes) expected = Math.max(expected, n);
    if (queued.size() >= expected || poisoned != null) return;
    long left = Math.min(syncNanos, MAX_GATHER_NANOS);
    long t0 = System.nanoTime();
    gatherer = self;
    gatherTarget = expected;
    try {
      while (queued.size() < expected && left > 0) {
        try {
          left = self.wake.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } finally {
      gatherer = null;
      gatherNanos += System.nanoTime() - t0;
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

  /**
   * Waits until nothing applied is waiting to be appended or being appended. Called with the
   * database's write lock held, so no job is being applied meanwhile.
   */
  void awaitIdle() {
    boolean failed = false;
    lock.lock();
    try {
      while (!queued.isEmpty() || appending) {
        if (!appending) {
          // Nobody may be free to append (the combiner waits for the write lock the caller holds):
          // drain the queue from here.
          failed |= append(null);
          continue;
        }
        try {
          idleChanged.await(1, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    if (failed) onFailure.run();
  }

  /** True when nothing applied is queued or being appended. */
  boolean idle() {
    lock.lock();
    try {
      return queued.isEmpty() && !appending;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code [appends, records, append ns, gather ns]}: appends done so far (each one sync) and the
   * records they held (the group-commit ratio), time spent appending and waiting to gather.
   */
  long[] stats() {
    lock.lock();
    try {
      return new long[] {batches, records, appendNanos, gatherNanos};
    } finally {
      lock.unlock();
    }
  }
}
