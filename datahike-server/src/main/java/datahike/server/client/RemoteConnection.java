package datahike.server.client;

import datahike.Config;
import datahike.DatahikeException;
import datahike.api.Operation;
import datahike.edn.Keyword;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A connection to a database on a Datahike server: {@link datahike.Connection}'s methods, each call
 * one request. Obtain one from {@link RemoteDatahike#connect}. Thread safe; closing it only stops
 * its use (the server keeps the database open).
 */
public final class RemoteConnection implements AutoCloseable {
  private final Config config;
  private final RemoteClient client;
  private final Map<Keyword, Object> target;
  private volatile boolean closed;

  RemoteConnection(Config config, RemoteClient client) {
    this.config = config;
    this.client = client;
    Map<Keyword, Object> t = new LinkedHashMap<>();
    t.put(Keyword.of("config"), RemotePeer.stripped(config));
    this.target = t;
  }

  /** The configuration this connection was opened with. */
  public Config config() {
    return config;
  }

  /**
   * The current database value. No request: the value is pinned to the server's current value by
   * its first read.
   */
  public RemoteDatabase db() {
    check();
    return RemoteDatabase.current(client, target);
  }

  /** Transacts {@code txData} (EDN string or Java data); returns when the server committed it. */
  public RemoteTxReport transact(Object txData) {
    return transact(txData, null);
  }

  /** As {@link #transact(Object)}, with transaction metadata. */
  public RemoteTxReport transact(Object txData, Map<Keyword, Object> txMeta) {
    check();
    return RemoteTxReport.of(client, client.call(Operation.TRANSACT, txArgs(txData, txMeta)));
  }

  /** Transacts without blocking; the future completes with the report or the error. */
  public CompletableFuture<RemoteTxReport> transactAsync(Object txData) {
    check();
    return client
        .callAsync(Operation.TRANSACT, txArgs(txData, null))
        .thenApply(a -> RemoteTxReport.of(client, a));
  }

  /**
   * Runs a query on this connection's server, as {@link datahike.Datahike#q} does locally; needed
   * when no input is a {@link RemoteDatabase} (a query over collections only). Databases among
   * {@code inputs} are RemoteDatabases.
   */
  @SuppressWarnings("unchecked")
  public <T> T q(Object query, Object... inputs) {
    check();
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("query", query);
    args.put("inputs", java.util.Arrays.asList(inputs));
    return (T) client.call(Operation.Q, args);
  }

  /** See {@link datahike.Datahike#loadEntities}. */
  public RemoteTxReport loadEntities(Object entities) {
    check();
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", connRef());
    args.put("entities", entities);
    return RemoteTxReport.of(client, client.call(Operation.LOAD_ENTITIES, args));
  }

  /** See {@link datahike.Datahike#gcStorage}; returns the number of blobs removed. */
  public long gcStorage(Date removeBefore) {
    check();
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", connRef());
    args.put("remove-before", removeBefore);
    return ((Number) client.call(Operation.GC_STORAGE, args)).longValue();
  }

  /** Not available remotely: listeners are code. Throws {@code :remote/unsupported}. */
  public void listen(Object key, Consumer<?> listener) {
    throw DatahikeException.of(
        "remote/unsupported",
        "listen is not available over a remote connection",
        "operation",
        "listen");
  }

  /** Not available remotely. Throws {@code :remote/unsupported}. */
  public boolean unlisten(Object key) {
    throw DatahikeException.of(
        "remote/unsupported",
        "unlisten is not available over a remote connection",
        "operation",
        "unlisten");
  }

  private Map<String, Object> txArgs(Object txData, Map<Keyword, Object> txMeta) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", connRef());
    Object tx = txData;
    if (txMeta != null) {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(Keyword.of("tx-data"), txData);
      m.put(Keyword.of("tx-meta"), txMeta);
      tx = m;
    }
    args.put("tx-data", tx);
    return args;
  }

  private Object connRef() {
    return target;
  }

  RemoteClient client() {
    return client;
  }

  private void check() {
    if (closed) {
      throw DatahikeException.of("connection/closed", "The connection is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
