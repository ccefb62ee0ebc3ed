package datahike;

import java.util.List;

/**
 * A transaction function, registered by name with {@link Datahike#registerTxFunction}. Inside a
 * transaction, the operation {@code [:my/fn arg1 arg2]} calls it with the database as it stands at
 * that point of the transaction and the arguments; it returns more transaction data (maps or
 * operation lists) to apply in its place. Functions are never sent as code: only registered names
 * are callable, which keeps remote transactions safe.
 */
@FunctionalInterface
public interface TxFunction {
  /** The transaction data that replaces the call. */
  List<?> apply(Database db, List<Object> args);
}
