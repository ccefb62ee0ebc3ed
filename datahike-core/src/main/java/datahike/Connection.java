package datahike;

import datahike.edn.Keyword;
import datahike.spi.ConnectionBackend;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A connection to one database. {@link #db()} gives the current value without blocking; {@link
 * #transact} applies a transaction and returns when it is committed. Connections to the same
 * database share its state; writers are serialized. Close it (or use try-with-resources) when
 * done.
 *
 * <p>A configuration with {@code :remote-peer {:backend :datahike-server :url ... :token ...}}
 * connects to a database on a server instead: every call is a request, with the same results. One
 * with {@code :writer {...}} beside a shared {@code :store} reads locally and sends transactions to
 * the writer (see {@link datahike.spi}). Listeners are local only ({@code :remote/unsupported}).
 */
public final class Connection implements AutoCloseable {
  private final ConnectionBackend backend;
  private volatile boolean closed;

  Connection(ConnectionBackend backend) {
    this.backend = backend;
  }

  /** A connection to a database of the local engine. */
  Connection(SharedDatabase shared) {
    this(new Local(shared));
  }

  /** The current database value. Never blocks. */
  public Database db() {
    check();
    return backend.db();
  }

  /**
   * Catches up with transactions committed by other processes on the same stored database and
   * returns the new current value (in-memory databases: same as {@link #db()}).
   */
  public Database refresh() {
    check();
    return backend.refresh();
  }

  /** Writes the indices of a stored database now instead of at the next periodic flush. */
  public void sync() {
    check();
    backend.sync();
  }

  /**
   * Group-commit figures of a stored database since it was opened: {@code [syncs, transactions,
   * nanoseconds spent appending and syncing, nanoseconds the appender waited for more
   * transactions to share a sync]}; all zero where no log is written in this process.
   */
  public long[] commitStats() {
    return backend.commitStats();
  }

  /** The configuration this connection was opened with. */
  public Config config() {
    return backend.config();
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
    return backend.transact(txData, txMeta);
  }

  /**
   * Loads exported data: a list of {@link Datom}s (or {@code [e a v tx added]} lists, attributes
   * as keywords) is applied with its own entity and transaction ids; anything else is transacted
   * as ordinary transaction data.
   */
  public TxReport loadEntities(Object entities) {
    check();
    return backend.loadEntities(entities);
  }

  /** Transacts on another thread; the future completes with the report or the error. */
  public CompletableFuture<TxReport> transactAsync(Object txData) {
    if (closed) return CompletableFuture.failedFuture(closedError());
    return backend.transactAsync(txData);
  }

  /** Calls {@code listener} with the report of every later transaction, until unlistened. */
  public void listen(Object key, Consumer<TxReport> listener) {
    backend.listen(key, listener);
  }

  /** Removes a listener; true when there was one. */
  public boolean unlisten(Object key) {
    return backend.unlisten(key);
  }

  /** See {@link Datahike#gcStorage}. */
  public long gcStorage(Date removeBefore) {
    check();
    return backend.gcStorage(removeBefore);
  }

  private void check() {
    if (closed) throw closedError();
  }

  private DatahikeException closedError() {
    return DatahikeException.of(
        "connection/closed", "The connection is closed", "config", datahike.spi.LocalReader.withoutRemote(backend.config()).toMap());
  }

  /** Releases the connection; the last connection of a stored database closes it. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    backend.close();
  }

  /** A connection of the local engine: the database shared by this JVM's connections to it. */
  static final class Local implements ConnectionBackend {
    private final SharedDatabase shared;

    Local(SharedDatabase shared) {
      this.shared = shared;
    }

    @Override
    public Config config() {
      return shared.config;
    }

    @Override
    public Database db() {
      return Database.wrap(shared.current());
    }

    @Override
    public Database refresh() {
      return Database.wrap(shared.refresh());
    }

    @Override
    public TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
      return shared.transact(Datahike.txForm(txData), txMeta);
    }

    @Override
    public TxReport loadEntities(Object entities) {
      Object form = Datahike.txForm(entities);
      List<Datom> datoms = ExportFormat.asDatoms(form);
      return datoms != null ? shared.load(datoms) : shared.transact(form, null);
    }

    @Override
    public void sync() {
      shared.sync();
    }

    @Override
    public long[] commitStats() {
      return shared.commitStats();
    }

    @Override
    public void listen(Object key, Consumer<TxReport> listener) {
      shared.listen(key, listener);
    }

    @Override
    public boolean unlisten(Object key) {
      return shared.unlisten(key);
    }

    @Override
    public long gcStorage(Date removeBefore) {
      return shared.gcStorage(removeBefore);
    }

    @Override
    public void close() {
      DatabaseRegistry.close(shared.config, shared);
    }
  }
}
