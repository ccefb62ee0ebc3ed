package datahike.pull;

import datahike.edn.Symbol;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The functions a pull pattern may name in {@code :xform}: {@code [:name :xform my.ns/upper]} looks
 * up the symbol {@code my.ns/upper} here when the pattern is parsed. Java callers may also put the
 * {@link Function} itself in the pattern.
 *
 * <p>Patterns are cached once parsed, so registering another function under a symbol affects
 * patterns parsed afterwards only.
 */
public final class PullXforms {
  private static final ConcurrentHashMap<Symbol, Function<Object, Object>> FNS =
      new ConcurrentHashMap<>();

  private PullXforms() {}

  /** Makes {@code fn} available to patterns as {@code :xform name}. */
  public static void register(Symbol name, Function<Object, Object> fn) {
    FNS.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(fn, "fn"));
  }

  /** Removes the function registered under {@code name}, if any. */
  public static void unregister(Symbol name) {
    FNS.remove(name);
  }

  /** The function registered under {@code name}, or null. */
  public static Function<Object, Object> lookup(Symbol name) {
    return FNS.get(name);
  }
}
