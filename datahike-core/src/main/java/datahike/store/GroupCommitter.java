package datahike.store;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Lets concurrent writers share one durable flush (group commit). Each caller of {@link #commit}
 * blocks until its item has been flushed, but one flush carries every item queued while the
 * previous flush ran, so N threads pay about one sync per round instead of N.
 *
 * <p>How: no dedicated thread. The caller that finds no flush running becomes the leader: it takes
 * the queue (up to {@code maxWeight}, at least one item), releases the lock, hands the batch to the
 * {@link Flusher}, then retakes the lock, completes the batch and wakes everyone. A woken caller
 * whose item is done returns; otherwise one of them leads the next round. With one thread this is a
 * plain call; under load a round's batch is whatever arrived during the previous sync. This is the
 * scheme of MySQL's binlog group commit and of LevelDB's writer queue ({@code DBImpl::Write}).
 *
 * <p>The flusher runs in one thread at a time and sees batches in arrival order, so it may number
 * items as it writes them. If it throws, every item of that batch fails with the error (as a fresh
 * exception per caller, with the original as cause).
 *
 * <p>Internal: not part of the public API; public so backends in other modules can use it.
 *
 * @param <T> what callers commit
 * @param <R> what each caller gets back
 */
public final class GroupCommitter<T, R> {

  /** Writes and syncs one batch; returns one result per item, in order. */
  @FunctionalInterface
  public interface Flusher<T, R> {
    /** Makes {@code batch} durable; returns one result per item. */
    List<R> flush(List<T> batch) throws Exception;
  }

  private static final class Pending<T, R> {
    final T item;
    final long weight;
    boolean done;
    R result;
    Throwable failure;

    Pending(T item, long weight) {
      this.item = item;
      this.weight = weight;
    }
  }

  private final Flusher<T, R> flusher;
  private final ToLongFunction<T> weigher;
  private final long maxWeight;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
  private boolean flushing;
  private boolean closed;
  private long flushes;
  private long items;

  /**
   * A committer handing batches to {@code flusher}; a batch holds at most {@code maxWeight} as
   * measured by {@code weigher} (a single heavier item goes alone).
   */
  public GroupCommitter(Flusher<T, R> flusher, ToLongFunction<T> weigher, long maxWeight) {
    this.flusher = flusher;
    this.weigher = weigher;
    this.maxWeight = maxWeight;
  }

  /** Queues {@code item}, waits until a flush has made it durable, and returns its result. */
  public R commit(T item) {
    Pending<T, R> p = new Pending<>(item, weigher.applyAsLong(item));
    boolean interrupted = false;
    lock.lock();
    try {
      if (closed) {
        throw DatahikeException.of("store/closed", "the log is closed");
      }
      queue.add(p);
      while (!p.done) {
        if (!flushing) {
          lead();
        } else {
          // Uninterruptible: once queued, the item may already be on its way to disk; a caller
          // that gave up could not tell whether it committed.
          try {
            changed.await();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (p.failure != null) {
      throw rethrow(p.failure);
    }
    return p.result;
  }

  /** Runs one flush round; called and returns with the lock held. */
  private void lead() {
    flushing = true;
    List<Pending<T, R>> batch = new ArrayList<>();
    long weight = 0;
    while (!queue.isEmpty()) {
      Pending<T, R> next = queue.peek();
      if (!batch.isEmpty() && weight + next.weight > maxWeight) {
        break;
      }
      weight += next.weight;
      batch.add(queue.poll());
    }
    lock.unlock();
    List<R> results = null;
    Throwable failure = null;
    try {
      List<T> its = new ArrayList<>(batch.size());
      for (Pending<T, R> b : batch) {
        its.add(b.item);
      }
      results = flusher.flush(its);
      if (results == null || results.size() != batch.size()) {
        throw new IllegalStateException("flusher returned the wrong number of results");
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      lock.lock();
      for (int i = 0; i < batch.size(); i++) {
        Pending<T, R> b = batch.get(i);
        b.done = true;
        if (failure != null) {
          b.failure = failure;
        } else {
          b.result = results.get(i);
        }
      }
      flushes++;
      items += batch.size();
      flushing = false;
      changed.signalAll();
    }
  }

  /**
   * Stops accepting commits; waits for a running flush to finish and fails queued items with {@code
   * :store/closed}. Idempotent.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
      while (flushing) {
        changed.awaitUninterruptibly();
      }
      DatahikeException e = DatahikeException.of("store/closed", "the log was closed");
      for (Pending<T, R> p : queue) {
        p.done = true;
        p.failure = e;
      }
      queue.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} while no flush is running and none can start: for changing what the flusher
   * writes to (closing or switching files).
   */
  public void exclusive(Runnable action) {
    lock.lock();
    try {
      while (flushing) {
        changed.awaitUninterruptibly();
      }
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** Flush rounds so far. */
  public long flushes() {
    lock.lock();
    try {
      return flushes;
    } finally {
      lock.unlock();
    }
  }

  /** Items flushed so far; {@code items() / flushes()} is the mean group size. */
  public long items() {
    lock.lock();
    try {
      return items;
    } finally {
      lock.unlock();
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof DatahikeException d) {
      List<Object> kvs = new ArrayList<>();
      for (Map.Entry<Keyword, Object> e : d.data().entrySet()) {
        kvs.add(e.getKey());
        kvs.add(e.getValue());
      }
      kvs.add(d);
      return DatahikeException.of(d.code().fullName(), d.getMessage(), kvs.toArray());
    }
    if (t instanceof Error e) {
      throw e;
    }
    return DatahikeException.of("store/io", "log append failed: " + t, t);
  }
}
