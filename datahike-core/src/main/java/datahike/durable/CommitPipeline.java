package datahike.durable;

import datahike.DatahikeException;
import datahike.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs concurrent transactions with as few thread hand-offs as possible, and makes their log
 * records durable with group commit.
 *
 * <p>A writer pushes its {@link Job} onto a lock-free stack and parks until the job is durable or
 * failed. Two roles are taken by whichever waiting writer finds them free (a compare-and-set),
 * never by a dedicated thread:
 *
 * <ul>
 *   <li>the <b>combiner</b> takes every submitted job and applies them one after another (through
 *       the {@link Applier}, under the database's write lock), so N concurrent transactions cost
 *       one lock acquisition rather than N lock hand-offs between threads (flat combining, Hendler
 *       et al. 2010). Applied jobs enter the append queue in transaction order.
 *   <li>the <b>appender</b> writes everything queued in one {@link Store#append} (one sync: group
 *       commit) and unparks exactly the writers whose records it made durable.
 * </ul>
 *
 * While one writer syncs, another already applies the next transactions, so CPU and sync overlap.
 * A role's holder, on giving it up, looks again for work of that role: it goes on itself while its
 * own job is pending, or unparks one writer whose job is waiting for that role (this re-check after
 * the release is what makes a lost wake-up impossible). So each writer is woken about once per
 * transaction, by whoever completed it.
 *
 * <p>Why no lock around the queues: on a 2-core machine with 16 writers, the previous pipeline
 * (one lock, a condition of it per writer) spent its time in wake-up chains: the writers one sync
 * made durable woke one after another, each retaking the lock, and the appender waited 300-430 us
 * per sync for them to come back. Here the appender unparks them directly and they return without
 * touching a shared lock (gathering wait 150-290 us, 16 writers 1.1-1.2x the rate). What remains
 * is the machine's: waking 16 parked threads takes it 80-130 us (see the bench's
 * GroupCommitProbe).
 *
 * <p>Gathering: an appender that finds fewer records queued than recent batches held (up to {@link
 * #WINDOW} rounds back) waits for the missing writers, at most about one sync's duration. Without
 * it, writers split into two groups that sync alternately, about N/2 records per sync; with it, N
 * writers share about N records per sync. This is PostgreSQL's {@code
 * commit_delay}/{@code commit_siblings} idea with both settings derived from what the pipeline
 * observed, so a single writer never waits.
 *
 * <p>A failed append fails its batch and everything queued behind it, since those transactions
 * were computed on top of the failed ones; {@code onFailure} then resets the database state, and
 * until {@link #recovered()} newly applied jobs are refused.
 */
final class CommitPipeline {
  /** Applies a batch of jobs in order; runs in the combiner, outside every pipeline lock. */
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
    final Thread waiter;
    /** The job pushed before this one (the submission stack's link). */
    Job below;
    byte[] record;
    Object payload;
    Object result;
    long seq;
    /** Written last by whoever completes the job, before unparking {@link #waiter}. */
    volatile boolean done;
    Throwable failure;

    private Job(Object work, Thread waiter) {
      this.work = work;
      this.waiter = waiter;
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

    private void complete() {
      done = true;
      LockSupport.unpark(waiter);
    }
  }

  private final Store store;
  private final Applier applier;
  private final Consumer<Job> onDurable;
  private final Runnable onFailure;

  /** Submitted, not yet taken by a combiner: a Treiber stack, newest on top. */
  private final AtomicReference<Job> incoming = new AtomicReference<>();
  private final AtomicBoolean combining = new AtomicBoolean();
  private final AtomicBoolean appending = new AtomicBoolean();
  /** The combiner's thread while it combines: not a candidate for taking over the appender role. */
  private volatile Thread combiner;

  /** Guards {@link #queued}, {@link #poisoned} and the statistics; held for a few field writes. */
  private final Object queueLock = new Object();
  /** Applied, record waiting to be appended. */
  private final ArrayDeque<Job> queued = new ArrayDeque<>();
  /** {@code queued.size()}, readable without the lock. */
  private volatile int queuedSize;
  /** Set by a failed append until {@link #recovered()}: later records would build on lost ones. */
  private Throwable poisoned;
  /** The appender while it gathers: a combiner that queues enough unparks it. */
  private volatile Thread gatherer;
  private volatile int gatherTarget;

  private long batches;
  private long records;
  /** Time spent in {@link Store#append} and waiting for records to gather, in ns. */
  private long appendNanos;
  private long gatherNanos;

  /** Rounds whose batch sizes predict the next one. */
  static final int WINDOW = 8;

  /** Longest gathering wait, whatever the syncs cost. */
  static final long MAX_GATHER_NANOS = 2_000_000;

  /** Sizes of the last {@link #WINDOW} batches (ring; appender only). */
  private final int[] recentSizes = new int[WINDOW];

  /** Smoothed duration of one append (write + sync), in ns (appender only). */
  private long syncNanos;

  CommitPipeline(Store store, Applier applier, Consumer<Job> onDurable, Runnable onFailure) {
    this.store = store;
    this.applier = applier;
    this.onDurable = onDurable;
    this.onFailure = onFailure;
  }

  /** A job for {@link #run}, to be run by the calling thread. */
  Job job(Object work) {
    return new Job(work, Thread.currentThread());
  }

  /**
   * Submits {@code job} and returns once it is durable, taking the combiner or appender role
   * whenever one is free; throws what applying or appending it threw.
   */
  void run(Job job) {
    if (job.waiter != Thread.currentThread()) {
      throw new IllegalStateException("a job runs on the thread that created it");
    }
    Job top;
    do {
      top = incoming.get();
      job.below = top;
    } while (!incoming.compareAndSet(top, job));

    boolean failedAppend = false;
    boolean interrupted = false;
    while (!job.done) {
      boolean worked = false;
      // The sync is the long pole: start it before combining.
      if (queuedSize > 0 && appending.compareAndSet(false, true)) {
        failedAppend |= append(job);
        worked = true;
      }
      if (!job.done && incoming.get() != null && combining.compareAndSet(false, true)) {
        combine(job);
        worked = true;
      }
      // Park only after finding both roles taken or without work: their holders look again after
      // letting go, and whoever completes the job unparks this thread after setting done.
      if (!worked && !job.done) {
        LockSupport.park(this);
        // Uninterruptible: once submitted, the transaction may already be on its way to disk; a
        // caller that gave up could not tell whether it committed. (park returns at once while the
        // flag is set, so it is cleared here and set again on return.)
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failedAppend) onFailure.run();
    Throwable f = job.failure;
    if (f != null) {
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error er) throw er;
      throw new IllegalStateException(f);
    }
  }

  /** The combiner role, held on entry and given up on return. */
  private void combine(Job self) {
    Thread me = Thread.currentThread();
    combiner = me;
    while (true) {
      Job stack = incoming.getAndSet(null);
      if (stack != null) {
        applyBatch(inSubmissionOrder(stack));
        if (queuedSize > 0 && !appending.get()) {
          // More submissions keep this writer combining: a parked writer starts the sync.
          Job next = handOffTarget();
          if (next != null) LockSupport.unpark(next.waiter);
        }
        continue;
      }
      combiner = null;
      combining.set(false);
      Job waiting = incoming.get();
      if (waiting == null) return;
      if (self.done) {
        // This writer's caller is waiting for it: pass the role to a writer that submitted.
        LockSupport.unpark(waiting.waiter);
        return;
      }
      if (!combining.compareAndSet(false, true)) return;
      combiner = me;
    }
  }

  private static List<Job> inSubmissionOrder(Job top) {
    ArrayList<Job> batch = new ArrayList<>();
    for (Job j = top; j != null; j = j.below) batch.add(j);
    Collections.reverse(batch);
    for (Job j : batch) j.below = null;
    return batch;
  }

  private void applyBatch(List<Job> batch) {
    Throwable unexpected = null;
    try {
      applier.apply(batch);
    } catch (Throwable t) {
      unexpected = t;
    }
    if (unexpected != null) {
      // The applier failed before handing the jobs over: none of them was queued.
      List<Job> failed = new ArrayList<>();
      synchronized (queueLock) {
        for (Job j : batch) {
          if (!j.done && !queued.contains(j)) {
            j.failure = unexpected;
            failed.add(j);
          }
        }
      }
      for (Job j : failed) j.complete();
    }
  }

  /**
   * Takes applied jobs in order, with the state they were applied to still locked by the caller:
   * queues those with a record and completes those that failed.
   */
  void accept(List<Job> jobs) {
    List<Job> failed = null;
    int target;
    synchronized (queueLock) {
      for (Job j : jobs) {
        if (j.failure != null || j.record == null) {
          if (j.failure == null) j.failure = new IllegalStateException("job not applied");
          (failed == null ? failed = new ArrayList<>() : failed).add(j);
        } else if (poisoned != null) {
          j.failure =
              DatahikeException.of(
                  "transact/aborted",
                  "The transaction was built on a commit that failed to become durable; retry it",
                  poisoned);
          (failed == null ? failed = new ArrayList<>() : failed).add(j);
        } else {
          queued.add(j);
        }
      }
      queuedSize = queued.size();
      target = queuedSize;
    }
    if (failed != null) {
      for (Job j : failed) j.complete();
    }
    Thread g = gatherer;
    if (g != null && target >= gatherTarget) LockSupport.unpark(g);
  }

  /**
   * The appender role, held on entry and given up on return; true when an append failed. {@code
   * self} is the appender's own job, or null for a caller without one (which drains the queue).
   */
  private boolean append(Job self) {
    boolean failed = false;
    while (true) {
      if (self != null) gather();
      List<Job> batch;
      synchronized (queueLock) {
        batch = new ArrayList<>(queued);
        queued.clear();
        queuedSize = 0;
      }
      if (!batch.isEmpty()) failed |= appendBatch(batch);
      appending.set(false);
      if (queuedSize == 0) return failed;
      if (self != null && self.done) {
        Job next = handOffTarget();
        if (next != null) {
          LockSupport.unpark(next.waiter);
          return failed;
        }
      }
      if (!appending.compareAndSet(false, true)) return failed;
    }
  }

  /** A queued job whose writer is parked (not the combiner), to take over the appender role. */
  private Job handOffTarget() {
    Thread busy = combiner;
    synchronized (queueLock) {
      for (Job j : queued) {
        if (j.waiter != busy) return j;
      }
    }
    return null;
  }

  /** Appends and syncs one batch; completes its jobs; true when it failed. */
  private boolean appendBatch(List<Job> batch) {
    Throwable failure = null;
    try {
      List<byte[]> recs = new ArrayList<>(batch.size());
      for (Job b : batch) recs.add(b.record);
      long t0 = System.nanoTime();
      long last = store.append(recs);
      long took = System.nanoTime() - t0;
      syncNanos = syncNanos == 0 ? took : (syncNanos * 7 + took) / 8;
      synchronized (queueLock) {
        appendNanos += took;
      }
      for (int i = 0; i < batch.size(); i++) {
        Job b = batch.get(i);
        b.seq = last - (batch.size() - 1 - i);
        onDurable.accept(b);
      }
    } catch (Throwable t) {
      failure = t;
    }
    List<Job> alsoFailed = List.of();
    synchronized (queueLock) {
      if (failure != null) {
        poisoned = failure;
        alsoFailed = new ArrayList<>(queued);
        queued.clear();
        queuedSize = 0;
      }
      recentSizes[(int) (batches % WINDOW)] = batch.size();
      batches++;
      records += batch.size();
    }
    for (Job b : batch) {
      if (failure != null) b.failure = failure;
      b.complete();
    }
    for (Job q : alsoFailed) {
      q.failure = failure;
      q.complete();
    }
    return failure != null;
  }

  /**
   * Waits (parked) while fewer records are queued than the largest of the recent batches and more
   * are on their way, for at most one smoothed sync duration (capped by {@link #MAX_GATHER_NANOS}).
   */
  private void gather() {
    int expected = 0;
    for (int n : recentSizes) expected = Math.max(expected, n);
    if (queuedSize >= expected) return;
    long left = Math.min(syncNanos, MAX_GATHER_NANOS);
    long t0 = System.nanoTime();
    long deadline = t0 + left;
    gatherTarget = expected;
    gatherer = Thread.currentThread();
    try {
      boolean interrupted = false;
      while (queuedSize < expected && left > 0) {
        LockSupport.parkNanos(this, left);
        interrupted |= Thread.interrupted();
        left = deadline - System.nanoTime();
      }
      if (interrupted) Thread.currentThread().interrupt();
    } finally {
      gatherer = null;
      synchronized (queueLock) {
        gatherNanos += System.nanoTime() - t0;
      }
    }
  }

  /** Called once the database state was reset after a failure: accepts records again. */
  void recovered() {
    synchronized (queueLock) {
      poisoned = null;
    }
  }

  /**
   * Waits until nothing applied is waiting to be appended or being appended. Called with the
   * database's write lock held, so no job is being applied meanwhile.
   */
  void awaitIdle() {
    boolean failed = false;
    boolean interrupted = false;
    while (queuedSize > 0 || appending.get()) {
      if (appending.compareAndSet(false, true)) {
        // Nobody may be free to append (the combiner waits for the write lock the caller holds):
        // drain the queue from here.
        failed |= append(null);
      } else {
        LockSupport.parkNanos(this, 50_000);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failed) onFailure.run();
  }

  /** True when nothing applied is queued or being appended. */
  boolean idle() {
    return queuedSize == 0 && !appending.get();
  }

  /**
   * {@code [appends, records, append ns, gather ns]}: appends done so far (each one sync) and the
   * records they held (the group-commit ratio), time spent appending and waiting to gather.
   */
  long[] stats() {
    synchronized (queueLock) {
      return new long[] {batches, records, appendNanos, gatherNanos};
    }
  }
}
