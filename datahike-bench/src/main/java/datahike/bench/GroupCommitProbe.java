package datahike.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The machine's ceiling for the concurrent-writers figure: group commit with no database at all.
 *
 * <p>Each writer thread "commits" a {@value #RECORD_BYTES}-byte record and blocks until it is
 * durable, exactly as a {@code transact} caller does; whichever waiting writer finds the appender
 * role free writes every queued record with one positional write, syncs with {@code
 * FileChannel.force(false)} (as the file store's log does) and unparks the writers it made
 * durable. The file is preallocated, so no sync changes its size. One writer, then {@code n}
 * writers; the ratio of the two rates is what an engine with free transactions would reach here.
 *
 * <p>Why it is in the bench: on a machine whose sync is fast next to a thread wake-up, the ratio
 * of N blocking writers to one is bounded by the wake-ups, whatever the engine does (each commit
 * needs one park and one unpark of its writer). On this project's 2-core CI machine (syncs of
 * 0.1-0.2 ms, a wake-up of 16 parked threads ~80-130 us) this probe measured 5-7.5x for 16
 * writers; with 0.4-1 ms syncs (emulated by parking after the sync) 10.7-12.2x. Printing it beside
 * the engine's ratio says how much of the gap is the engine's.
 *
 * <p>Why it does not use {@code datahike.store.GroupCommitter}: that one waits on a lock and a
 * shared condition, the kind of hand-off {@code CommitPipeline} left for its wake-up chains (woken
 * writers retaking the lock one after another). A ceiling must use the best hand-off this project
 * knows, so this is the pipeline's (lock-free submission, a compare-and-set role, direct unparks)
 * without the transactor.
 */
final class GroupCommitProbe {
  /** Bytes per record: about one small transaction's log record. */
  static final int RECORD_BYTES = 300;

  /** Bytes written ahead of the records so that no sync grows the file. */
  private static final long PREALLOCATED = 64L << 20;

  /** Rates of one run: commits/s of one writer and of {@code writers}, and records per sync. */
  record Result(double single, double concurrent, int writers, double recordsPerSync) {
    double ratio() {
      return concurrent / single;
    }
  }

  private static final class Waiter {
    final Thread thread = Thread.currentThread();
    volatile boolean done;
    Waiter below;
  }

  private final FileChannel ch;
  private final AtomicReference<Waiter> incoming = new AtomicReference<>();
  private final AtomicBoolean appending = new AtomicBoolean();
  /** Appender-only state (the role is exclusive). */
  private long pos;

  private long syncs;
  private long records;

  private GroupCommitProbe(FileChannel ch) {
    this.ch = ch;
  }

  /**
   * One writer committing {@code perWriter * writers} records, then {@code writers} threads
   * committing {@code perWriter} each, in a temp file under {@code workDir}; after an untimed
   * round of each.
   */
  static Result run(Path workDir, int writers, int perWriter) throws IOException {
    Files.createDirectories(workDir);
    Path dir = Files.createTempDirectory(workDir, "group-commit-probe-");
    Path file = dir.resolve("probe.log");
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      preallocate(ch);
      GroupCommitProbe p = new GroupCommitProbe(ch);
      int n = writers * perWriter;
      p.single(n / 4);
      double single = p.single(Math.min(n, 2000));
      p.concurrent(writers, perWriter / 4 + 1);
      long s0 = p.syncs;
      long r0 = p.records;
      double concurrent = p.concurrent(writers, perWriter);
      double perSync = (double) (p.records - r0) / Math.max(1, p.syncs - s0);
      return new Result(single, concurrent, writers, perSync);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static void preallocate(FileChannel ch) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
    for (long at = 0; at < PREALLOCATED; at += zeros.capacity()) {
      zeros.clear();
      while (zeros.hasRemaining()) ch.write(zeros, at + zeros.position());
    }
    ch.force(true);
  }

  private double single(int n) throws IOException {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) commit();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private double concurrent(int writers, int perWriter) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> fs = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int w = 0; w < writers; w++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perWriter; i++) commit();
                  return null;
                }));
      }
      for (Future<?> f : fs) f.get();
      return (double) writers * perWriter / ((System.nanoTime() - t0) / 1e9);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IllegalStateException("a probe writer failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Queues one record and returns once a sync covered it. */
  private void commit() throws IOException {
    Waiter me = new Waiter();
    Waiter top;
    do {
      top = incoming.get();
      me.below = top;
    } while (!incoming.compareAndSet(top, me));
    while (!me.done) {
      if (incoming.get() != null && appending.compareAndSet(false, true)) {
        try {
          Waiter batch;
          while (!me.done && (batch = incoming.getAndSet(null)) != null) appendAndWake(batch, me);
        } finally {
          appending.set(false);
        }
        // Given up the role: a writer that queued meanwhile and parked takes it over.
        Waiter next = incoming.get();
        if (next != null) LockSupport.unpark(next.thread);
      } else if (!me.done) {
        LockSupport.park(this);
      }
    }
  }

  private void appendAndWake(Waiter batch, Waiter me) throws IOException {
    int n = 0;
    for (Waiter w = batch; w != null; w = w.below) n++;
    if (pos + (long) n * RECORD_BYTES > PREALLOCATED) pos = 0;
    ByteBuffer buf = ByteBuffer.allocate(n * RECORD_BYTES);
    while (buf.hasRemaining()) ch.write(buf, pos + buf.position());
    ch.force(false);
    pos += buf.capacity();
    syncs++;
    records += n;
    for (Waiter w = batch; w != null; w = w.below) {
      w.done = true;
      if (w != me) LockSupport.unpark(w.thread);
    }
  }
}
