package datahike.store.lmdb;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.GroupCommitter;
import datahike.store.LogCodec;
import datahike.store.LogEntry;
import datahike.store.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;

/**
 * The LMDB backend: one directory holding an LMDB environment ({@code data.mdb}, {@code lock.mdb};
 * its databases are described in {@link LmdbEnv}), the writer lock file {@code writer.lock} ({@link
 * LmdbWriterLock}) and the marker {@code format} (frame KIND_FORMAT, written last at creation;
 * {@code exists} means this file exists).
 *
 * <p>Every write is one LMDB write transaction, durable when its commit returns (LMDB syncs data
 * and meta page on commit; the environment is never opened with {@code MDB_NOSYNC}). LMDB commits
 * are all-or-nothing, so nothing here tears; items are still framed ({@link BlobFrame}) so rot and
 * foreign bytes are reported as {@code :store/corrupt}, and a damaged last log group is treated as
 * an unacknowledged tail like on every backend.
 *
 * <p>Group commit: concurrent {@link #append}s meet in a {@link GroupCommitter}; each round writes
 * one log group holding every queued batch in one write transaction, so N appenders pay about one
 * fsync. Head compare-and-set runs inside a write transaction: LMDB serialises write transactions
 * across processes, so it is atomic everywhere.
 */
final class StoreLmdb implements Store {
  static final String FORMAT_FILE = "format";
  private static final String FORMAT_TEXT = "datahike-java lmdb store";
  private static final Set<String> OWN_FILES =
      Set.of("data.mdb", "lock.mdb", LmdbWriterLock.FILE, FORMAT_FILE);

  /** Largest payload of one group-commit round. */
  private static final long MAX_GROUP_BYTES = 64L << 20;

  /** Longest key, in chars (the SPI's limit). */
  static final int MAX_KEY_LENGTH = 200;

  private final Path root;
  private final LmdbEnv env;
  private final GroupCommitter<List<byte[]>, Long> committer;
  private volatile boolean closed;
  private volatile Lock held;

  /** Sequence number of the next record; written only by the flusher or under {@code exclusive}. */
  private long nextSeq = 1;

  private StoreLmdb(Path root, LmdbEnv env) {
    this.root = root;
    this.env = env;
    this.committer = new GroupCommitter<>(this::flush, LogCodec::weight, MAX_GROUP_BYTES);
  }

  /** Opens the store in {@code path}, creating it when missing; {@code mapSize}: initial map. */
  static StoreLmdb open(Path path, long mapSize) {
    Path dir = path.toAbsolutePath();
    try {
      if (!Files.exists(dir.resolve(FORMAT_FILE))) {
        checkForeign(dir);
        Files.createDirectories(dir);
      }
      Path root = dir.toRealPath();
      LmdbEnv env = LmdbEnv.acquire(root, mapSize);
      try {
        Path format = root.resolve(FORMAT_FILE);
        if (!Files.exists(format)) {
          create(root, env);
        }
        BlobFrame.decode(format.toString(), Files.readAllBytes(format), BlobFrame.KIND_FORMAT);
        return new StoreLmdb(root, env);
      } catch (IOException | RuntimeException e) {
        env.release();
        throw e;
      }
    } catch (IOException e) {
      throw LmdbEnv.io("cannot open the LMDB store in " + path, dir, e);
    }
  }

  /** True when {@code path} holds a store. */
  static boolean exists(Path path) {
    return Files.exists(path.toAbsolutePath().resolve(FORMAT_FILE));
  }

  private static void checkForeign(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!OWN_FILES.contains(n) && !n.startsWith(".format-")) {
          throw DatahikeException.of(
              "store/config",
              dir + " exists and is not a datahike LMDB store (it holds " + n + ")",
              "path",
              dir.toString());
        }
      }
    }
  }

  /**
   * Makes the environment in {@code root} a new, empty store. Whatever an interrupted {@link
   * #deleteAll} left (it removes the marker first) is dropped, so the new store starts empty.
   * Creation holds the writer lock, so racing creators and deleters wait for each other and the
   * second creator finds the store made.
   */
  private static void create(Path root, LmdbEnv env) throws IOException {
    LmdbWriterLock lock = LmdbWriterLock.acquire(root, Duration.ofSeconds(30));
    try {
      if (Files.exists(root.resolve(FORMAT_FILE))) {
        return;
      }
      env.write(
          txn -> {
            env.blobs.drop(txn);
            env.longKeys.drop(txn);
            env.head.drop(txn);
            env.log.drop(txn);
            return null;
          });
      writeFormat(root);
    } finally {
      lock.release();
    }
  }

  /** Writes the marker last: a store exists once its environment does. */
  private static void writeFormat(Path root) throws IOException {
    byte[] format =
        BlobFrame.encode(BlobFrame.KIND_FORMAT, FORMAT_TEXT.getBytes(StandardCharsets.UTF_8));
    Path tmp = root.resolve(".format-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(format);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, root.resolve(FORMAT_FILE), StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(root);
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to sync directories; the rename is then as durable as they allow.
    }
  }

  /** The shared environment, for tests. */
  LmdbEnv env() {
    return env;
  }

  /** The committer, for statistics. */
  GroupCommitter<List<byte[]>, Long> committer() {
    return committer;
  }

  // ---- blobs ---------------------------------------------------------------------------

  /** The LMDB key of blob {@code key}: its UTF-8, or 0xFF + SHA-256 of it past the key limit. */
  byte[] blobKey(String key) {
    return blobKey(key, env.maxKeySize);
  }

  static byte[] blobKey(String key, int maxKeySize) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw DatahikeException.of(
          "store/bad-key",
          "a blob key is a non-empty string of at most "
              + MAX_KEY_LENGTH
              + " characters, got "
              + (key == null ? "null" : key.length() + " characters"),
          "key",
          key);
    }
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= maxKeySize) {
      return utf8; // valid UTF-8 never starts with 0xFF, so the two forms cannot collide
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(utf8);
      byte[] k = new byte[h.length + 1];
      k[0] = (byte) 0xFF;
      System.arraycopy(h, 0, k, 1, h.length);
      return k;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static boolean isLong(byte[] k) {
    return k.length > 0 && k[0] == (byte) 0xFF;
  }

  @Override
  public byte[] get(String key) {
    ensureOpen();
    byte[] k = blobKey(key);
    byte[] framed = env.read(txn -> env.blobs.get(txn, k));
    return framed == null ? null : BlobFrame.decode(key, framed, BlobFrame.KIND_BLOB).payload();
  }

  @Override
  public void putAll(Map<String, byte[]> blobs) {
    ensureOpen();
    Map<byte[], byte[]> framed = new LinkedHashMap<>();
    Map<byte[], byte[]> longNames = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      byte[] k = blobKey(e.getKey());
      framed.put(k, BlobFrame.encode(BlobFrame.KIND_BLOB, e.getValue()));
      if (isLong(k)) {
        longNames.put(k, e.getKey().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (framed.isEmpty()) {
      return;
    }
    env.write(
        txn -> {
          framed.forEach((k, v) -> env.blobs.put(txn, k, v));
          longNames.forEach((k, v) -> env.longKeys.put(txn, k, v));
          return null;
        });
  }

  @Override
  public void delete(Collection<String> keys) {
    ensureOpen();
    List<byte[]> ks = new ArrayList<>(keys.size());
    for (String k : keys) {
      ks.add(blobKey(k));
    }
    if (ks.isEmpty()) {
      return;
    }
    env.write(
        txn -> {
          for (byte[] k : ks) {
            env.blobs.delete(txn, k);
            if (isLong(k)) {
              env.longKeys.delete(txn, k);
            }
          }
          return null;
        });
  }

  @Override
  public Iterable<String> list() {
    ensureOpen();
    return env.read(
        txn -> {
          List<String> out = new ArrayList<>();
          try (Cursor<byte[]> c = env.blobs.openCursor(txn)) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
              byte[] k = c.key();
              if (isLong(k)) {
                byte[] name = env.longKeys.get(txn, k);
                if (name != null) {
                  out.add(new String(name, StandardCharsets.UTF_8));
                }
              } else {
                out.add(new String(k, StandardCharsets.UTF_8));
              }
            }
          }
          return out;
        });
  }

  // ---- head ----------------------------------------------------------------------------

  private String headWhere() {
    return "LMDB store " + root + " head";
  }

  /** The stored head frame's payload (version + head), or null. */
  private byte[] headPayload(byte[] framed) {
    return framed == null
        ? null
        : BlobFrame.decode(headWhere(), framed, BlobFrame.KIND_HEAD).payload();
  }

  @Override
  public byte[] readHead() {
    ensureOpen();
    byte[] p = headPayload(env.read(txn -> env.head.get(txn, LmdbEnv.HEAD_KEY)));
    return p == null ? null : Arrays.copyOfRange(p, 8, p.length);
  }

  @Override
  public boolean casHead(byte[] expected, byte[] next) {
    ensureOpen();
    if (next == null) {
      throw new IllegalArgumentException("the head cannot be set to null");
    }
    byte[] nextCopy = next.clone();
    return env.write(
        txn -> {
          byte[] p = headPayload(env.head.get(txn, LmdbEnv.HEAD_KEY));
          byte[] cur = p == null ? null : Arrays.copyOfRange(p, 8, p.length);
          if (!Arrays.equals(cur, expected)) {
            return false;
          }
          long version = p == null ? 1 : ByteBuffer.wrap(p).getLong(0) + 1;
          byte[] payload = new byte[8 + nextCopy.length];
          ByteBuffer.wrap(payload).putLong(0, version);
          System.arraycopy(nextCopy, 0, payload, 8, nextCopy.length);
          env.head.put(txn, LmdbEnv.HEAD_KEY, BlobFrame.encode(BlobFrame.KIND_HEAD, payload));
          return true;
        });
  }

  // ---- log -----------------------------------------------------------------------------

  private String groupWhere(long first) {
    return "LMDB store " + root + " log group " + first;
  }

  @Override
  public long append(List<byte[]> records) {
    ensureOpen();
    ensureWriter();
    return committer.commit(List.copyOf(records));
  }

  /** Writes one round of appends as one log group in one write transaction. */
  private List<Long> flush(List<List<byte[]>> batch) {
    if (held == null) {
      throw notLocked();
    }
    long first = nextSeq;
    List<Long> results = new ArrayList<>(batch.size());
    long seq = first - 1;
    for (List<byte[]> b : batch) {
      seq += b.size();
      results.add(seq);
    }
    if (seq >= first) {
      byte[] group = LogCodec.encode(first, batch);
      byte[] key = LmdbEnv.logKey(first);
      env.write(
          txn -> {
            if (!env.log.put(txn, key, group, PutFlags.MDB_NOOVERWRITE)) {
              throw DatahikeException.of(
                  "store/corrupt",
                  groupWhere(first) + " already exists: the log was written without the lock",
                  "key",
                  groupWhere(first));
            }
            return null;
          });
      nextSeq = seq + 1;
    }
    return results;
  }

  @Override
  public List<LogEntry> readLog(long fromSeq) {
    ensureOpen();
    return env.read(
        txn -> {
          List<LogEntry> out = new ArrayList<>();
          try (Cursor<byte[]> c = env.log.openCursor(txn)) {
            // Position on the last group starting at or before fromSeq, else on the first group.
            boolean ok;
            if (c.get(LmdbEnv.logKey(Math.max(0, fromSeq)), GetOp.MDB_SET_RANGE)) {
              ok = LmdbEnv.logSeq(c.key()) == fromSeq || c.prev() || c.first();
            } else {
              ok = c.last();
            }
            for (; ok; ok = c.next()) {
              long first = LmdbEnv.logSeq(c.key());
              byte[] framed = c.val();
              try {
                out.addAll(LogCodec.decode(groupWhere(first), framed, first, fromSeq));
              } catch (DatahikeException e) {
                if (e.code().fullName().equals("store/corrupt") && !c.next()) {
                  break; // a damaged last group: never acknowledged, as on every backend
                }
                throw e;
              }
            }
          }
          return out;
        });
  }

  @Override
  public void truncateLogBefore(long seq) {
    ensureOpen();
    ensureWriter();
    env.write(
        txn -> {
          List<byte[]> drop = new ArrayList<>();
          try (Cursor<byte[]> c = env.log.openCursor(txn)) {
            byte[] prev = null;
            for (boolean ok = c.first(); ok; ok = c.next()) {
              byte[] k = c.key();
              if (LmdbEnv.logSeq(k) > seq) {
                break;
              }
              // The previous group ends before this one starts, so before seq: drop it.
              if (prev != null) {
                drop.add(prev);
              }
              prev = k;
            }
          }
          for (byte[] k : drop) {
            env.log.delete(txn, k);
          }
          return null;
        });
  }

  // ---- writer lock ---------------------------------------------------------------------

  @Override
  public WriterLock lockWriter(Duration wait) {
    ensureOpen();
    LmdbWriterLock fl = LmdbWriterLock.acquire(root, wait);
    try {
      long next = recover();
      committer.exclusive(() -> nextSeq = next);
    } catch (RuntimeException | Error e) {
      fl.release();
      throw e;
    }
    Lock l = new Lock(fl);
    held = l;
    return l;
  }

  /**
   * Removes a damaged last group (a crash cannot tear an LMDB commit, but the log must treat damage
   * at its end the same way on every backend) and returns the next sequence number.
   */
  private long recover() {
    return env.write(
        txn -> {
          try (Cursor<byte[]> c = env.log.openCursor(txn)) {
            if (!c.last()) {
              return 1L;
            }
            long first = LmdbEnv.logSeq(c.key());
            byte[] framed = c.val();
            try {
              LogCodec.decode(groupWhere(first), framed, first, Long.MAX_VALUE);
              return first + LogCodec.count(framed, 0);
            } catch (DatahikeException e) {
              if (!e.code().fullName().equals("store/corrupt")) {
                throw e;
              }
            }
            c.delete();
            if (!c.last()) {
              return 1L;
            }
            long prevFirst = LmdbEnv.logSeq(c.key());
            byte[] prev = c.val();
            LogCodec.decode(groupWhere(prevFirst), prev, prevFirst, Long.MAX_VALUE);
            return prevFirst + LogCodec.count(prev, 0);
          }
        });
  }

  /** The lock as handed out. */
  private final class Lock implements WriterLock {
    private final LmdbWriterLock lock;
    private boolean released;

    Lock(LmdbWriterLock lock) {
      this.lock = lock;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      try {
        committer.exclusive(
            () -> {
              if (held == this) {
                held = null;
              }
            });
      } finally {
        lock.release();
      }
    }
  }

  private void ensureWriter() {
    if (held == null) {
      throw notLocked();
    }
  }

  private DatahikeException notLocked() {
    return DatahikeException.of(
        "store/not-locked",
        "LMDB store " + root + ": only the holder of the writer lock changes the log",
        "path",
        root.toString());
  }

  // ---- lifecycle -----------------------------------------------------------------------

  private void ensureOpen() {
    if (closed) {
      throw DatahikeException.of(
          "store/closed", "the LMDB store in " + root + " is closed", "path", root.toString());
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Lock l = held;
      if (l != null) {
        l.close();
      }
      committer.close();
    } finally {
      env.release();
    }
  }

  @Override
  public void deleteAll() {
    ensureOpen();
    Lock mine = held;
    LmdbWriterLock bare = mine == null ? LmdbWriterLock.acquire(root, Duration.ZERO) : null;
    try {
      // The marker first: from here on the store does not exist, even if the rest is interrupted.
      Files.deleteIfExists(root.resolve(FORMAT_FILE));
      syncDirectory(root);
      env.write(
          txn -> {
            env.blobs.drop(txn);
            env.longKeys.drop(txn);
            env.head.drop(txn);
            env.log.drop(txn);
            return null;
          });
    } catch (IOException e) {
      throw LmdbEnv.io("cannot delete the LMDB store in " + root, root, e);
    } finally {
      if (bare != null) {
        bare.release();
      }
      close();
    }
    // The last user in this JVM removes the files; another JVM may still map them (harmless: it
    // sees an empty store, and a new store gets new files).
    if (!LmdbEnv.isOpen(root)) {
      try {
        for (String f : List.of("data.mdb", "lock.mdb", LmdbWriterLock.FILE)) {
          Files.deleteIfExists(root.resolve(f));
        }
        Files.deleteIfExists(root);
      } catch (IOException e) {
        // A non-empty or busy directory stays; it is no longer a store.
      }
    }
  }
}
