package datahike.store;

import datahike.DatahikeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The memory backend: a store that lives in this JVM, for tests and scratch databases. Stores
 * opened with the same {@code :id} share one {@link Data} from a process-wide registry until {@link
 * #deleteAll} (or {@link StoreMemoryProvider#delete}), so connecting after creating finds the
 * database, as in Datahike.
 *
 * <p>Blobs and log groups are kept framed exactly as the file store frames them, even though memory
 * does not tear: the contract tests then exercise the same checks on every backend, and a caller
 * mutating an array it passed in cannot change what is stored.
 */
final class StoreMemory implements Store {

  /** Everything one memory store holds; shared by all instances opened with the same id. */
  static final class Data {
    final String id;
    final ConcurrentHashMap<String, byte[]> blobs = new ConcurrentHashMap<>();
    final AtomicReference<byte[]> head = new AtomicReference<>();
    final Semaphore writer = new Semaphore(1);

    /** Framed log groups in order; guarded by itself. */
    final List<byte[]> groups = new ArrayList<>();

    /** First sequence of each group in {@link #groups}; guarded by {@code groups}. */
    long[] groupSeqs = new long[16];

    long nextSeq = 1;
    volatile boolean deleted;

    Data(String id) {
      this.id = id;
    }
  }

  static final ConcurrentHashMap<String, Data> REGISTRY = new ConcurrentHashMap<>();

  private final Data data;
  private volatile boolean closed;
  private volatile Lock held;

  StoreMemory(Data data) {
    this.data = data;
  }

  /** The registry entry behind this store; tests reach through it to damage stored bytes. */
  Data data() {
    return data;
  }

  @Override
  public byte[] get(String key) {
    ensureOpen();
    StoreKeys.encode(key);
    byte[] framed = data.blobs.get(key);
    return framed == null ? null : BlobFrame.decode(key, framed, BlobFrame.KIND_BLOB).payload();
  }

  @Override
  public void putAll(Map<String, byte[]> blobs) {
    ensureOpen();
    for (String k : blobs.keySet()) {
      StoreKeys.encode(k);
    }
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      data.blobs.put(e.getKey(), BlobFrame.encode(BlobFrame.KIND_BLOB, e.getValue()));
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    ensureOpen();
    for (String k : keys) {
      data.blobs.remove(k);
    }
  }

  @Override
  public Iterable<String> list() {
    ensureOpen();
    return List.copyOf(data.blobs.keySet());
  }

  @Override
  public byte[] readHead() {
    ensureOpen();
    byte[] h = data.head.get();
    return h == null ? null : h.clone();
  }

  @Override
  public boolean casHead(byte[] expected, byte[] next) {
    ensureOpen();
    if (next == null) {
      throw new IllegalArgumentException("the head cannot be set to null");
    }
    byte[] copy = next.clone();
    while (true) {
      byte[] cur = data.head.get();
      if (!Arrays.equals(cur, expected)) {
        return false;
      }
      if (data.head.compareAndSet(cur, copy)) {
        return true;
      }
    }
  }

  @Override
  public long append(List<byte[]> records) {
    ensureOpen();
    ensureWriter();
    synchronized (data.groups) {
      if (records.isEmpty()) {
        return data.nextSeq - 1;
      }
      long first = data.nextSeq;
      byte[] group = LogCodec.encode(first, List.of(records));
      int n = data.groups.size();
      if (n == data.groupSeqs.length) {
        data.groupSeqs = Arrays.copyOf(data.groupSeqs, n * 2);
      }
      data.groupSeqs[n] = first;
      data.groups.add(group);
      data.nextSeq = first + records.size();
      return data.nextSeq - 1;
    }
  }

  @Override
  public List<LogEntry> readLog(long fromSeq) {
    ensureOpen();
    synchronized (data.groups) {
      int n = data.groups.size();
      // The last group whose first sequence is at most fromSeq holds fromSeq, if anything does.
      int i = Arrays.binarySearch(data.groupSeqs, 0, n, fromSeq);
      i = i >= 0 ? i : Math.max(0, -i - 2);
      List<LogEntry> out = new ArrayList<>();
      for (; i < n; i++) {
        byte[] g = data.groups.get(i);
        String where = "memory store " + data.id + " log group " + i;
        try {
          out.addAll(LogCodec.decode(where, g, 0, g.length, fromSeq));
        } catch (DatahikeException e) {
          if (i == n - 1 && e.code().fullName().equals("store/corrupt")) {
            break; // a torn tail: never acknowledged, as in the file store
          }
          throw e;
        }
      }
      return out;
    }
  }

  @Override
  public void truncateLogBefore(long seq) {
    ensureOpen();
    ensureWriter();
    synchronized (data.groups) {
      int n = data.groups.size();
      int drop = 0;
      // Drop whole groups that end before seq; keep the last so numbering survives.
      while (drop < n - 1 && data.groupSeqs[drop + 1] <= seq) {
        drop++;
      }
      if (drop > 0) {
        data.groups.subList(0, drop).clear();
        System.arraycopy(data.groupSeqs, drop, data.groupSeqs, 0, n - drop);
      }
    }
  }

  @Override
  public WriterLock lockWriter(Duration wait) {
    ensureOpen();
    try {
      if (!data.writer.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
        throw DatahikeException.of(
            "store/locked",
            "memory store " + data.id + " already has a writer; waited " + wait,
            "id",
            data.id,
            "waited-ms",
            wait.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of(
          "store/locked", "interrupted waiting for the writer lock", "id", data.id, e);
    }
    recoverTail();
    Lock l = new Lock();
    held = l;
    return l;
  }

  /** Removes a damaged last group, as the file store truncates a torn tail. */
  private void recoverTail() {
    synchronized (data.groups) {
      int n = data.groups.size();
      if (n == 0) {
        return;
      }
      byte[] g = data.groups.get(n - 1);
      try {
        LogCodec.decode("memory log tail", g, 0, g.length, Long.MAX_VALUE);
      } catch (DatahikeException e) {
        if (!e.code().fullName().equals("store/corrupt")) {
          throw e;
        }
        data.groups.remove(n - 1);
        data.nextSeq = data.groupSeqs[n - 1];
      }
    }
  }

  private final class Lock implements WriterLock {
    private boolean released;

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      if (held == this) {
        held = null;
      }
      data.writer.release();
    }
  }

  private void ensureWriter() {
    if (held == null) {
      throw DatahikeException.of(
          "store/not-locked",
          "memory store " + data.id + ": only the holder of the writer lock changes the log",
          "id",
          data.id);
    }
  }

  private void ensureOpen() {
    if (closed || data.deleted) {
      throw DatahikeException.of(
          "store/closed",
          "memory store " + data.id + (closed ? " is closed" : " was deleted"),
          "id",
          data.id);
    }
  }

  @Override
  public void close() {
    closed = true;
    Lock l = held;
    if (l != null) {
      l.close();
    }
  }

  @Override
  public void deleteAll() {
    ensureOpen();
    if (held == null) {
      lockWriter(Duration.ZERO);
    }
    data.deleted = true;
    REGISTRY.remove(data.id, data);
    close();
  }
}
