package datahike;

import datahike.db.DbValue;
import datahike.edn.Keyword;
import datahike.tx.Transactor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One open database shared by its connections: the current value (swapped atomically after each
 * transaction, so readers never wait), the lock that serializes writers, and the listeners.
 */
final class SharedDatabase {
  final Config config;
  private final AtomicReference<DbValue> current;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<Object, Consumer<TxReport>> listeners = new ConcurrentHashMap<>();

  SharedDatabase(Config config, DbValue initial) {
    this.config = config;
    this.current = new AtomicReference<>(initial);
  }

  DbValue current() {
    return current.get();
  }

  TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
    TxReport report;
    writeLock.lock();
    try {
      DbValue before = current.get();
      Transactor.Result r = Transactor.transact(before, txData, txMeta);
      current.set(r.dbAfter());
      report =
          new TxReport(
              Database.wrap(before),
              Database.wrap(r.dbAfter()),
              r.txData(),
              java.util.Collections.unmodifiableMap(r.tempids()),
              r.txMeta());
    } finally {
      writeLock.unlock();
    }
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

  long gcStorage(java.util.Date removeBefore) {
    return 0;
  }

  void close() {
    listeners.clear();
  }
}
