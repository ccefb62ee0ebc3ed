package datahike.server.client;

import datahike.Config;
import datahike.DatahikeException;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.spi.ConnectionBackend;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the two client connections ({@code :remote-peer}, {@link RemoteConnection}, and {@code
 * :writer}, {@link WriterConnection}) share: a server commits their transactions. So there is
 * nothing to sync here (the server answers once a transaction is durable), no local commit
 * statistics, no listeners (Java code runs in the process that commits), and garbage collection is
 * a request; the requests name the database by its config without the client's own keys.
 */
abstract class ServerCommittedConnection implements ConnectionBackend {
  private final Config config;

  /** The client of the server that commits. */
  final RemoteClient server;

  /** How requests name the database: {@code {:config {...}}}, without the remote keys. */
  final Map<Keyword, Object> target;

  ServerCommittedConnection(Config config, RemoteClient server) {
    this.config = config;
    this.server = server;
    Map<Keyword, Object> t = new LinkedHashMap<>();
    t.put(Keyword.of("config"), RemotePeer.stripped(config));
    this.target = t;
  }

  @Override
  public final Config config() {
    return config;
  }

  /** Nothing to do here: the server acknowledges a transaction once it is durable. */
  @Override
  public final void sync() {}

  /** No commits happen in this process: all zero. */
  @Override
  public final long[] commitStats() {
    return new long[] {0, 0, 0, 0};
  }

  @Override
  public final void listen(Object key, Consumer<TxReport> listener) {
    throw listenUnsupported("listen");
  }

  @Override
  public final boolean unlisten(Object key) {
    throw listenUnsupported("unlisten");
  }

  @Override
  public final long gcStorage(Date removeBefore) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", target);
    args.put("remove-before", removeBefore);
    return ((Number) server.call(Operation.GC_STORAGE, args)).longValue();
  }

  /** The arguments of a transact request. */
  final Map<String, Object> txArgs(Object txData, Map<Keyword, Object> txMeta) {
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

  /** The arguments of a load-entities request. */
  final Map<String, Object> loadArgs(Object entities) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("conn", target);
    args.put("entities", entities);
    return args;
  }

  private static DatahikeException listenUnsupported(String operation) {
    return DatahikeException.of(
        "remote/unsupported",
        operation
            + " is not available on a remote connection: listeners are Java code, called by the"
            + " process that commits",
        "operation",
        operation);
  }
}
