package datahike.store;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The file store's single-writer lock: an exclusive {@link FileLock} on {@code <path>/lock}. The OS
 * drops it when the holder dies, however it dies, so a crashed writer never leaves a stale lock.
 * Java file locks belong to the whole process (a second lock attempt from the same JVM throws
 * instead of waiting), so a semaphore per store directory keeps instances within one JVM apart
 * first. The holder writes its pid into the file, so the {@code :store/locked} error can name who
 * holds it.
 */
final class FileWriterLock {
  /** Writer semaphores of this JVM, by store directory (real path). */
  private static final ConcurrentHashMap<Path, Semaphore> JVM = new ConcurrentHashMap<>();

  private final Semaphore jvm;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private FileWriterLock(Semaphore jvm, FileChannel channel, FileLock lock) {
    this.jvm = jvm;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the writer lock of the store in {@code root}, waiting up to {@code wait}. */
  static FileWriterLock acquire(Path root, Duration wait) {
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    Semaphore jvm = JVM.computeIfAbsent(root, k -> new Semaphore(1));
    try {
      if (!jvm.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
        throw locked(root, wait, "another store instance in this process");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw locked(root, wait, "interrupted while waiting");
    }
    Path lockPath = root.resolve("lock");
    FileChannel ch = null;
    FileLock fl = null;
    try {
      ch = FileChannel.open(lockPath, CREATE, READ, WRITE);
      while ((fl = ch.tryLock()) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw locked(root, wait, holder(ch));
        }
        FileIo.sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(left))));
      }
      ch.truncate(0);
      FileIo.writeFully(ch, (pid() + "\n").getBytes(StandardCharsets.UTF_8), 0);
      return new FileWriterLock(jvm, ch, fl);
    } catch (IOException e) {
      new FileWriterLock(jvm, ch, fl).release();
      throw FileIo.io("cannot take the writer lock in " + root, lockPath, e);
    } catch (RuntimeException | Error e) {
      new FileWriterLock(jvm, ch, fl).release();
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
        "the store in " + root + " already has a writer (" + holder + "); waited " + wait,
        "path",
        root.toString(),
        "holder",
        holder,
        "waited-ms",
        wait.toMillis());
  }

  private static String holder(FileChannel ch) {
    try {
      long n = Math.min(ch.size(), 200);
      String s = new String(FileIo.readFully(ch, 0, (int) n), StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? "another process" : "process " + s;
    } catch (IOException e) {
      return "another process";
    }
  }

  private static String pid() {
    try {
      return Long.toString(ProcessHandle.current().pid());
    } catch (UnsupportedOperationException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }
}
