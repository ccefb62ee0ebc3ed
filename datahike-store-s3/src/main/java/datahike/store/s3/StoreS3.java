package datahike.store.s3;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.GroupCommitter;
import datahike.store.LogCodec;
import datahike.store.LogEntry;
import datahike.store.Store;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The S3 backend: a store kept as objects under one prefix of a bucket (names below are relative to
 * the prefix).
 *
 * <pre>
 * format             store marker, frame KIND_FORMAT; {@code exists} means it exists
 * blobs/NAME         one object per blob, frame KIND_BLOB; NAME: {@link S3Keys}
 * head               the head, frame KIND_HEAD, payload: nonce (8) + the caller's head
 * log/SEQ            one object per log group (one PUT), SEQ its first sequence number in 20
 *                    digits; frame KIND_LOG_GROUP ({@link LogCodec})
 * lock               the writer lease ({@link S3Lease})
 * probe/UUID         short-lived: the conditional-write check at open
 * </pre>
 *
 * <p><b>Durability:</b> a write is durable when S3 acknowledged the PUT (S3 stores an object
 * redundantly before answering 200). A PUT is atomic: readers see the old object or the whole new
 * one, never a torn one, and reads after an acknowledged write see it (S3 is strongly consistent
 * since 2020, listings included).
 *
 * <p><b>Head compare-and-set</b> is a conditional PUT: {@code If-None-Match: *} when there is no
 * head yet, {@code If-Match: <etag read>} otherwise; a 412 means someone else changed the head
 * between our read and our write, so the head is read again and the comparison repeated (the CAS
 * fails only if the head is then not the expected one). This needs a server that honours
 * conditional PUTs (AWS S3 since November 2024, MinIO, Cloudflare R2, Ceph RGW). The store checks
 * at open, once per bucket and JVM, that a second {@code If-None-Match: *} PUT of one name is
 * refused, and fails with {@code :store/config} on a server that ignores the header (s3proxy 2.7.0
 * does: its tests put a precondition filter in front of it).
 *
 * <p><b>The log</b>: each group-commit round is one object created with {@code If-None-Match: *},
 * so two writers can never both write sequence number N; appends also check the writer lease first
 * (fencing). Objects are named by first sequence number in 20 digits, so a listing returns them in
 * order. A damaged last group is an unacknowledged tail as on every backend: skipped by readers,
 * deleted by the next writer.
 */
final class StoreS3 implements Store {
  static final String FORMAT = "format";
  static final String HEAD = "head";
  static final String BLOBS = "blobs/";
  static final String LOG = "log/";
  private static final String FORMAT_TEXT = "datahike-java s3 store";

  /** Largest payload of one group-commit round. */
  private static final long MAX_GROUP_BYTES = 64L << 20;

  /** Requests in flight for one batch (puts, deletes, log reads). */
  private static final ExecutorService POOL;

  static {
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(
            32,
            32,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "datahike-s3-io");
              t.setDaemon(true);
              return t;
            });
    p.allowCoreThreadTimeOut(true);
    POOL = p;
  }

  /** Buckets (endpoint + name) whose server was seen to honour conditional PUTs. */
  private static final Set<String> CONDITIONAL_OK = ConcurrentHashMap.newKeySet();

  private final S3Bucket bucket;
  private final String where;
  private final GroupCommitter<List<byte[]>, Long> committer;
  private volatile boolean closed;
  private volatile Lock held;

  /** Sequence number of the next record; written only by the flusher or under {@code exclusive}. */
  private long nextSeq = 1;

  private StoreS3(S3Bucket bucket) {
    this.bucket = bucket;
    this.where = bucket.config().where();
    this.committer = new GroupCommitter<>(this::flush, LogCodec::weight, MAX_GROUP_BYTES);
  }

  /** Opens the store {@code cfg} names, creating it when missing. */
  static StoreS3 open(S3Config cfg) {
    S3Bucket b = new S3Bucket(cfg);
    try {
      checkConditionalWrites(b);
      S3Bucket.Got f = b.get(FORMAT);
      if (f == null) {
        create(b);
      } else {
        BlobFrame.decode(cfg.where() + FORMAT, f.bytes(), BlobFrame.KIND_FORMAT);
      }
      return new StoreS3(b);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /**
   * Makes the prefix a new, empty store: drops the head and log an interrupted {@link #deleteAll}
   * left (it removes the marker first; leftover blobs are harmless, nothing names them), then
   * writes the marker. Creation holds the writer lease, so racing creators and deleters wait for
   * each other and the second creator finds the store made.
   */
  private static void create(S3Bucket b) {
    S3Lease lease = S3Lease.acquire(b, Duration.ofSeconds(30));
    try {
      if (b.exists(FORMAT)) {
        return;
      }
      b.delete(HEAD);
      for (String n : b.list(LOG, null)) {
        b.delete(n);
      }
      b.put(FORMAT, BlobFrame.encode(BlobFrame.KIND_FORMAT, bytes(FORMAT_TEXT)));
    } finally {
      lease.release();
    }
  }

  /** True when {@code cfg} names a store. */
  static boolean exists(S3Config cfg) {
    try (S3Bucket b = new S3Bucket(cfg)) {
      return b.exists(FORMAT);
    }
  }

  /**
   * Fails with {@code :store/config} unless the server refuses a second {@code If-None-Match: *}
   * PUT of one name: without that, head compare-and-set and log appends would not be atomic.
   */
  private static void checkConditionalWrites(S3Bucket b) {
    S3Config c = b.config();
    String id = c.endpoint() + " " + c.bucket();
    if (CONDITIONAL_OK.contains(id)) {
      return;
    }
    String name = "probe/" + UUID.randomUUID();
    try {
      if (b.putIfAbsent(name, bytes("first")) == null) {
        throw new IllegalStateException("a fresh probe object already existed: " + name);
      }
      boolean refused = b.putIfAbsent(name, bytes("second")) == null;
      if (!refused) {
        throw DatahikeException.of(
            "store/config",
            "the S3 server behind "
                + c.where()
                + " ignores conditional PUTs (If-None-Match: *), so compare-and-set and the"
                + " single-writer log cannot be atomic there; use AWS S3, MinIO, R2 or another"
                + " server that honours them",
            "bucket",
            c.bucket());
      }
      CONDITIONAL_OK.add(id);
    } finally {
      b.delete(name);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The bucket access, for tests. */
  S3Bucket bucket() {
    return bucket;
  }

  /** The committer, for statistics. */
  GroupCommitter<List<byte[]>, Long> committer() {
    return committer;
  }

  // ---- blobs ---------------------------------------------------------------------------

  @Override
  public byte[] get(String key) {
    ensureOpen();
    S3Bucket.Got g = bucket.get(BLOBS + S3Keys.encode(key));
    return g == null ? null : BlobFrame.decode(key, g.bytes(), BlobFrame.KIND_BLOB).payload();
  }

  @Override
  public void putAll(Map<String, byte[]> blobs) {
    ensureOpen();
    List<String> names = new ArrayList<>(blobs.size());
    List<byte[]> framed = new ArrayList<>(blobs.size());
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      names.add(BLOBS + S3Keys.encode(e.getKey()));
      framed.add(BlobFrame.encode(BlobFrame.KIND_BLOB, e.getValue()));
    }
    List<Supplier<Object>> puts = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      byte[] v = framed.get(i);
      puts.add(() -> bucket.put(n, v));
    }
    all(puts);
  }

  @Override
  public void delete(Collection<String> keys) {
    ensureOpen();
    List<Supplier<Object>> dels = new ArrayList<>(keys.size());
    for (String k : keys) {
      String n = BLOBS + S3Keys.encode(k);
      dels.add(
          () -> {
            bucket.delete(n);
            return null;
          });
    }
    all(dels);
  }

  @Override
  public Iterable<String> list() {
    ensureOpen();
    List<String> out = new ArrayList<>();
    for (String n : bucket.list(BLOBS, null)) {
      String k = S3Keys.decode(n.substring(BLOBS.length()));
      if (k != null) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Runs {@code tasks} on the pool (the calling thread takes a share) and returns their results.
   */
  private static <T> List<T> all(List<Supplier<T>> tasks) {
    if (tasks.size() <= 1) {
      List<T> out = new ArrayList<>();
      for (Supplier<T> t : tasks) {
        out.add(t.get());
      }
      return out;
    }
    List<CompletableFuture<T>> fs = new ArrayList<>(tasks.size());
    for (Supplier<T> t : tasks) {
      fs.add(CompletableFuture.supplyAsync(t, POOL));
    }
    List<T> out = new ArrayList<>(tasks.size());
    RuntimeException first = null;
    for (CompletableFuture<T> f : fs) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (first == null) {
          first =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : DatahikeException.of("store/io", "S3 request failed: " + e.getCause(), e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  // ---- head ----------------------------------------------------------------------------

  @Override
  public byte[] readHead() {
    ensureOpen();
    S3Bucket.Got g = bucket.get(HEAD);
    return g == null ? null : headOf(g);
  }

  private byte[] headOf(S3Bucket.Got g) {
    byte[] p = BlobFrame.decode(where + HEAD, g.bytes(), BlobFrame.KIND_HEAD).payload();
    if (p.length < 8) {
      throw LogCodec.corrupt(where + HEAD, "head shorter than its nonce");
    }
    return Arrays.copyOfRange(p, 8, p.length);
  }

  @Override
  public boolean casHead(byte[] expected, byte[] next) {
    ensureOpen();
    if (next == null) {
      throw new IllegalArgumentException("the head cannot be set to null");
    }
    // The nonce makes every head write unique, so an SDK retry of a write that landed is
    // recognised as ours (S3Bucket), and an equal head written twice still changes the ETag.
    byte[] payload = new byte[8 + next.length];
    ByteBuffer.wrap(payload).putLong(0, ThreadLocalRandom.current().nextLong());
    System.arraycopy(next, 0, payload, 8, next.length);
    byte[] framed = BlobFrame.encode(BlobFrame.KIND_HEAD, payload);
    while (true) {
      S3Bucket.Got g = bucket.get(HEAD);
      if (!Arrays.equals(g == null ? null : headOf(g), expected)) {
        return false;
      }
      String etag =
          g == null ? bucket.putIfAbsent(HEAD, framed) : bucket.putIfMatch(HEAD, framed, g.etag());
      if (etag != null) {
        return true;
      }
      // Changed between our read and our write: compare again with what is there now.
    }
  }

  // ---- log -----------------------------------------------------------------------------

  @Override
  public long append(List<byte[]> records) {
    ensureOpen();
    ensureWriter();
    return committer.commit(List.copyOf(records));
  }

  /** Writes one round of appends as one log object. */
  private List<Long> flush(List<List<byte[]>> batch) {
    Lock l = held;
    if (l == null) {
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
      l.lease.check(); // fencing: never write after the lease may have passed to another writer
      if (bucket.putIfAbsent(LOG + S3Keys.logName(first), group) == null) {
        l.lease.markLost();
        throw DatahikeException.of(
            "store/locked",
            where
                + LOG
                + S3Keys.logName(first)
                + " was written by another writer: this store lost the writer lock",
            "seq",
            first);
      }
      nextSeq = seq + 1;
    }
    return results;
  }

  /** First sequence numbers of the log objects, in order. */
  private List<Long> logFirsts(String startAfter) {
    List<Long> out = new ArrayList<>();
    for (String n : bucket.list(LOG, startAfter)) {
      try {
        out.add(Long.parseLong(n.substring(LOG.length())));
      } catch (NumberFormatException e) {
        // not a log group; ignore
      }
    }
    return out;
  }

  @Override
  public List<LogEntry> readLog(long fromSeq) {
    ensureOpen();
    for (int attempt = 0; ; attempt++) {
      // Usually fromSeq starts a group: list from it. Otherwise list all to find its group.
      List<Long> firsts =
          fromSeq > 1 ? logFirsts(LOG + S3Keys.logName(fromSeq - 1)) : logFirsts(null);
      if (fromSeq > 1 && (firsts.isEmpty() || firsts.get(0) != fromSeq)) {
        List<Long> all = logFirsts(null);
        int i = all.size() - 1;
        while (i > 0 && all.get(i) > fromSeq) {
          i--;
        }
        firsts = all.subList(Math.max(0, i), all.size());
      }
      List<Supplier<S3Bucket.Got>> gets = new ArrayList<>(firsts.size());
      for (long f : firsts) {
        gets.add(() -> bucket.get(LOG + S3Keys.logName(f)));
      }
      List<S3Bucket.Got> groups = all(gets);
      if (groups.contains(null) && attempt < 5) {
        continue; // truncated or recovered while we listed: list again
      }
      List<LogEntry> out = new ArrayList<>();
      long expectNext = -1;
      for (int i = 0; i < groups.size(); i++) {
        long first = firsts.get(i);
        S3Bucket.Got g = groups.get(i);
        String w = where + LOG + S3Keys.logName(first);
        boolean last = i == groups.size() - 1;
        if (g == null) {
          throw LogCodec.corrupt(w, "log group vanished while being read");
        }
        if (expectNext >= 0 && first != expectNext) {
          throw LogCodec.corrupt(w, "log group starts at " + first + ", expected " + expectNext);
        }
        try {
          out.addAll(LogCodec.decode(w, g.bytes(), first, fromSeq));
          expectNext = first + LogCodec.count(g.bytes(), 0);
        } catch (DatahikeException e) {
          if (last && e.code().fullName().equals("store/corrupt")) {
            break; // a damaged last group: never acknowledged, as on every backend
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
    List<Long> firsts = logFirsts(null);
    List<Supplier<Object>> dels = new ArrayList<>();
    // Group i ends before group i+1 starts; drop it when that is at or before seq. Keep the last.
    for (int i = 0; i + 1 < firsts.size() && firsts.get(i + 1) <= seq; i++) {
      String n = LOG + S3Keys.logName(firsts.get(i));
      dels.add(
          () -> {
            bucket.delete(n);
            return null;
          });
    }
    all(dels);
  }

  // ---- writer lock ---------------------------------------------------------------------

  @Override
  public WriterLock lockWriter(Duration wait) {
    ensureOpen();
    S3Lease lease = S3Lease.acquire(bucket, wait);
    try {
      long next = recover();
      committer.exclusive(() -> nextSeq = next);
    } catch (RuntimeException | Error e) {
      lease.release();
      throw e;
    }
    Lock l = new Lock(lease);
    held = l;
    return l;
  }

  /** Deletes a damaged last group and returns the next sequence number. */
  private long recover() {
    List<Long> firsts = logFirsts(null);
    for (int i = firsts.size() - 1; i >= 0; i--) {
      long first = firsts.get(i);
      String name = LOG + S3Keys.logName(first);
      S3Bucket.Got g = bucket.get(name);
      try {
        if (g == null) {
          throw LogCodec.corrupt(where + name, "listed but missing");
        }
        LogCodec.decode(where + name, g.bytes(), first, Long.MAX_VALUE);
        return first + LogCodec.count(g.bytes(), 0);
      } catch (DatahikeException e) {
        if (i < firsts.size() - 1 || !e.code().fullName().equals("store/corrupt")) {
          throw e; // damage before the last group is damage to acknowledged records
        }
        bucket.delete(name);
      }
    }
    return 1;
  }

  /** The lock as handed out. */
  private final class Lock implements WriterLock {
    final S3Lease lease;
    private boolean released;

    Lock(S3Lease lease) {
      this.lease = lease;
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
        lease.release();
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
        "S3 store " + where + ": only the holder of the writer lock changes the log",
        "bucket",
        bucket.config().bucket());
  }

  // ---- lifecycle -----------------------------------------------------------------------

  private void ensureOpen() {
    if (closed) {
      throw DatahikeException.of("store/closed", "the S3 store " + where + " is closed");
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
      bucket.close();
    }
  }

  @Override
  public void deleteAll() {
    ensureOpen();
    Lock mine = held;
    // A lease left by a dead writer can only be told from a live one by watching it stay unrenewed
    // for one lease period, so wait a little longer than that: a live writer still fails this.
    long leaseMs = bucket.config().leaseMs();
    S3Lease bare =
        mine == null ? S3Lease.acquire(bucket, Duration.ofMillis(leaseMs + leaseMs / 2 + 500)) : null;
    try {
      // The marker first: from here on the store does not exist, even if the rest is interrupted.
      bucket.delete(FORMAT);
      List<Supplier<Object>> dels = new ArrayList<>();
      for (String sub : List.of(BLOBS, LOG, "probe/")) {
        for (String n : bucket.list(sub, null)) {
          dels.add(
              () -> {
                bucket.delete(n);
                return null;
              });
        }
      }
      all(dels);
      bucket.delete(HEAD);
    } finally {
      if (mine != null) {
        mine.close();
      }
      if (bare != null) {
        bare.release();
      }
      bucket.delete(S3Lease.NAME);
      close();
    }
  }
}
