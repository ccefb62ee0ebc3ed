package datahike;

import datahike.edn.Keyword;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A connection to one database. {@link #db()} gives the current value without blocking; {@link
 * #transact} applies a transaction and returns when it is committed. Connections to the same
 * database share its state; writers are serialized. Close it (or use try-with-resources) when
 * done.
 */
public final class Connection implements AutoCloseable {
  private final SharedDatabase shared;
  private volatile boolean closed;

  Connection(SharedDatabase shared) {
    this.shared = shared;
  }

  /** The current database value. Never blocks. */
  public Database db() {
    check();
    return Database.wrap(shared.current());
  }

  /**
   * Catches up with transactions committed by other processes on the same stored database and
   * returns the new current value (in-memory databases: same as {@link #db()}).
   */
  public Database refresh() {
    check();
    return Database.wrap(shared.refresh());
  }

  /** Writes the indices of a stored database now instead of at the next periodic flush. */
  public void sync() {
    check();
    shared.sync();
  }

  /**
   * Group-commit figures of a stored database since it was opened: {@code [syncs, transactions]}.
   */
  public long[] commitStats() {
    return shared.commitStats();
  }

  /** The configuration this connection was opened with. */
  public Config config() {
    return shared.config;
  }

  /**
   * Transacts {@code txData}: an EDN string such as {@code "[{:name \"Alice\"}]"} or Java data (a
   * List of Maps, operation Lists and Datoms). Returns when committed; throws DatahikeException
   * (and changes nothing) when the transaction is rejected.
   */
  public TxReport transact(Object txData) {
    return transact(txData, null);
  }

  /** As {@link #transact(Object)}, with transaction metadata asserted on the transaction entity. */
  public TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
    check();
    return shared.transact(Datahike.txForm(txData), txMeta);
  }

  /**
   * Loads exported data: a list of {@link Datom}s (or {@code [e a v tx added]} lists, attributes
   * as keywords) is applied with its own entity and transaction ids; anything else is transacted
   * as ordinary transaction data.
   */
  public TxReport loadEntities(Object entities) {
    check();
    Object form = Datahike.txForm(entities);
    java.util.List<Datom> datoms = ExportFormat.asDatoms(form);
    return datoms != null ? shared.load(datoms) : shared.transact(form, null);
  }

  /** Transacts on another thread; the future completes with the report or the error. */
  public CompletableFuture<TxReport> transactAsync(Object txData) {
    return CompletableFuture.supplyAsync(() -> transact(txData));
  }

  /** Calls {@code listener} with the report of every later transaction, until unlistened. */
  public void listen(Object key, Consumer<TxReport> listener) {
    shared.listen(key, listener);
  }

  /** Removes a listener; true when there was one. */
  public boolean unlisten(Object key) {
    return shared.unlisten(key);
  }

  /** See {@link Datahike#gcStorage}. */
  public long gcStorage(java.util.Date removeBefore) {
    check();
    return shared.gcStorage(removeBefore);
  }

  private void check() {
    if (closed) {
      throw DatahikeException.of("connection/closed", "The connection is closed", "config", shared.config.toMap());
    }
  }

  /** Releases the connection; the last connection of a stored database closes it. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    DatabaseRegistry.close(shared.config, shared);
  }
}
