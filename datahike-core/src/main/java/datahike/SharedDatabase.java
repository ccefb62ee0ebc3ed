package datahike;

import datahike.db.DbValue;
import datahike.durable.DurableDb;
import datahike.edn.Keyword;
import datahike.tx.Transactor;
import java.util.Collections;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One open database shared by its connections in this JVM: its current value (swapped after each
 * transaction, so readers never wait), the serialization of writers, and the listeners. A stored
 * database delegates to {@link DurableDb}, which makes each transaction durable before it is
 * acknowledged; an in-memory database keeps its value here.
 */
final class SharedDatabase {
  final Config config;
  private final DurableDb durable;
  private final AtomicReference<DbValue> memory;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<Object, Consumer<TxReport>> listeners = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();

  /** An in-memory database. */
  SharedDatabase(Config config, DbValue initial) {
    this.config = config;
    this.durable = null;
    this.memory = new AtomicReference<>(initial);
  }

  /** A stored database. */
  SharedDatabase(Config config, DurableDb durable) {
    this.config = config;
    this.durable = durable;
    this.memory = null;
  }

  DbValue current() {
    return durable != null ? durable.current() : memory.get();
  }

  /** Catches up with commits made by other processes (stored databases). */
  DbValue refresh() {
    return durable != null ? durable.refresh() : memory.get();
  }

  TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
    return commit(before -> Transactor.transact(before, txData, txMeta));
  }

  /** Loads exported datoms with their ids and transactions (see {@link Transactor#load}). */
  TxReport load(java.util.List<datahike.Datom> datoms) {
    return commit(before -> Transactor.load(before, datoms));
  }

  private TxReport commit(java.util.function.Function<DbValue, Transactor.Result> work) {
    DbValue before;
    Transactor.Result r;
    if (durable != null) {
      DurableDb.Committed c = durable.commit(work);
      before = c.before();
      r = c.result();
    } else {
      writeLock.lock();
      try {
        before = memory.get();
        r = work.apply(before);
        memory.set(r.dbAfter());
      } finally {
        writeLock.unlock();
      }
    }
    TxReport report =
        new TxReport(
            Database.wrap(before),
            Database.wrap(r.dbAfter()),
            r.txData(),
            Collections.unmodifiableMap(r.tempids()),
            r.txMeta());
    for (Consumer<TxReport> l : listeners.values()) {
      try {
        l.accept(report);
      } catch (RuntimeException e) {
        // A failing listener must not fail the committed transaction.
        org.slf4j.LoggerFactory.getLogger(SharedDatabase.class).warn("listener failed", e);
      }
    }
    return report;
  }

  void listen(Object key, Consumer<TxReport> l) {
    listeners.put(key, l);
  }

  boolean unlisten(Object key) {
    return listeners.remove(key) != null;
  }

  long gcStorage(Date removeBefore) {
    return durable == null ? 0 : durable.gcStorage(removeBefore);
  }

  /** Writes pending index nodes now (stored databases). */
  void sync() {
    if (durable != null) durable.sync();
  }

  /** The group-commit figures of a stored database: {@code [syncs, transactions]}. */
  long[] commitStats() {
    return durable == null ? new long[] {0, 0, 0, 0} : durable.commitStats();
  }

  void acquire() {
    connections.incrementAndGet();
  }

  /** Drops one connection; true when it was the last. */
  boolean release() {
    return connections.decrementAndGet() <= 0;
  }

  void close() {
    listeners.clear();
    if (durable != null) durable.close();
  }
}
