package datahike.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where a database lives: immutable blobs by key, one mutable head record, a transaction log, and
 * the lock that makes one process at a time the writer. A store knows nothing of what the bytes
 * mean; index nodes, head contents and log records are encoded above it.
 *
 * <p>Promises every backend keeps (checked by {@code AbstractStoreContractTest}):
 *
 * <ul>
 *   <li>What a write returned from is durable: it survives a crash of the process (and, for durable
 *       backends, of the machine).
 *   <li>Every stored item is all-or-nothing to a reader. A torn or rotted item is detected by
 *       checksum and reported as {@code :store/corrupt} naming the key or file position; an item
 *       written by a newer format is {@code :store/too-new}. Nothing damaged is returned as data.
 *   <li>Readers need no lock and may live in other processes; only the log writer needs {@link
 *       #lockWriter}.
 * </ul>
 *
 * <p>Instances are thread-safe. Errors are {@link datahike.DatahikeException}s with codes in the
 * {@code store} namespace: {@code corrupt}, {@code too-new}, {@code too-old}, {@code io}, {@code
 * locked}, {@code not-locked}, {@code closed}, {@code bad-key}, {@code too-large}, {@code config}.
 *
 * <p>Internal: not part of the public API.
 */
public interface Store extends AutoCloseable {

  /** The blob stored under {@code key}, or null when there is none. */
  byte[] get(String key);

  /**
   * Stores every blob of {@code blobs} (replacing any blob under the same key). When this returns,
   * every one of them is durable. The batch is not atomic: after a crash in the middle any subset
   * may be present, each complete. Keys are non-empty strings of at most 200 characters.
   */
  void putAll(Map<String, byte[]> blobs);

  /** Stores one blob; see {@link #putAll}. */
  default void put(String key, byte[] value) {
    putAll(Map.of(key, value));
  }

  /**
   * Deletes the blobs under {@code keys}; missing keys are ignored. A delete need not be durable on
   * return: after a crash a deleted blob may reappear (garbage collection deletes it again).
   */
  void delete(Collection<String> keys);

  /** The keys of all blobs, in no particular order; each call lists afresh. */
  Iterable<String> list();

  /** The current head record, or null when none was ever set. */
  byte[] readHead();

  /**
   * Replaces the head with {@code next} if its content equals {@code expected} (null: there is no
   * head yet); atomic against every other caller in any process, and durable when it returns true.
   * A torn head write leaves the previous head in place.
   *
   * @return false, changing nothing, when the head was not {@code expected}
   */
  boolean casHead(byte[] expected, byte[] next);

  /**
   * Appends {@code records} to the log as one all-or-nothing unit, assigning them the next sequence
   * numbers (dense, the first record of an empty log gets 1). Returns when they are durable;
   * concurrent appends share one sync (group commit). Requires the writer lock held through this
   * store ({@code :store/not-locked} otherwise).
   *
   * @return the sequence number of the last record; the first is that minus {@code records.size() -
   *     1}. An empty list appends nothing and returns the last sequence number in the log (0 for an
   *     empty log).
   */
  long append(List<byte[]> records);

  /**
   * The log records with sequence numbers from {@code fromSeq} on, in order. Records removed by
   * {@link #truncateLogBefore} are missing from the start. An unacknowledged torn tail (a crash
   * during an append) is not returned; a damaged record followed by good ones is {@code
   * :store/corrupt} naming where it lies.
   */
  List<LogEntry> readLog(long fromSeq);

  /**
   * Allows the store to drop records with sequence numbers below {@code seq}. It may keep some
   * (file stores drop whole segments), never drops one at or after {@code seq}, and never resets
   * numbering. Requires the writer lock.
   */
  void truncateLogBefore(long seq);

  /**
   * Makes this store the one writer of the database: exclusive across every process and every store
   * instance opened on the same place. Waits up to {@code wait}, then fails with {@code
   * :store/locked}. Not reentrant. Taking the lock also recovers the log: a torn tail left by a
   * crashed writer is removed (it was never acknowledged). Closing the lock or the store releases
   * it; so does the death of the process.
   */
  WriterLock lockWriter(Duration wait);

  /** Releases the writer lock if held here, and any resources. Idempotent. */
  @Override
  void close();

  /**
   * Deletes the whole store: blobs, head, log and the store itself, then closes this instance.
   * Fails with {@code :store/locked} when another instance or process holds the writer lock.
   */
  void deleteAll();

  /** A held writer lock; {@link #close()} releases it. */
  interface WriterLock extends AutoCloseable {
    /** Releases the lock. Idempotent. */
    @Override
    void close();
  }
}
