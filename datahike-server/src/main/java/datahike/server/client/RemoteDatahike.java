package datahike.server.client;

import datahike.Config;
import datahike.DatahikeException;
import datahike.api.Operation;
import datahike.edn.Keyword;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the remote client, mirroring {@link datahike.Datahike} for configurations with
 * {@code :remote-peer {:backend :datahike-server :url ... :token ...}} (database administration
 * also accepts {@code :writer} instead):
 *
 * <pre>{@code
 * Config cfg = Config.parse("{:store {:backend :memory :id \"people\"}"
 *     + " :remote-peer {:backend :datahike-server :url \"http://127.0.0.1:4444\""
 *     + " :token \"secret\"}}");
 * try (RemoteConnection conn = RemoteDatahike.connect(cfg)) {
 *   conn.transact("[{:name \"Alice\"}]");
 *   Set<List<Object>> rows = RemoteDatahike.q("[:find ?n :where [_ :name ?n]]", conn.db());
 * }
 * }</pre>
 */
public final class RemoteDatahike {
  private RemoteDatahike() {}

  /** Connects to an existing database on the server; {@code :db/missing} when there is none. */
  public static RemoteConnection connect(Config cfg) {
    RemoteClient client = new RemoteClient(RemotePeer.of(cfg, RemotePeer.REMOTE_PEER));
    if (!Boolean.TRUE.equals(client.call(Operation.DATABASE_EXISTS, configArgs(cfg)))) {
      throw DatahikeException.of(
          "db/missing",
          "Database does not exist on the server: "
              + cfg.store()
              + ". Create it first with createDatabase.",
          "config",
          RemotePeer.stripped(cfg));
    }
    return new RemoteConnection(cfg, client);
  }

  /** Creates the database on the server (which needs {@code :allow-create true}). */
  public static void createDatabase(Config cfg) {
    client(cfg).call(Operation.CREATE_DATABASE, configArgs(cfg));
  }

  /** Deletes the database on the server (which needs {@code :allow-create true}). */
  public static void deleteDatabase(Config cfg) {
    client(cfg).call(Operation.DELETE_DATABASE, configArgs(cfg));
  }

  /** True when the database exists on the server. */
  public static boolean databaseExists(Config cfg) {
    return Boolean.TRUE.equals(client(cfg).call(Operation.DATABASE_EXISTS, configArgs(cfg)));
  }

  /**
   * Runs a query on the server of its {@link RemoteDatabase} inputs (at least one), as {@link
   * datahike.Datahike#q} does locally; the map form {@code {:query q :args [...] :offset n :limit n
   * :timeout ms}} works too.
   */
  @SuppressWarnings("unchecked")
  public static <T> T q(Object query, Object... inputs) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("query", query);
    List<Object> in = Arrays.asList(inputs);
    if (!in.isEmpty()) args.put("inputs", in);
    return (T) clientOf(query, in).call(Operation.Q, args);
  }

  /** Runs a query and returns {@code {:ret result :query-stats [...]}}, as Datahike does. */
  @SuppressWarnings("unchecked")
  public static Map<Keyword, Object> queryStats(Object query, Object... inputs) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("query", query);
    List<Object> in = Arrays.asList(inputs);
    args.put("inputs", in);
    return (Map<Keyword, Object>) clientOf(query, in).call(Operation.QUERY_STATS, args);
  }

  /** Releases a connection (same as {@link RemoteConnection#close()}). */
  public static void release(RemoteConnection conn) {
    conn.close();
  }

  private static RemoteClient clientOf(Object query, List<Object> inputs) {
    for (Object o : inputs) if (o instanceof RemoteDatabase db) return db.client();
    if (query instanceof Map<?, ?> m && m.get(Keyword.of("args")) instanceof List<?> l) {
      for (Object o : l) if (o instanceof RemoteDatabase db) return db.client();
    }
    throw DatahikeException.of(
        "remote/no-database",
        "A remote query needs a RemoteDatabase among its inputs to know its server");
  }

  private static RemoteClient client(Config cfg) {
    Keyword key =
        cfg.toMap().containsKey(RemotePeer.REMOTE_PEER)
            ? RemotePeer.REMOTE_PEER
            : RemotePeer.WRITER;
    return new RemoteClient(RemotePeer.of(cfg, key));
  }

  private static Map<String, Object> configArgs(Config cfg) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("config", RemotePeer.stripped(cfg));
    return args;
  }
}
