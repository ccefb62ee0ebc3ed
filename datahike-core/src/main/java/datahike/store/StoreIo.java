package datahike.store;

import datahike.DatahikeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch of blocking file operations (writes, syncs) concurrently on a small shared pool.
 * Why: a device overlaps concurrent syncs, so a checkpoint of many blobs costs a few sync latencies
 * instead of one per blob (see {@link StoreFile}). Sixteen threads measured best on /work; more did
 * not help. Daemon threads that time out when idle, so an unclosed store never keeps the JVM alive.
 */
final class StoreIo {
  static final int THREADS = 16;

  private static final ThreadPoolExecutor POOL;

  static {
    AtomicInteger n = new AtomicInteger();
    POOL =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "datahike-store-io-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    POOL.allowCoreThreadTimeOut(true);
  }

  private StoreIo() {}

  /**
   * Runs every task and returns when all have finished; then rethrows the first failure. Small
   * batches run in the calling thread.
   */
  static void runAll(List<Runnable> tasks) {
    if (tasks.size() <= 2) {
      for (Runnable t : tasks) {
        t.run();
      }
      return;
    }
    List<Future<?>> fs = new ArrayList<>(tasks.size());
    for (Runnable t : tasks) {
      fs.add(POOL.submit(t));
    }
    RuntimeException first = null;
    boolean interrupted = false;
    for (Future<?> f : fs) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the writes are under way; wait for them regardless
        } catch (ExecutionException e) {
          if (first == null) {
            Throwable c = e.getCause();
            first =
                c instanceof RuntimeException r
                    ? r
                    : DatahikeException.of("store/io", "store write failed: " + c, c);
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (first != null) {
      throw first;
    }
  }
}
