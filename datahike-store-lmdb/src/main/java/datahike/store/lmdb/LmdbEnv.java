package datahike.store.lmdb;

import datahike.DatahikeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * One open LMDB environment, shared by every {@link StoreLmdb} on the same directory in this JVM.
 * LMDB forbids opening one environment twice in a process (closing the second handle would drop the
 * first one's POSIX locks on {@code lock.mdb}), so environments are reference-counted here and
 * closed with their last store.
 *
 * <p>Databases ({@code dbi}s) inside the environment:
 *
 * <pre>
 * blobs      blob key (UTF-8, or 0xFF + SHA-256 past LMDB's key limit) → KIND_BLOB frame
 * long-keys  0xFF + SHA-256 → the UTF-8 key it stands for (only for keys past the limit)
 * head       "head" → KIND_HEAD frame, payload: version (8) + the caller's head
 * log        first sequence number (8 bytes, big-endian) → KIND_LOG_GROUP frame ({@link LogCodec})
 * </pre>
 *
 * <p>Map size: LMDB maps the whole file at a fixed size. It starts at the configured size (sparse:
 * only written pages take disk) and doubles when a write transaction fails with {@code
 * MDB_MAP_FULL}; a process that finds the map grown by another adopts the new size on {@code
 * MDB_MAP_RESIZED}. Resizing needs every transaction of this process closed, so all transactions
 * run under the read side of a lock whose write side the resize takes.
 *
 * <p>Durability: the environment is opened without {@code MDB_NOSYNC}/{@code MDB_NOMETASYNC}, so
 * every write transaction is fsynced when it commits. {@code MDB_NOTLS} ties read slots to
 * transactions rather than threads (pooled threads would otherwise exhaust the reader table).
 */
final class LmdbEnv {
  /** The body of a transaction. */
  @FunctionalInterface
  interface Body<R> {
    R run(Txn<byte[]> txn);
  }

  private static final Map<Path, LmdbEnv> OPEN = new HashMap<>();

  final Path root;
  final Env<byte[]> env;
  final Dbi<byte[]> blobs;
  final Dbi<byte[]> longKeys;
  final Dbi<byte[]> head;
  final Dbi<byte[]> log;
  final int maxKeySize;
  private final ReentrantReadWriteLock resize = new ReentrantReadWriteLock();
  private int refs;

  private LmdbEnv(Path root, long mapSize) {
    this.root = root;
    this.env =
        Env.create(ByteArrayProxy.PROXY_BA)
            .setMapSize(mapSize)
            .setMaxDbs(8)
            .setMaxReaders(512)
            .open(root.toFile(), EnvFlags.MDB_NOTLS);
    try {
      this.blobs = env.openDbi("blobs", DbiFlags.MDB_CREATE);
      this.longKeys = env.openDbi("long-keys", DbiFlags.MDB_CREATE);
      this.head = env.openDbi("head", DbiFlags.MDB_CREATE);
      this.log = env.openDbi("log", DbiFlags.MDB_CREATE);
      this.maxKeySize = env.getMaxKeySize();
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  /**
   * The environment in {@code root} (a real path), opened or shared; pair with {@link #release}.
   */
  static LmdbEnv acquire(Path root, long mapSize) {
    synchronized (OPEN) {
      LmdbEnv e = OPEN.get(root);
      if (e == null) {
        try {
          e = new LmdbEnv(root, mapSize);
        } catch (LmdbException ex) {
          throw io("cannot open the LMDB environment in " + root, root, ex);
        }
        OPEN.put(root, e);
      }
      e.refs++;
      return e;
    }
  }

  /** True when some store of this JVM has the environment in {@code root} open. */
  static boolean isOpen(Path root) {
    synchronized (OPEN) {
      return OPEN.containsKey(root);
    }
  }

  /** Drops one reference; the last one closes the environment. */
  void release() {
    synchronized (OPEN) {
      if (--refs > 0) {
        return;
      }
      OPEN.remove(root, this);
    }
    resize.writeLock().lock();
    try {
      env.close();
    } finally {
      resize.writeLock().unlock();
    }
  }

  /** The current map size in bytes. */
  long mapSize() {
    return env.info().mapSize;
  }

  /** Runs {@code body} in a read transaction. */
  <R> R read(Body<R> body) {
    while (true) {
      resize.readLock().lock();
      try (Txn<byte[]> txn = env.txnRead()) {
        return body.run(txn);
      } catch (Dbi.MapResizedException e) {
        // another process grew the map: adopt its size below, then retry
      } catch (Env.AlreadyClosedException e) {
        throw closed();
      } catch (LmdbException e) {
        throw io("LMDB read failed in " + root + ": " + e.getMessage(), root, e);
      } finally {
        resize.readLock().unlock();
      }
      resizeTo(0);
    }
  }

  /**
   * Runs {@code body} in a write transaction and commits it (durably). On {@code MDB_MAP_FULL} the
   * transaction is aborted, the map doubled and {@code body} run again, so it must not have effects
   * outside the transaction.
   */
  <R> R write(Body<R> body) {
    while (true) {
      long grow;
      resize.readLock().lock();
      try (Txn<byte[]> txn = env.txnWrite()) {
        R r = body.run(txn);
        txn.commit();
        return r;
      } catch (Env.MapFullException e) {
        grow = mapSize() * 2;
      } catch (Dbi.MapResizedException e) {
        grow = 0;
      } catch (Env.AlreadyClosedException e) {
        throw closed();
      } catch (LmdbException e) {
        throw io("LMDB write failed in " + root + ": " + e.getMessage(), root, e);
      } finally {
        resize.readLock().unlock();
      }
      resizeTo(grow);
    }
  }

  /** Sets the map size ({@code 0}: adopt the size another process set) with no transaction open. */
  private void resizeTo(long size) {
    resize.writeLock().lock();
    try {
      if (size == 0 || size > mapSize()) {
        env.setMapSize(size);
      }
    } catch (LmdbException e) {
      throw io("cannot resize the LMDB map in " + root + " to " + size, root, e);
    } finally {
      resize.writeLock().unlock();
    }
  }

  /** Key bytes for the dbi {@code head}. */
  static final byte[] HEAD_KEY = "head".getBytes(StandardCharsets.UTF_8);

  /** The {@code log} dbi key of a group starting at {@code seq}. */
  static byte[] logKey(long seq) {
    byte[] k = new byte[8];
    ByteBuffer.wrap(k).putLong(0, seq);
    return k;
  }

  /** The first sequence number a {@code log} dbi key names. */
  static long logSeq(byte[] key) {
    return ByteBuffer.wrap(key).getLong(0);
  }

  private DatahikeException closed() {
    return DatahikeException.of(
        "store/closed", "the LMDB store in " + root + " is closed", "path", root.toString());
  }

  static DatahikeException io(String what, Path path, Exception e) {
    return DatahikeException.of("store/io", what, "path", path.toString(), e);
  }
}
