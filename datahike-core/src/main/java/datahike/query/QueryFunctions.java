package datahike.query;

import datahike.edn.Symbol;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry of user functions and predicates for query clauses, by symbol. Thread-safe; a
 * registered name takes precedence over a built-in of the same name.
 *
 * <pre>{@code
 * QueryFunctions.register(Symbol.of("my/adult?"), args -> ((Long) args[0]) >= 18);
 * // [:find ?e :where [?e :age ?a] [(my/adult? ?a)]]
 * }</pre>
 */
public final class QueryFunctions {
  private static final ConcurrentHashMap<Symbol, QueryFn> REGISTRY = new ConcurrentHashMap<>();

  private QueryFunctions() {}

  /** Registers {@code fn} under {@code name}, replacing any earlier registration. */
  public static void register(Symbol name, QueryFn fn) {
    REGISTRY.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(fn, "fn"));
  }

  /** Removes the registration of {@code name}, if any. */
  public static void unregister(Symbol name) {
    REGISTRY.remove(name);
  }

  /** The function named {@code name}: registered, else built-in, else null. */
  static QueryFn resolve(Symbol name) {
    QueryFn f = REGISTRY.get(name);
    return f != null ? f : BuiltIns.get(name);
  }
}
