package datahike.spi;

import datahike.Config;
import datahike.Database;
import datahike.TxReport;
import datahike.edn.Keyword;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a {@link datahike.Connection} delegates to: the local engine's shared database, or a
 * provider's remote connection. The Connection checks that it is open before each call and calls
 * {@link #close()} once. Transaction data and entities arrive as the caller gave them (EDN strings
 * or Java data). Methods have the contracts of the Connection methods of the same name.
 */
public interface ConnectionBackend extends AutoCloseable {
  /** The configuration the connection was opened with. */
  Config config();

  /** The current database value. Should not block on the network. */
  Database db();

  /** Catches up with transactions committed elsewhere and returns the new current value. */
  Database refresh();

  /** Transacts; returns when committed (and, for {@code :writer}, visible in {@link #db()}). */
  TxReport transact(Object txData, Map<Keyword, Object> txMeta);

  /** Transacts without blocking the caller. */
  default CompletableFuture<TxReport> transactAsync(Object txData) {
    return CompletableFuture.supplyAsync(() -> transact(txData, null));
  }

  /** Loads exported datoms (or transacts ordinary transaction data). */
  TxReport loadEntities(Object entities);

  /** Writes pending indices now, where there is anything to write. */
  void sync();

  /** Group-commit figures {@code [syncs, transactions]}; zeros where there are none. */
  long[] commitStats();

  /** Registers a transaction listener. */
  void listen(Object key, Consumer<TxReport> listener);

  /** Removes a listener; true when there was one. */
  boolean unlisten(Object key);

  /** Collects unreachable stored blobs; the number removed. */
  long gcStorage(Date removeBefore);

  /** Releases what the connection holds. Called once. */
  @Override
  void close();
}
