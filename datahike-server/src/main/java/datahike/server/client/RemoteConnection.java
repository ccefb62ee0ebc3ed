package datahike.server.client;

import datahike.Config;
import datahike.Database;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection of a {@code :remote-peer} configuration: every call is one request to the server,
 * whose answers keep the codes and shapes of the local engine's. {@link #db()} makes no request: its
 * value is pinned to the server's current one by its first read, or, when this connection
 * transacts first, to the value just before that transaction (so that, as locally, a value taken
 * before a transaction never shows it). Thread safe; closing it only stops its use (the server
 * keeps the database open).
 */
final class RemoteConnection extends ServerCommittedConnection {
  /** The bases of the values {@link #db()} handed out that no read has pinned yet. */
  private final Set<AtomicReference<Long>> unpinned = ConcurrentHashMap.newKeySet();

  RemoteConnection(Config config, RemoteClient client) {
    super(config, client);
  }

  @Override
  public Database db() {
    unpinned.removeIf(b -> b.get() != null);
    AtomicReference<Long> basis = new AtomicReference<>();
    unpinned.add(basis);
    return Database.of(RemoteDatabase.current(server, target, basis));
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
        RemoteDatabase.report(server, server.call(Operation.TRANSACT, txArgs(txData, txMeta))));
  }

  @Override
  public CompletableFuture<TxReport> transactAsync(Object txData) {
    return server
        .callAsync(Operation.TRANSACT, txArgs(txData, null))
        .thenApply(a -> pinBefore(RemoteDatabase.report(server, a)));
  }

  @Override
  public TxReport loadEntities(Object entities) {
    return pinBefore(
        RemoteDatabase.report(server, server.call(Operation.LOAD_ENTITIES, loadArgs(entities))));
  }

  /** Nothing to release: the server keeps the database open. */
  @Override
  public void close() {}
}
