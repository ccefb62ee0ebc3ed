package datahike.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A store in two tiers: a fast frontend (memory, LMDB) in front of a durable backend (file, S3).
 * The head, the log and the writer lock always live in the backend, which alone decides what is
 * durable; the frontend only holds copies of blobs.
 *
 * <p>Blobs:
 *
 * <ul>
 *   <li>{@code :read-policy :frontend-first} (default) reads the frontend first; a miss reads the
 *       backend and copies the blob into the frontend. {@code :backend-only} never reads the
 *       frontend.
 *   <li>{@code :write-policy :write-through} (default) writes the backend, then the frontend.
 *       {@code :write-around} writes only the backend and drops the key from the frontend (the next
 *       read fills it), for write-once data that is seldom read back.
 *   <li>Deletes go to the backend, then the frontend; listing is the backend's.
 * </ul>
 *
 * <p>A write returns when the backend has it, so durability is the backend's. The frontend is a
 * cache of immutable blobs (index nodes never change once written): it is not told when another
 * process replaces a blob, so replacing blobs under a shared key is for single-process use. A
 * frontend failure on a read-fill or write is not ignored: it surfaces, since a frontend that
 * cannot take writes would silently serve stale copies later.
 */
final class StoreTiered implements Store {
  /** Where blob writes go. */
  enum WritePolicy {
    WRITE_THROUGH,
    WRITE_AROUND
  }

  /** Where blob reads go. */
  enum ReadPolicy {
    FRONTEND_FIRST,
    BACKEND_ONLY
  }

  private final Store frontend;
  private final Store backend;
  private final WritePolicy writePolicy;
  private final ReadPolicy readPolicy;

  StoreTiered(Store frontend, Store backend, WritePolicy writePolicy, ReadPolicy readPolicy) {
    this.frontend = frontend;
    this.backend = backend;
    this.writePolicy = writePolicy;
    this.readPolicy = readPolicy;
  }

  /** The frontend, for tests. */
  Store frontend() {
    return frontend;
  }

  /** The backend, for tests. */
  Store backend() {
    return backend;
  }

  @Override
  public byte[] get(String key) {
    if (readPolicy == ReadPolicy.BACKEND_ONLY) {
      return backend.get(key);
    }
    byte[] v = frontend.get(key);
    if (v != null) {
      return v;
    }
    v = backend.get(key);
    if (v != null) {
      frontend.put(key, v);
    }
    return v;
  }

  @Override
  public void putAll(Map<String, byte[]> blobs) {
    backend.putAll(blobs);
    if (writePolicy == WritePolicy.WRITE_THROUGH) {
      frontend.putAll(blobs);
    } else {
      frontend.delete(blobs.keySet());
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    backend.delete(keys);
    frontend.delete(keys);
  }

  @Override
  public Iterable<String> list() {
    return backend.list();
  }

  @Override
  public byte[] readHead() {
    return backend.readHead();
  }

  @Override
  public boolean casHead(byte[] expected, byte[] next) {
    return backend.casHead(expected, next);
  }

  @Override
  public long append(List<byte[]> records) {
    return backend.append(records);
  }

  @Override
  public List<LogEntry> readLog(long fromSeq) {
    return backend.readLog(fromSeq);
  }

  @Override
  public void truncateLogBefore(long seq) {
    backend.truncateLogBefore(seq);
  }

  @Override
  public WriterLock lockWriter(Duration wait) {
    return backend.lockWriter(wait);
  }

  @Override
  public void close() {
    try {
      backend.close();
    } finally {
      frontend.close();
    }
  }

  @Override
  public void deleteAll() {
    // The backend first: it refuses while another writer holds the lock, and then nothing is lost.
    backend.deleteAll();
    frontend.deleteAll();
  }
}
