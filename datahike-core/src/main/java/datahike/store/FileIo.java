package datahike.store;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File plumbing shared by the file store's parts: full positional reads and writes, synced file
 * creation, directory sync, the {@code :store/io} error, and a small pool that runs a batch of
 * blocking file operations concurrently.
 *
 * <p>Why the pool: a device overlaps concurrent syncs, so a checkpoint of many blobs costs a few
 * sync latencies instead of one per blob (see {@link StoreFile}). Sixteen threads measured best on
 * /work; more did not help. Daemon threads that time out when idle, so an unclosed store never
 * keeps the JVM alive.
 */
final class FileIo {
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

  private FileIo() {}

  /** Opens a file channel; {@link #opener} is its seam. */
  interface Opener {
    FileChannel open(Path p, OpenOption... options) throws IOException;
  }

  /**
   * Test seam: every channel through which the file store writes or syncs (blobs, head slots, log
   * segments, directories) is opened here, so that a test can watch writes and syncs, for example
   * to keep only what was synced when it simulates a power loss. Reads go straight to the files.
   */
  static volatile Opener opener = FileChannel::open;

  /** Opens {@code p} through {@link #opener}. */
  static FileChannel open(Path p, OpenOption... options) throws IOException {
    return opener.open(p, options);
  }

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

  /** Writes {@code bytes} to a new file and syncs it. */
  static void writeSynced(Path p, byte[] bytes) throws IOException {
    try (FileChannel ch = open(p, CREATE_NEW, WRITE)) {
      writeFully(ch, bytes, 0);
      ch.force(true);
    }
  }

  /**
   * Makes a directory's entries (created, renamed, removed files) durable. On Windows a directory
   * cannot be opened, and NTFS journals the entries anyway, so failure there is ignored.
   */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = open(dir, READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of("store/interrupted", "interrupted while waiting", e);
    }
  }

  static DatahikeException io(String what, Path path, IOException e) {
    return DatahikeException.of("store/io", what + ": " + e, "path", String.valueOf(path), e);
  }

  static void writeFully(FileChannel ch, byte[] b, long pos) throws IOException {
    writeFully(ch, ByteBuffer.wrap(b), pos);
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  static byte[] readFully(FileChannel ch, long pos, int len) throws IOException {
    byte[] b = new byte[len];
    readInto(ch, pos, b);
    return b;
  }

  static void readInto(FileChannel ch, long pos, byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos + buf.position());
      if (r < 0) {
        // The file shrank under us (a writer truncated a torn tail): leave zeros, which fail
        // the checks like any torn bytes.
        break;
      }
    }
  }
}
