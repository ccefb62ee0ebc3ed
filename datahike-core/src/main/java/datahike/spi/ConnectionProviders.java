package datahike.spi;

import datahike.Config;
import datahike.DatahikeException;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Decides who serves a configuration: the local engine (no {@code :remote-peer}, no {@code
 * :writer}) or the {@link ConnectionProvider} named by their {@code :backend}. Providers are found
 * through {@link ServiceLoader}, first with the thread's context class loader, then with this
 * class's, like the store backends. Internal to core's facade.
 */
public final class ConnectionProviders {
  private static final Keyword BACKEND = Keyword.of("backend");

  private ConnectionProviders() {}

  /**
   * Who serves a configuration.
   *
   * @param provider the provider
   * @param mode the key that named it
   */
  public record Route(ConnectionProvider provider, ConnectionProvider.Mode mode) {}

  /**
   * The provider serving {@code cfg}, or null when the local engine does. Fails with {@code
   * :remote/config-invalid} for a malformed or doubled key, and {@code :remote/unknown-backend}
   * when no provider on the class path answers to the {@code :backend}.
   */
  public static Route route(Config cfg) {
    Map<Keyword, Object> m = cfg.toMap();
    ConnectionProvider.Mode mode = null;
    for (ConnectionProvider.Mode candidate : ConnectionProvider.Mode.values()) {
      if (m.get(Keyword.of(candidate.key())) == null) continue;
      if (mode != null) {
        throw DatahikeException.of(
            "remote/config-invalid",
            "A configuration takes :remote-peer or :writer, not both",
            "keys",
            List.of(Keyword.of(mode.key()), Keyword.of(candidate.key())));
      }
      mode = candidate;
    }
    if (mode == null) return null;
    Object spec = m.get(Keyword.of(mode.key()));
    Object b = spec instanceof Map<?, ?> sm ? sm.get(BACKEND) : null;
    String name =
        b instanceof Keyword k ? k.fullName() : b instanceof String s ? s.replaceFirst("^:", "") : null;
    if (name == null || name.isEmpty()) {
      throw DatahikeException.of(
          "remote/config-invalid",
          ":"
              + mode.key()
              + " must be a map with a :backend, e.g. {:backend :datahike-server :url"
              + " \"http://host:4444\"}; got "
              + EdnPrinter.print(redacted(spec)),
          "key",
          Keyword.of(mode.key()));
    }
    List<ConnectionProvider> all = providers();
    for (ConnectionProvider p : all) {
      if (p.backends().contains(name)) return new Route(p, mode);
    }
    TreeSet<String> known = new TreeSet<>();
    for (ConnectionProvider p : all) known.addAll(p.backends());
    throw DatahikeException.of(
        "remote/unknown-backend",
        "No connection provider for :"
            + mode.key()
            + " :backend :"
            + name
            + " on the class path (known: "
            + known
            + "); the :datahike-server provider is in module datahike-server",
        "backend",
        Keyword.of(name),
        "known",
        List.copyOf(known));
  }

  /** {@code spec} without credentials, for messages. */
  private static Object redacted(Object spec) {
    if (!(spec instanceof Map<?, ?> sm)) return spec;
    Map<Object, Object> r = new LinkedHashMap<>(sm);
    if (r.containsKey(Keyword.of("token"))) r.put(Keyword.of("token"), "<redacted>");
    return r;
  }

  private static List<ConnectionProvider> providers() {
    List<ConnectionProvider> out = new ArrayList<>();
    ClassLoader ctx = Thread.currentThread().getContextClassLoader();
    if (ctx != null) ServiceLoader.load(ConnectionProvider.class, ctx).forEach(out::add);
    ClassLoader own = ConnectionProviders.class.getClassLoader();
    if (own != ctx) {
      for (ConnectionProvider p : ServiceLoader.load(ConnectionProvider.class, own)) {
        boolean seen = false;
        for (ConnectionProvider q : out) seen |= q.getClass() == p.getClass();
        if (!seen) out.add(p);
      }
    }
    return out;
  }
}
