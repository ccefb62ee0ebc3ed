package datahike.query;

import datahike.edn.Symbol;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry of custom aggregates for {@code :find}, by symbol. Thread-safe; a registered name
 * takes precedence over a built-in aggregate of the same name.
 */
public final class Aggregates {
  private static final ConcurrentHashMap<Symbol, AggregateFn> REGISTRY = new ConcurrentHashMap<>();

  private Aggregates() {}

  /** Registers {@code fn} under {@code name}, replacing any earlier registration. */
  public static void register(Symbol name, AggregateFn fn) {
    REGISTRY.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(fn, "fn"));
  }

  /** Removes the registration of {@code name}, if any. */
  public static void unregister(Symbol name) {
    REGISTRY.remove(name);
  }

  /** The aggregate named {@code name}: registered, else built-in, else null. */
  static AggregateFn resolve(Symbol name) {
    AggregateFn f = REGISTRY.get(name);
    return f != null ? f : BuiltInAggregates.get(name);
  }
}
