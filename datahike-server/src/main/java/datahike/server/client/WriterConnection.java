package datahike.server.client;

import datahike.Config;
import datahike.Database;
import datahike.DatahikeException;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.spi.LocalReader;
import java.util.Map;

/**
 * The connection of a {@code :writer} configuration, Datahike's distributed mode: reads are local,
 * from the store this process shares with the server ({@link LocalReader}: opened read-only, as a
 * reader in another process would); transactions go to the server named by {@code :writer
 * {:backend :datahike-server :url ... :token ...}}, the database's single writer.
 *
 * <p>After the server commits, {@link #transact} reads the store until the local value includes the
 * transaction (its max-tx at least the reported one), so that a read after a write sees it; the
 * report's values are local ones. {@code :writer/sync-timeout} when the store does not show it
 * within the request timeout.
 */
final class WriterConnection extends ServerCommittedConnection {
  private static final Keyword CURRENT_TX = Keyword.of("db/current-tx");

  private final LocalReader local;

  WriterConnection(Config config, LocalReader local, RemoteClient writer) {
    super(config, writer);
    this.local = local;
  }

  /** The latest local value. Never blocks, never calls the server. */
  @Override
  public Database db() {
    return local.db();
  }

  /** Reads what the writer committed since (from the store; no request). */
  @Override
  public Database refresh() {
    return local.refresh();
  }

  @Override
  public TxReport transact(Object txData, Map<Keyword, Object> txMeta) {
    Database before = local.db();
    Object answer = server.call(Operation.TRANSACT, txArgs(txData, txMeta));
    return localReport(before, RemoteDatabase.report(server, answer));
  }

  @Override
  public TxReport loadEntities(Object entities) {
    Database before = local.db();
    Object answer = server.call(Operation.LOAD_ENTITIES, loadArgs(entities));
    return localReport(before, RemoteDatabase.report(server, answer));
  }

  /** The server's report with local values, once the local store shows its transaction. */
  private TxReport localReport(Database before, TxReport r) {
    long t = r.tempids().get(CURRENT_TX);
    Database after = await(t);
    long beforeT = r.dbBefore().maxTx();
    Database dbBefore =
        before.maxTx() == beforeT || !config().keepHistory() ? before : after.asOf(beforeT);
    Database dbAfter = after.maxTx() == t || !config().keepHistory() ? after : after.asOf(t);
    return new TxReport(dbBefore, dbAfter, r.txData(), r.tempids(), r.txMeta());
  }

  /** The local value once it includes transaction {@code t}. */
  private Database await(long t) {
    long deadline = System.nanoTime() + server.peer.timeout().toNanos();
    long sleepMicros = 50;
    while (true) {
      Database db = local.refresh();
      if (db.maxTx() >= t) return db;
      if (System.nanoTime() > deadline) {
        throw DatahikeException.of(
            "writer/sync-timeout",
            "The writer committed transaction "
                + t
                + " but the local store has not shown it (local max-tx "
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

  @Override
  public void close() {
    local.close();
  }
}
