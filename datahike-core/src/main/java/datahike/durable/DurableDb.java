package datahike.durable;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.codec.TxRecord;
import datahike.codec.TxRecordCodec;
import datahike.db.DbBuilder;
import datahike.db.DbValue;
import datahike.db.IndexType;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import datahike.index.DatomTree;
import datahike.index.PersistedNodes;
import datahike.store.LogEntry;
import datahike.store.Store;
import datahike.store.Stores;
import datahike.tx.Replay;
import datahike.tx.Transactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A database kept in a {@link Store}: the writer side (transactions made durable through the log
 * with group commit, index nodes and a new head written now and then) and the reader side
 * (opening lazily from the head, replaying the log tail, catching up with other processes).
 *
 * <p>Durability: a transaction is acknowledged only after its log record is durable; nodes are
 * written before any head that names them; the head is replaced by compare-and-set. A crash at any
 * point leaves the last head (whose nodes are durable) plus the log, which together hold exactly
 * the acknowledged transactions.
 *
 * <p>Index flushes run on a thread of their own ({@code startFlush}): a published snapshot is
 * written while transactions go on, and its nodes count as stored only once they are durable.
 *
 * <p>Several processes: writes take the store's writer lock, held while this process writes and
 * released after a short idle time, and first catch up with what other processes appended.
 */
public final class DurableDb implements AutoCloseable {
  /**
   * Datoms of novelty after which the indices are written (in the background) and the log
   * truncated: one per 4 KiB of maximum heap, from 100,000 to 500,000 (a 2 GiB heap or more gets
   * 500,000; the 512 MiB child JVMs of the crash tests 131,072). At twice this, unflushed novelty
   * pauses the writers, so the heap holds at most about 2 datoms of novelty per 4 KiB.
   *
   * <p>Why it grows with the heap: each flush rewrites every leaf that the novelty touched, and
   * random values (AVET) touch nearly all of them, so fewer flushes write less. Measured on the
   * bench's 1 M-datom bulk load with the background flush, 6 runs each alternating: 200,000 gave
   * 634k-842k datoms/s (mean 742k), 500,000 gave 798k-905k (mean 858k). (Session 5, with the flush
   * still in the committing thread, found no gain and more GC: a larger flush was a longer pause.)
   * The price is replay after a crash: about 2.3 s per million datoms of unflushed log.
   */
  static final long FLUSH_NOVELTY = flushNovelty(Runtime.getRuntime().maxMemory());

  /** The flush threshold for a JVM whose maximum heap is {@code maxHeapBytes}. */
  static long flushNovelty(long maxHeapBytes) {
    return Math.max(100_000, Math.min(500_000, maxHeapBytes / 4096));
  }
  /** How long the writer lock is kept after the last write, for a burst of transactions. */
  static final long LINGER_MS = 200;

  private final Map<Keyword, Object> storeConfig;
  private final Store store;
  private final StoredNodes nodes;
  private final DbValue.DbFlags flags;
  private final Duration lockWait;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final CommitPipeline pipeline;
  private final ScheduledExecutorService linger;
  /** The thread that writes index nodes and heads in the background ({@link #startFlush}). */
  private final ExecutorService flusher;

  /** A database value and the log sequence it is the state after. */
  private record Durable(DbValue db, long seq) {}

  /**
   * The durable state readers see; swapped as commits become durable. One reference for value and
   * sequence, so a flush starting on another thread's publication sees a matching pair.
   */
  private final AtomicReference<Durable> durable = new AtomicReference<>();
  /** The state the next transaction starts from (guarded by writeLock). */
  private DbValue tentative;
  /** Log sequence of {@code tentative}. */
  private long tentativeSeq;
  /** The index flush running on {@link #flusher}, or null (guarded by writeLock). */
  private Future<Flushed> flushing;
  /** After a failed background flush, no other starts before this {@code nanoTime} (writeLock). */
  private long nextFlushNanos = System.nanoTime();
  /** Pause after a failed background flush, so a failing store is not retried on every commit. */
  static final long FLUSH_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The log sequence the stored head covers. */
  private long headSeq;
  private byte[] headBytes;
  private Store.WriterLock writer;
  private long lastWrite;
  private long novelty;
  private volatile boolean closed;
  private final AtomicBoolean lingerScheduled = new AtomicBoolean();

  private DurableDb(Map<Keyword, Object> storeConfig, Store store, Duration lockWait, HeadRecord head, byte[] headBytes) {
    this.storeConfig = storeConfig;
    this.store = store;
    this.flags = head.flags();
    this.lockWait = lockWait;
    long heapDatoms = Math.max(100_000, Runtime.getRuntime().maxMemory() / 4 / 200);
    this.nodes = new StoredNodes(store, heapDatoms);
    this.headBytes = headBytes;
    this.headSeq = head.logSeq();
    this.pipeline = new CommitPipeline(store, this::applyAll, this::published, this::recover);
    this.linger = Executors.newSingleThreadScheduledExecutor(daemon("datahike-writer-linger"));
    this.flusher = Executors.newSingleThreadExecutor(daemon("datahike-index-flush"));
    DbValue db = fromHead(head);
    this.durable.set(new Durable(db, head.logSeq()));
    this.tentative = db;
    this.tentativeSeq = head.logSeq();
    catchUp();
  }

  /** Threads named {@code name} that do not keep the JVM alive. */
  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Creates a database in the store {@code storeConfig} names. Fails with {@code :db/exists} when
   * one is there.
   */
  public static void create(Map<Keyword, Object> storeConfig, DbValue.DbFlags flags, Map<?, ?> schema) {
    try (Store store = Stores.open(storeConfig)) {
      if (store.readHead() != null) throw alreadyExists(storeConfig);
      try (Store.WriterLock lock = store.lockWriter(Duration.ofSeconds(30))) {
        DbValue db = DbBuilder.empty(flags, schema);
        StoredNodes nodes = new StoredNodes(store, 10_000);
        PersistedNodes written = new PersistedNodes();
        HeadRecord head = headOf(db, nodes, written, 0, null, schema);
        nodes.flush();
        written.durable(null);
        if (!store.casHead(null, head.encode())) throw alreadyExists(storeConfig);
      }
    }
  }

  /** True when the store holds a database. */
  public static boolean exists(Map<Keyword, Object> storeConfig) {
    if (!Stores.exists(storeConfig)) return false;
    try (Store store = Stores.open(storeConfig)) {
      return store.readHead() != null;
    }
  }

  /** Deletes the database and its store. */
  public static void delete(Map<Keyword, Object> storeConfig) {
    if (Stores.exists(storeConfig)) Stores.delete(storeConfig);
  }

  /**
   * Opens the database: reads the head (not the indices, which load lazily) and replays the log
   * after it. {@code expected} are the settings the caller's configuration asks for; a database
   * created with others is refused.
   */
  public static DurableDb open(Map<Keyword, Object> storeConfig, DbValue.DbFlags expected, Duration lockWait) {
    Store store = Stores.open(storeConfig);
    try {
      byte[] bytes = store.readHead();
      if (bytes == null) {
        throw DatahikeException.of(
            "db/missing",
            "Database does not exist: " + storeConfig + ". Create it first with createDatabase.",
            "store", storeConfig);
      }
      HeadRecord head = HeadRecord.decode(bytes);
      if (expected != null && !expected.equals(head.flags())) {
        throw DatahikeException.of(
            "db/config-mismatch",
            "Database was created with " + describe(head.flags()) + " but the configuration asks for "
                + describe(expected),
            "stored", describe(head.flags()), "requested", describe(expected));
      }
      return new DurableDb(storeConfig, store, lockWait, head, bytes);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static String describe(DbValue.DbFlags f) {
    return "{:keep-history? " + f.keepHistory() + " :attribute-refs? " + f.attributeRefs()
        + " :schema-flexibility " + (f.schemaOnRead() ? ":read" : ":write") + "}";
  }

  private static DatahikeException alreadyExists(Map<Keyword, Object> storeConfig) {
    return DatahikeException.of(
        "db/exists", "Database already exists: " + storeConfig, "store", storeConfig);
  }

  /** The database value described by a head, with lazily loaded trees. */
  private DbValue fromHead(HeadRecord head) {
    DbValue empty = DbBuilder.emptyShell(head.flags(), head.maxEid(), head.maxTx(), head.initialSchema());
    DbValue t = empty.transientCopy();
    DatomTree[] cur = new DatomTree[3];
    DatomTree[] tmp = new DatomTree[3];
    DatomOrder[] orders = {DatomOrder.EAVT, DatomOrder.AEVT, DatomOrder.AVET};
    for (int i = 0; i < 3; i++) {
      HeadRecord.Root c = head.roots().get(HeadRecord.TREES[i]);
      HeadRecord.Root h = head.roots().get(HeadRecord.TREES[i + 3]);
      cur[i] = DatomTree.stored(orders[i], false, nodes, c == null ? null : c.address(), c == null ? 0 : c.count());
      tmp[i] = DatomTree.stored(orders[i], true, nodes, h == null ? null : h.address(), h == null ? 0 : h.count());
    }
    t.setTrees(cur, tmp);
    Replay.rebuildSchema(t);
    return t.persistent();
  }

  /**
   * Writes the trees of {@code db} (their unstored nodes, recorded in {@code written}) and returns
   * the head naming them. The nodes are durable, and may be declared so, after {@code
   * nodes.flush()}.
   */
  private static HeadRecord headOf(
      DbValue db,
      StoredNodes nodes,
      PersistedNodes written,
      long logSeq,
      HeadRecord prev,
      Map<?, ?> schema) {
    Map<String, HeadRecord.Root> roots = new LinkedHashMap<>();
    IndexType[] idx = {IndexType.EAVT, IndexType.AEVT, IndexType.AVET};
    for (int i = 0; i < 3; i++) {
      DatomTree c = db.tree(idx[i]);
      roots.put(HeadRecord.TREES[i], new HeadRecord.Root(c.persist(nodes, written), c.size()));
    }
    for (int i = 0; i < 3; i++) {
      DatomTree h = db.temporalTree(idx[i]);
      roots.put(HeadRecord.TREES[i + 3], new HeadRecord.Root(h.persist(nodes, written), h.size()));
    }
    return new HeadRecord(
        HeadRecord.FORMAT,
        db.flags(),
        db.maxTx(),
        db.maxEid(),
        logSeq,
        roots,
        prev == null ? 0 : prev.logSeq(),
        prev == null ? Map.of() : prev.roots(),
        schema,
        retire(prev));
  }

  /** Heads kept for garbage collection: the previous ones, with when they were replaced. */
  static final int RETIRED_KEPT = 1024;

  private static List<HeadRecord.Retired> retire(HeadRecord prev) {
    if (prev == null) return List.of();
    List<HeadRecord.Retired> out = new ArrayList<>(prev.retired());
    out.add(new HeadRecord.Retired(System.currentTimeMillis(), prev.roots()));
    while (out.size() > RETIRED_KEPT) out.remove(0);
    return out;
  }

  // ------------------------------------------------------------------ reading

  /** The latest durable database value. Never blocks. */
  public DbValue current() {
    return durable.get().db();
  }

  /**
   * Catches up with transactions other processes committed since this value was read, and
   * returns the new current value.
   */
  public DbValue refresh() {
    writeLock.lock();
    try {
      if (pipeline.idle()) catchUp();
      return current();
    } finally {
      writeLock.unlock();
    }
  }

  /** Replays log records after {@code tentativeSeq}; reloads from the head when they are gone. */
  private void catchUp() {
    awaitFlush();
    // Move to a newer head first: its nodes are what garbage collection keeps, while the nodes
    // under an old head may be collected once it is retired long enough.
    byte[] h = store.readHead();
    if (h != null && !java.util.Arrays.equals(h, headBytes) && HeadRecord.decode(h).logSeq() > headSeq) {
      reloadFromHead();
    }
    List<LogEntry> entries = store.readLog(tentativeSeq + 1);
    if (!entries.isEmpty() && entries.get(0).seq() > tentativeSeq + 1) {
      reloadFromHead();
      entries = store.readLog(tentativeSeq + 1);
    }
    if (entries.isEmpty()) return;
    DbValue t = tentative.transientCopy();
    long seq = tentativeSeq;
    for (LogEntry e : entries) {
      TxRecord r;
      try {
        r = TxRecordCodec.decode(e.payload());
      } catch (DatahikeException ex) {
        throw DatahikeException.of(
            "store/corrupt", "Log record " + e.seq() + " is damaged: " + ex.getMessage(), "seq", e.seq(), ex);
      }
      Replay.apply(t, r.tx(), r.maxEid(), r.datoms(), r.purged());
      novelty += r.datoms().size();
      seq = e.seq();
    }
    DbValue db = t.persistent();
    tentative = db;
    durable.set(new Durable(db, seq));
    tentativeSeq = seq;
  }

  private void reloadFromHead() {
    byte[] bytes = store.readHead();
    HeadRecord head = HeadRecord.decode(bytes);
    DbValue db = fromHead(head);
    headBytes = bytes;
    headSeq = head.logSeq();
    tentative = db;
    durable.set(new Durable(db, head.logSeq()));
    tentativeSeq = head.logSeq();
    novelty = 0;
  }

  // ------------------------------------------------------------------ writing

  /** One committed transaction: the state before it and what it did. */
  public record Committed(DbValue before, Transactor.Result result) {}

  /** Runs a transaction and returns once it is durable. */
  public Committed transact(Object txData, Map<Keyword, Object> txMeta) {
    return commit(before -> Transactor.transact(before, txData, txMeta));
  }

  /**
   * Runs {@code work} (a transaction function of the current state, e.g. {@link
   * Transactor#load}) as a transaction: serialized with other writers, durable on return.
   */
  public Committed commit(Function<DbValue, Transactor.Result> work) {
    CommitPipeline.Job job = pipeline.job(work);
    pipeline.run(job);
    Committed c = (Committed) job.result;
    if (!c.result().purged().isEmpty()) purgeFromStorage();
    afterCommit();
    return c;
  }

  /**
   * The combiner's step (see {@link CommitPipeline}): runs submitted transactions one after another
   * on the tentative state and queues their log records while the write lock is held, so log
   * order is transaction order.
   */
  @SuppressWarnings("unchecked")
  private void applyAll(List<CommitPipeline.Job> jobs) {
    writeLock.lock();
    try {
      RuntimeException refused = null;
      try {
        checkOpen();
        ensureWriter();
      } catch (RuntimeException e) {
        refused = e;
      }
      for (CommitPipeline.Job job : jobs) {
        if (refused != null) {
          job.fail(refused);
          continue;
        }
        try {
          DbValue before = tentative;
          Transactor.Result r =
              ((Function<DbValue, Transactor.Result>) job.work).apply(before);
          byte[] record =
              TxRecordCodec.encode(
                  new TxRecord(r.dbAfter().maxTx(), r.dbAfter().maxEid(), r.txData(), r.purged()));
          job.applied(record, r.dbAfter(), new Committed(before, r));
          tentative = r.dbAfter();
          tentativeSeq++;
          novelty += r.txData().size();
        } catch (Throwable t) {
          // A rejected transaction changes nothing: tentative stays as it was.
          job.fail(t);
        }
      }
      lastWrite = System.nanoTime();
      pipeline.accept(jobs);
    } finally {
      writeLock.unlock();
    }
  }

  /** Called by the pipeline, in log order, as each record becomes durable. */
  private void published(CommitPipeline.Job job) {
    durable.set(new Durable((DbValue) job.payload, job.seq));
  }

  /** After a failed append: the next transaction starts again from the durable state. */
  private void recover() {
    writeLock.lock();
    try {
      // The background flush writes with the writer lock released below; let it finish first.
      awaitFlush();
      Durable d = durable.get();
      tentative = d.db();
      tentativeSeq = d.seq();
      // A failed append leaves the log refusing writes (or the lock lost, e.g. an expired lease):
      // drop the writer lock; the next write takes it again, which recovers the log and catches up.
      if (writer != null) {
        try {
          writer.close();
        } catch (RuntimeException ignored) {
          // Already gone.
        }
        writer = null;
      }
      pipeline.recovered();
    } finally {
      writeLock.unlock();
    }
  }

  private void ensureWriter() {
    if (writer != null) return;
    writer = store.lockWriter(lockWait);
    try {
      catchUp();
    } catch (RuntimeException e) {
      writer.close();
      writer = null;
      throw e;
    }
  }

  /**
   * Starts a background index flush when enough novelty piled up (or takes in one that finished),
   * and schedules the release of an idle writer lock. Transactions go on while the flusher writes;
   * only at twice the threshold, with a flush still running, does a committer hold the write lock
   * until it is done, which stops new transactions being applied and so bounds the memory that
   * unflushed novelty takes.
   */
  private void afterCommit() {
    if (novelty >= FLUSH_NOVELTY) {
      boolean mustWait = novelty >= 2 * FLUSH_NOVELTY;
      if (mustWait) {
        writeLock.lock();
      } else if (!writeLock.tryLock()) {
        scheduleLinger();
        return;
      }
      try {
        if (flushing != null && (mustWait || flushing.isDone())) awaitFlush();
        if (flushing == null && novelty >= FLUSH_NOVELTY && !closed && writer != null) startFlush();
      } finally {
        writeLock.unlock();
      }
    }
    scheduleLinger();
  }

  /** One pending release check at a time: scheduling one per commit costs more than the commit. */
  private void scheduleLinger() {
    scheduleLinger(TimeUnit.MILLISECONDS.toNanos(LINGER_MS));
  }

  private void scheduleLinger(long delayNanos) {
    if (lingerScheduled.compareAndSet(false, true)) {
      try {
        linger.schedule(this::releaseIfIdle, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closedMeanwhile) {
        lingerScheduled.set(false);
      }
    }
  }

  /** Releases the writer lock once no write came for {@link #LINGER_MS}; else checks again then. */
  private void releaseIfIdle() {
    lingerScheduled.set(false);
    if (!writeLock.tryLock()) {
      scheduleLinger();
      return;
    }
    try {
      if (writer == null || closed) return;
      if (flushing != null) {
        // The flusher writes under this writer lock: keep it until the flush is taken in.
        if (!flushing.isDone()) {
          scheduleLinger(TimeUnit.MILLISECONDS.toNanos(1));
          return;
        }
        awaitFlush();
      }
      long left = TimeUnit.MILLISECONDS.toNanos(LINGER_MS) - (System.nanoTime() - lastWrite);
      if (left <= 0 && pipeline.idle()) {
        writer.close();
        writer = null;
      } else {
        scheduleLinger(Math.max(left, TimeUnit.MILLISECONDS.toNanos(1)));
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** What a background flush did: the head it wrote, the log sequence and novelty it covers. */
  private record Flushed(byte[] headBytes, long seq, long novelty) {}

  /**
   * Hands the durable state to the flusher thread, which writes its unstored index nodes and then
   * a head naming them (see {@link #writeIndex}). Call with the write lock and the writer lock held
   * and no flush running. The durable state, not the tentative one: a head must never cover a
   * transaction whose log record is not durable yet.
   */
  private void startFlush() {
    Durable snapshot = durable.get();
    if (snapshot.seq() == headSeq || System.nanoTime() - nextFlushNanos < 0) return;
    byte[] prevBytes = headBytes;
    long covered = novelty;
    flushing = flusher.submit(() -> writeIndex(snapshot, prevBytes, covered));
  }

  /**
   * The flusher's work (runs on its thread, alone: no other flush and no other head change runs
   * meanwhile, since everything else that writes a head first waits for this one): writes the
   * snapshot's new nodes in one durable batch, only then names them, replaces the head and lets the
   * log drop what the previous head covered. Reads only immutable values: the snapshot is
   * published, and the nodes it shares with newer values never change.
   */
  private Flushed writeIndex(Durable snapshot, byte[] prevBytes, long covered) {
    HeadRecord prev = HeadRecord.decode(prevBytes);
    byte[] bytes = replaceHead(snapshot, prev, prevBytes);
    try {
      // The store falls back to the previous head if the newest is damaged: keep its log tail.
      store.truncateLogBefore(prev.logSeq() + 1);
    } catch (RuntimeException e) {
      // The head is written; a log kept longer costs only replay time on the next open.
      warn("could not truncate the log of " + storeConfig, e);
    }
    return new Flushed(bytes, snapshot.seq(), covered);
  }

  /**
   * Writes {@code d}'s unstored nodes in one durable batch, only then names them, and replaces the
   * head {@code prevBytes} (decoded: {@code prev}) by one for {@code d}; returns the new head. The
   * caller makes sure no other head change runs meanwhile.
   */
  private byte[] replaceHead(Durable d, HeadRecord prev, byte[] prevBytes) {
    PersistedNodes written = new PersistedNodes();
    HeadRecord head = headOf(d.db(), nodes, written, d.seq(), prev, prev.initialSchema());
    nodes.flush();
    written.durable(nodes);
    byte[] bytes = head.encode();
    if (!store.casHead(prevBytes, bytes)) {
      throw DatahikeException.of(
          "store/head-conflict",
          "The database head changed under this writer; another process wrote without the lock",
          "store", storeConfig);
    }
    return bytes;
  }

  /**
   * Waits for the background flush, if one runs, and takes its result in: the new head, and the
   * tentative state with what is now stored unloaded from memory. Call with the write lock held
   * (the flusher never takes it). A failed flush is logged and changes nothing: its nodes were
   * never named, the head and log are as they were, and the next flush writes it all again.
   */
  private void awaitFlush() {
    Future<Flushed> f = flushing;
    if (f == null) return;
    flushing = null;
    Flushed done;
    boolean interrupted = false;
    while (true) {
      try {
        done = f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        warn("background index flush of " + storeConfig + " failed; the log keeps everything", e.getCause());
        nextFlushNanos = System.nanoTime() + FLUSH_RETRY_NANOS;
        if (interrupted) Thread.currentThread().interrupt();
        return;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    headBytes = done.headBytes();
    headSeq = done.seq();
    novelty = Math.max(0, novelty - done.novelty());
    continueFromStored();
  }

  /**
   * Replaces the tentative state (and the durable one, when it is the same value) by one whose
   * stored nodes are stubs, so the memory they take is released; they come back through the node
   * cache, which the flush filled. Write lock held.
   */
  private void continueFromStored() {
    DbValue before = tentative;
    DbValue after = unloadStored(before);
    tentative = after;
    Durable d = durable.get();
    if (d.db() == before) durable.compareAndSet(d, new Durable(after, d.seq()));
  }

  private static DbValue unloadStored(DbValue db) {
    IndexType[] idx = {IndexType.EAVT, IndexType.AEVT, IndexType.AVET};
    DatomTree[] cur = new DatomTree[3];
    DatomTree[] tmp = new DatomTree[3];
    for (int i = 0; i < 3; i++) {
      cur[i] = db.tree(idx[i]).unloadStored();
      tmp[i] = db.temporalTree(idx[i]).unloadStored();
    }
    DbValue t = db.transientCopy();
    t.setTrees(cur, tmp);
    return t.persistent();
  }

  /**
   * Writes the indices of the durable state and a new head naming them, then lets the log drop the
   * records the previous head covered; waits for a background flush first. Call with the write lock
   * held, the pipeline idle and the writer lock held.
   */
  private void flush() {
    awaitFlush();
    Durable d = durable.get();
    if (d.seq() == headSeq) return;
    writeHead(d);
  }

  /** Writes {@code d}'s new nodes and a head for it, in this thread. Write lock held, no flush running. */
  private void writeHead(Durable d) {
    HeadRecord prev = HeadRecord.decode(headBytes);
    byte[] bytes = replaceHead(d, prev, headBytes);
    headBytes = bytes;
    headSeq = d.seq();
    // The store falls back to the previous head if the newest is damaged: keep its log tail.
    store.truncateLogBefore(prev.logSeq() + 1);
    novelty = 0;
    continueFromStored();
  }

  /**
   * After a purge the purged values must leave storage: write the indices and a head, then a
   * second head, so the log before the purge (which still holds the values, as does the purge's
   * own record) can be truncated. Nodes that held them are deleted by {@link #gcStorage}.
   */
  private void purgeFromStorage() {
    writeLock.lock();
    try {
      if (!pipeline.idle()) return;
      ensureWriter();
      flush();
      forceHead();
    } finally {
      writeLock.unlock();
    }
  }

  /** Writes a new head for the durable state even when nothing changed, then truncates. */
  private void forceHead() {
    awaitFlush();
    writeHead(durable.get());
  }

  /** Writes pending indices now (also done on close). */
  public void sync() {
    writeLock.lock();
    try {
      checkOpen();
      ensureWriter();
      // Let the commits still being appended become durable, so that the head covers them.
      pipeline.awaitIdle();
      flush();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Deletes stored nodes unreachable from the current head that were written before {@code
   * removeBefore} (younger ones may belong to a snapshot still being read or written). Returns
   * how many blobs were deleted.
   */
  public long gcStorage(Date removeBefore) {
    writeLock.lock();
    try {
      checkOpen();
      ensureWriter();
      // The head read below must be the newest: take in a background flush whether or not this
      // one can flush now (flush() also waits for it).
      awaitFlush();
      if (pipeline.idle()) flush();
      Set<String> reachable = new HashSet<>();
      HeadRecord head = HeadRecord.decode(headBytes);
      for (HeadRecord.Root r : head.roots().values()) {
        if (r.address() != null) mark(r.address(), reachable);
      }
      for (HeadRecord.Root r : head.prevRoots().values()) {
        if (r.address() != null) mark(r.address(), reachable);
      }
      // Readers elsewhere may still stand on a head replaced after the cutoff.
      for (HeadRecord.Retired old : head.retired()) {
        if (old.at() < removeBefore.getTime()) continue;
        for (HeadRecord.Root r : old.roots().values()) {
          if (r.address() != null) mark(r.address(), reachable);
        }
      }
      List<String> dead = new ArrayList<>();
      for (String key : store.list()) {
        if (!key.startsWith("n-") || reachable.contains(key)) continue;
        long written = writtenAt(key);
        if (written >= 0 && written < removeBefore.getTime()) dead.add(key);
      }
      store.delete(dead);
      return dead.size();
    } finally {
      writeLock.unlock();
    }
  }

  private void mark(String root, Set<String> reachable) {
    ArrayList<String> stack = new ArrayList<>();
    stack.add(root);
    while (!stack.isEmpty()) {
      String a = stack.remove(stack.size() - 1);
      if (!reachable.add(a)) continue;
      datahike.index.NodeStore.Decoded d = nodes.fetchForGc(a);
      if (d.kidAddresses() != null) for (String k : d.kidAddresses()) stack.add(k);
    }
  }

  private static long writtenAt(String key) {
    int dash = key.indexOf('-', 2);
    try {
      return Long.parseLong(key.substring(2, dash));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Batches and syncs of the commit log so far: {@code [appends, records]}. */
  public long[] commitStats() {
    return pipeline.stats();
  }

  private void checkOpen() {
    if (closed) throw DatahikeException.of("db/closed", "The database is closed", "store", storeConfig);
  }

  /** Writes the indices if this process wrote since the last flush, then closes the store. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) return;
      try {
        awaitFlush();
        if (writer != null && pipeline.idle()) flush();
      } finally {
        closed = true;
        linger.shutdownNow();
        flusher.shutdownNow();
        if (writer != null) writer.close();
        writer = null;
        store.close();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Logs a problem nobody waits for an answer to. The logger is looked up only then: SLF4J without
   * a binding prints a warning of its own at first use, which every process would show otherwise.
   */
  private static void warn(String message, Throwable cause) {
    org.slf4j.LoggerFactory.getLogger(DurableDb.class).warn(message, cause);
  }

  /** Datoms of the current value, for tests. */
  static List<Datom> all(DbValue db) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : db.tree(IndexType.EAVT).all()) out.add(d);
    return out;
  }
}
