package datahike.tx;

import datahike.Database;
import datahike.TxFunction;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.function.BiPredicate;

/** Registration of transaction functions and entity predicates from Java. Internal. */
public final class Registry {
  private Registry() {}

  public static void registerTxFunction(Keyword name, TxFunction fn) {
    TxOps.FUNCTIONS.put(name, fn);
  }

  public static void registerPredicate(Symbol name, BiPredicate<Database, Long> pred) {
    TxOps.PREDICATES.put(name, pred);
  }
}
