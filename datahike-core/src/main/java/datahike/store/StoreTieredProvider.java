package datahike.store;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Provides the tiered backend:
 *
 * <pre>
 * {:backend         :tiered
 *  :frontend-config {:backend :memory :id "cache"}   ; any store: the fast tier
 *  :backend-config  {:backend :file :path "data/db"} ; any store: the durable tier
 *  :write-policy    :write-through                   ; or :write-around
 *  :read-policy     :frontend-first}                 ; or :backend-only
 * </pre>
 *
 * The store exists when its backend does; deleting it deletes both tiers. See {@link StoreTiered}.
 * Internal: public only for {@link java.util.ServiceLoader}.
 */
public final class StoreTieredProvider implements StoreProvider {
  private static final Keyword FRONTEND = Keyword.of("frontend-config");
  private static final Keyword BACKEND = Keyword.of("backend-config");

  /** Called by {@link java.util.ServiceLoader}. */
  public StoreTieredProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("tiered");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    StoreTiered.WritePolicy write =
        choice(config, "write-policy", "write-through", "write-around") == 0
            ? StoreTiered.WritePolicy.WRITE_THROUGH
            : StoreTiered.WritePolicy.WRITE_AROUND;
    StoreTiered.ReadPolicy read =
        choice(config, "read-policy", "frontend-first", "backend-only") == 0
            ? StoreTiered.ReadPolicy.FRONTEND_FIRST
            : StoreTiered.ReadPolicy.BACKEND_ONLY;
    Map<Keyword, Object> frontendConfig = tier(config, FRONTEND);
    Map<Keyword, Object> backendConfig = tier(config, BACKEND);
    Store backend = Stores.open(backendConfig);
    try {
      return new StoreTiered(Stores.open(frontendConfig), backend, write, read);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return Stores.exists(tier(config, BACKEND));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    Map<Keyword, Object> frontendConfig = tier(config, FRONTEND);
    Stores.delete(tier(config, BACKEND));
    Stores.delete(frontendConfig);
  }

  /** The tier configuration under {@code key}, with keys as keywords. */
  private static Map<Keyword, Object> tier(Map<Keyword, Object> config, Keyword key) {
    Object v = config.get(key);
    if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
      throw DatahikeException.of(
          "store/config",
          "store :backend :tiered needs "
              + key
              + " (a store configuration map such as {:backend :file :path \"data/db\"}); got "
              + config,
          "key",
          key,
          "config",
          config);
    }
    Map<Keyword, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object k = e.getKey();
      String name = k instanceof Keyword kw ? kw.fullName() : String.valueOf(k);
      out.put(Keyword.of(name.startsWith(":") ? name.substring(1) : name), e.getValue());
    }
    if (Stores.backendName(out).equals("tiered")) {
      throw DatahikeException.of(
          "store/config", "a tier of a tiered store cannot itself be :tiered", "key", key);
    }
    return out;
  }

  /** The index of {@code config}'s value for {@code key} among {@code options} (0 when absent). */
  private static int choice(Map<Keyword, Object> config, String key, String... options) {
    Object v = config.get(Keyword.of(key));
    if (v == null) {
      return 0;
    }
    String s = v instanceof Keyword k ? k.fullName() : v.toString();
    s = s.startsWith(":") ? s.substring(1) : s;
    for (int i = 0; i < options.length; i++) {
      if (options[i].equals(s)) {
        return i;
      }
    }
    throw DatahikeException.of(
        "store/config",
        ":" + key + " must be :" + String.join(" or :", options) + ", got " + v,
        "key",
        Keyword.of(key));
  }
}
