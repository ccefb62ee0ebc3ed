package datahike.store;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The entry point to storage: finds the {@link StoreProvider} for a configuration's {@code
 * :backend} and opens, tests or deletes the store it names. Configurations follow Datahike:
 *
 * <pre>
 * {:backend :memory :id "x"}          ; also :mem; same id in one JVM = same data until deleted
 * {:backend :file :path "data/db"}    ; optional :log-segment-bytes (default 64 MiB)
 * </pre>
 *
 * <p>Providers come from {@link ServiceLoader}, first through the thread's context class loader,
 * then through this class's loader, so backends in other modules plug in by being on the class
 * path. Internal: not part of the public API.
 */
public final class Stores {
  /** {@code :backend}. */
  public static final Keyword BACKEND = Keyword.of("backend");

  private Stores() {}

  /** Opens the store {@code config} names, creating it empty if it does not exist. */
  public static Store open(Map<Keyword, Object> config) {
    return provider(config).open(config);
  }

  /** True when the store {@code config} names exists. */
  public static boolean exists(Map<Keyword, Object> config) {
    return provider(config).exists(config);
  }

  /** Deletes the store {@code config} names, if it exists. */
  public static void delete(Map<Keyword, Object> config) {
    provider(config).delete(config);
  }

  /** The provider for {@code config}'s {@code :backend}. */
  public static StoreProvider provider(Map<Keyword, Object> config) {
    String name = backendName(config);
    List<StoreProvider> all = providers();
    for (StoreProvider p : all) {
      if (p.backends().contains(name)) {
        return p;
      }
    }
    TreeSet<String> known = new TreeSet<>();
    for (StoreProvider p : all) {
      known.addAll(p.backends());
    }
    throw DatahikeException.of(
        "store/unknown-backend",
        "no store backend :" + name + " on the class path; known: " + known,
        "backend",
        Keyword.of(name),
        "known",
        List.copyOf(known));
  }

  /** The {@code :backend} of {@code config} as a name without colon. */
  static String backendName(Map<Keyword, Object> config) {
    Object b = config == null ? null : config.get(BACKEND);
    if (b instanceof Keyword k) {
      return k.fullName();
    }
    if (b instanceof String s && !s.isEmpty()) {
      return s.startsWith(":") ? s.substring(1) : s;
    }
    throw DatahikeException.of(
        "store/config",
        "store configuration needs :backend, e.g. {:backend :file :path \"data/db\"}; got "
            + config,
        "config",
        config);
  }

  /** {@code config}'s value under {@code key} as a string, or an error naming it. */
  static String requireString(Map<Keyword, Object> config, String key) {
    Object v = config.get(Keyword.of(key));
    if (v == null || v.toString().isEmpty()) {
      throw DatahikeException.of(
          "store/config",
          "store :backend " + config.get(BACKEND) + " needs :" + key + "; got " + config,
          "key",
          Keyword.of(key),
          "config",
          config);
    }
    return v.toString();
  }

  /** {@code config}'s value under {@code key} as a long, or {@code dflt} when absent. */
  static long optionalLong(Map<Keyword, Object> config, String key, long dflt) {
    Object v = config.get(Keyword.of(key));
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString());
    } catch (NumberFormatException e) {
      throw DatahikeException.of(
          "store/config", ":" + key + " must be a number, got " + v, "key", Keyword.of(key), e);
    }
  }

  private static List<StoreProvider> providers() {
    List<StoreProvider> out = new ArrayList<>();
    ClassLoader ctx = Thread.currentThread().getContextClassLoader();
    if (ctx != null) {
      ServiceLoader.load(StoreProvider.class, ctx).forEach(out::add);
    }
    if (out.isEmpty()) {
      ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader()).forEach(out::add);
    }
    return out;
  }
}
