package datahike.store;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file store's head record, kept in two slots, {@code head.0} and {@code head.1}, each a {@link
 * BlobFrame} of kind {@link BlobFrame#KIND_HEAD} whose payload is the slot sequence number (8
 * bytes, big-endian) followed by the head bytes.
 *
 * <p>Why two slots rather than one file replaced by rename: a compare-and-set overwrites the
 * <em>older</em> slot in place (write, truncate, {@code force}) with the next sequence number, and
 * a reader takes the valid slot with the higher number. A torn write can only damage the slot being
 * written, so the previous head stays readable and is what everyone sees until the write completes.
 * Rename would also be atomic, but costs a file creation, a rename and a directory sync per update,
 * and leaves nothing to fall back on if the new file is damaged.
 *
 * <p>Compare-and-set is serialised across processes by an exclusive lock on {@code head.lock} and
 * within this JVM by a lock per directory (Java file locks are per process). Readers take no lock.
 *
 * <p>Caveat for callers: rot in the newest slot also falls back to the previous head, so keep the
 * log records the previous head needs (truncate the log only up to the older of the last two
 * heads).
 */
final class FileHead {
  /** Compare-and-set locks of this JVM, by store directory. */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path root;

  FileHead(Path root) {
    this.root = root;
  }

  /** A valid head slot: which file, its sequence number and the head bytes. */
  private record Slot(int index, long seq, byte[] content) {}

  private Path slotPath(int i) {
    return root.resolve("head." + i);
  }

  /** The current head, or null when none was ever written. */
  byte[] read() {
    Slot s = current();
    return s == null ? null : s.content();
  }

  /** See {@link Store#casHead}. */
  @SuppressWarnings("try") // the FileLock is held, not used, in its try block
  boolean compareAndSet(byte[] expected, byte[] next) {
    ReentrantLock jvm = LOCKS.computeIfAbsent(root, k -> new ReentrantLock());
    jvm.lock();
    Path lockPath = root.resolve("head.lock");
    try (FileChannel lc = FileChannel.open(lockPath, CREATE, WRITE);
        FileLock fl = lc.lock()) {
      Slot cur = current();
      if (!Arrays.equals(cur == null ? null : cur.content(), expected)) {
        return false;
      }
      int target = cur == null ? 0 : 1 - cur.index();
      long seq = cur == null ? 1 : cur.seq() + 1;
      byte[] payload = new byte[8 + next.length];
      BlobFrame.putLong(payload, 0, seq);
      System.arraycopy(next, 0, payload, 8, next.length);
      byte[] framed = BlobFrame.encode(BlobFrame.KIND_HEAD, payload);
      Path p = slotPath(target);
      boolean created = !Files.exists(p);
      try (FileChannel ch = FileIo.open(p, CREATE, WRITE)) {
        FileIo.writeFully(ch, framed, 0);
        ch.truncate(framed.length);
        ch.force(true);
      }
      if (created) {
        FileIo.syncDirectory(root);
      }
      return true;
    } catch (IOException e) {
      throw FileIo.io("cannot write the head in " + root, root, e);
    } finally {
      jvm.unlock();
    }
  }

  /**
   * Reads slot {@code i}: null when the file is missing, the Slot when valid; {@code
   * :store/corrupt} and {@code :store/too-new} propagate (the caller decides).
   */
  private Slot readSlot(int i) {
    Path p = slotPath(i);
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw FileIo.io("cannot read " + p, p, e);
    }
    byte[] payload = BlobFrame.decode(p.toString(), b, BlobFrame.KIND_HEAD).payload();
    if (payload.length < 8) {
      throw BlobFrame.corrupt(p.toString(), "head slot shorter than its sequence number", null);
    }
    return new Slot(
        i, BlobFrame.getLong(payload, 0), Arrays.copyOfRange(payload, 8, payload.length));
  }

  /**
   * The newest valid slot, or null when there is no head. A damaged slot beside a valid one is a
   * torn or superseded write and is passed over; damage with no valid slot is {@code
   * :store/corrupt}, after a few brief retries (another process may be writing the very first head
   * right now). A slot from a newer format is {@code :store/too-new}, never passed over.
   */
  private Slot current() {
    for (int attempt = 0; ; attempt++) {
      Slot best = null;
      DatahikeException damage = null;
      for (int i = 0; i < 2; i++) {
        try {
          Slot s = readSlot(i);
          if (s != null && (best == null || s.seq() > best.seq())) {
            best = s;
          }
        } catch (DatahikeException e) {
          if (!e.code().fullName().equals("store/corrupt")) {
            throw e;
          }
          damage = e;
        }
      }
      if (best != null || damage == null) {
        return best;
      }
      if (attempt == 5) {
        throw damage;
      }
      FileIo.sleep(10);
    }
  }
}
