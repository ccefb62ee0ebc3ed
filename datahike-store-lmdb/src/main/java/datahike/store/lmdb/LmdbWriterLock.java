package datahike.store.lmdb;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The LMDB store's single-writer lock: an exclusive {@link FileLock} on {@code <path>/writer.lock}
 * beside the environment. LMDB's own writer mutex is held only for one write transaction; the
 * store's writer role lasts from {@code lockWriter} to its release, so it needs a lock of its own.
 * The OS drops it when the holder dies, however it dies. Java file locks belong to the whole
 * process (a second attempt from the same JVM throws instead of waiting), so a semaphore per
 * directory keeps instances within one JVM apart first. The holder writes its pid into the file, so
 * the {@code :store/locked} error can name who holds it. (The same scheme as the file store's
 * lock.)
 */
final class LmdbWriterLock {
  static final String FILE = "writer.lock";

  private static final ConcurrentHashMap<Path, Semaphore> JVM = new ConcurrentHashMap<>();

  private final Semaphore jvm;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private LmdbWriterLock(Semaphore jvm, FileChannel channel, FileLock lock) {
    this.jvm = jvm;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the writer lock of the store in {@code root}, waiting up to {@code wait}. */
  static LmdbWriterLock acquire(Path root, Duration wait) {
    long waitNanos = Math.max(0, wait.toNanos());
    long deadline = System.nanoTime() + waitNanos;
    Semaphore jvm = JVM.computeIfAbsent(root, k -> new Semaphore(1));
    try {
      if (!jvm.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
        throw locked(root, wait, "another store instance in this process");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw locked(root, wait, "interrupted while waiting");
    }
    Path lockPath = root.resolve(FILE);
    FileChannel ch = null;
    FileLock fl = null;
    try {
      ch = FileChannel.open(lockPath, CREATE, READ, WRITE);
      while ((fl = ch.tryLock()) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw locked(root, wait, holder(ch));
        }
        sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(left))));
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
          0);
      return new LmdbWriterLock(jvm, ch, fl);
    } catch (IOException e) {
      new LmdbWriterLock(jvm, ch, fl).release();
      throw LmdbEnv.io("cannot take the writer lock in " + root, lockPath, e);
    } catch (RuntimeException | Error e) {
      new LmdbWriterLock(jvm, ch, fl).release();
      throw e;
    }
  }

  /** Releases the lock; idempotent. */
  void release() {
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
    }
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // Closing the channel releases the lock in any case.
    } finally {
      jvm.release();
    }
  }

  private static DatahikeException locked(Path root, Duration wait, String holder) {
    return DatahikeException.of(
        "store/locked",
        "the LMDB store in " + root + " already has a writer (" + holder + "); waited " + wait,
        "path",
        root.toString(),
        "holder",
        holder,
        "waited-ms",
        wait.toMillis());
  }

  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 200));
      ch.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? "another process" : "process " + s;
    } catch (IOException e) {
      return "another process";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of("store/locked", "interrupted waiting for the writer lock");
    }
  }
}
