package datahike.server.client;

import datahike.Config;
import datahike.Database;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.spi.ConnectionBackend;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The connection of a {@code :remote-peer} configuration: every call is one request to the server,
 * whose answers keep the codes and shapes of the local engine's. {@link #db()} makes no request: its
 * value is pinned to the server's current one by its first read, or, when this connection
 * transacts first, to the value just before that transaction (so that, as locally, a value taken
 * before a transaction never shows it). Thread safe; closing it only stops its use (the server
 * keeps the database open).
 */
final class RemoteConnection implements ConnectionBackend {
  private final Config config;
  private final RemoteClient client;
  private final Map<Keyword, Object> target;

  /** The bases of the values {@link #db()} handed out that no read has pinned yet. */
  private final Set<AtomicReference<Long>> unpinned = ConcurrentHashMap.newKeySet();

  RemoteConnection(Config config, RemoteClient client) {
    this.config = config;
    this.client = client;
    this.target = target(config);
  }

  /** How requests name the database: {@code {:config {...}}}, without the remote keys. */
  static Map<Keyword, Object> target(Config config) {
    Map<Keyword, Object> t = new LinkedHashMap<>();
    t.put(Keyword.of("config"), RemotePeer.stripped(config));
    return t;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Database db() {
    unpinned.removeIf(b -> b.get() != null);
    AtomicReference<Long> basis = new AtomicReference<>();
    unpinned.add(basis);
    return Database.of(RemoteDatabase.current(client, target, basis));
  }

  /** Pins the values handed out before this connection's transaction to the value before it. */
  private TxReport pinBefore(TxReport r) {
    long before = r.dbBefore().maxTx();
    for (AtomicReference<Long> b : unpinned) b.compareAndSet(null, before);
    unpinned.removeIf(b -> b.get() != null);
    return r;
  }

  /** The server's current value (pinned by its first read), as {@link #db()}. */
  @Override
  public Database refresh() {
    return db();
  }

  @Override
  public TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
    return pinBefore(
        RemoteDatabase.report(client, client.call(Operation.TRANSACT, txArgs(target, txData, txMeta))));
  }

  @Override
  public CompletableFuture<TxReport> transactAsync(Object txData) {
    return client
        .callAsync(Operation.TRANSACT, txArgs(target, txData, null))
        .thenApply(a -> pinBefore(RemoteDatabase.report(client, a)));
  }

  @Override
  public TxReport loadEntities(Object entities) {
    return pinBefore(
        RemoteDatabase.report(client, client.call(Operation.LOAD_ENTITIES, loadArgs(target, entities))));
  }

  /** Nothing to do here: the server acknowledges a transaction once it is durable. */
  @Override
  public void sync() {}

  @Override
  public long[] commitStats() {
    return new long[] {0, 0};
  }

  @Override
  public void listen(Object key, Consumer<TxReport> listener) {
    throw listenUnsupported("listen");
  }

  @Override
  public boolean unlisten(Object key) {
    throw listenUnsupported("unlisten");
  }

  @Override
  public long gcStorage(Date removeBefore) {
    return gcStorage(client, target, removeBefore);
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------------ shared with :writer

  static Map<String, Object> txArgs(Map<Keyword, Object> target, Object txData, Map<Keyword, Object> txMeta) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", target);
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

  static Map<String, Object> loadArgs(Map<Keyword, Object> target, Object entities) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", target);
    args.put("entities", entities);
    return args;
  }

  static long gcStorage(RemoteClient client, Map<Keyword, Object> target, Date removeBefore) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", target);
    args.put("remove-before", removeBefore);
    return ((Number) client.call(Operation.GC_STORAGE, args)).longValue();
  }

  static datahike.DatahikeException listenUnsupported(String operation) {
    return datahike.DatahikeException.of(
        "remote/unsupported",
        operation
            + " is not available on a remote connection: listeners are Java code, called by the"
            + " process that commits",
        "operation",
        operation);
  }
}
