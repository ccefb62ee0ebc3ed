package datahike.server.client;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Datahike's distributed mode: reads are local, from the store this process shares with the server;
 * transactions go to the server named by {@code :writer {:backend :datahike-server :url ... :token
 * ...}}, the database's single writer.
 *
 * <pre>{@code
 * Config cfg = Config.parse("{:store {:backend :file :path \"/shared/db\"}"
 *     + " :writer {:backend :datahike-server :url \"http://writer:4444\" :token \"secret\"}}");
 * try (WriterConnection conn = WriterConnection.connect(cfg)) {
 *   TxReport r = conn.transact("[{:name \"Alice\"}]");   // committed by the server
 *   Database db = conn.db();                             // read locally, includes r.tx()
 * }
 * }</pre>
 *
 * After the server commits, {@link #transact} waits until the local connection sees the
 * transaction, so that a read after a write sees it; the report's values are local ones. The local
 * side needs the core to pick up commits made by another process on the shared store (today the
 * in-memory store shares them within one JVM).
 */
public final class WriterConnection implements AutoCloseable {
  private static final Keyword CURRENT_TX = Keyword.of("db/current-tx");

  private final Config config;
  private final Connection local;
  private final RemoteClient writer;
  private final Map<Keyword, Object> target;

  private WriterConnection(Config config, Connection local, RemoteClient writer) {
    this.config = config;
    this.local = local;
    this.writer = writer;
    Map<Keyword, Object> t = new LinkedHashMap<>();
    t.put(Keyword.of("config"), RemotePeer.stripped(config));
    this.target = t;
  }

  /** Connects: the local database for reading, the {@code :writer} server for writing. */
  public static WriterConnection connect(Config cfg) {
    RemoteClient writer = new RemoteClient(RemotePeer.of(cfg, RemotePeer.WRITER));
    return new WriterConnection(cfg, Datahike.connect(cfg), writer);
  }

  /** The configuration. */
  public Config config() {
    return config;
  }

  /** The current local value. Never blocks, never calls the server. */
  public Database db() {
    return local.db();
  }

  /** Sends the transaction to the writer; returns once it is committed and visible locally. */
  public TxReport transact(Object txData) {
    return transact(txData, null);
  }

  /** As {@link #transact(Object)}, with transaction metadata. */
  public TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
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
    Database before = local.db();
    RemoteTxReport r = RemoteTxReport.of(writer, writer.call(Operation.TRANSACT, args));
    long t = r.tempids().get(CURRENT_TX);
    Database after = await(t);
    Long beforeT = r.dbBefore().describedMaxTx();
    Database dbBefore =
        beforeT == null || before.maxTx() == beforeT || !config.keepHistory()
            ? before
            : after.asOf(beforeT);
    Database dbAfter = after.maxTx() == t || !config.keepHistory() ? after : after.asOf(t);
    return new TxReport(
        dbBefore, dbAfter, java.util.List.<Datom>copyOf(r.txData()), r.tempids(), r.txMeta());
  }

  /** The local value once it includes transaction {@code t}; {@code :writer/sync-timeout} else. */
  private Database await(long t) {
    long deadline = System.nanoTime() + writer.peer.timeout().toNanos();
    long sleepMicros = 50;
    while (true) {
      Database db = local.db();
      if (db.maxTx() >= t) return db;
      if (System.nanoTime() > deadline) {
        throw DatahikeException.of(
            "writer/sync-timeout",
            "The writer committed transaction "
                + t
                + " but the local store has not shown it "
                + "(local max-tx "
                + db.maxTx()
                + ")",
            "tx",
            t);
      }
      try {
        Thread.sleep(sleepMicros / 1000, (int) (sleepMicros % 1000) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DatahikeException.of("writer/interrupted", "Interrupted waiting for tx " + t, e);
      }
      sleepMicros = Math.min(sleepMicros * 2, 20_000);
    }
  }

  /** Releases the local connection. */
  @Override
  public void close() {
    local.close();
  }
}
