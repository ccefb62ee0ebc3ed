package datahike.store;

import datahike.edn.Keyword;
import java.util.Map;
import java.util.Set;

/**
 * A storage backend, found by {@link Stores} through {@link java.util.ServiceLoader} (list the
 * implementation in {@code META-INF/services/datahike.store.StoreProvider}). A provider answers to
 * one or more {@code :backend} names and turns a store configuration map, such as {@code {:backend
 * :file :path "data/db"}}, into a {@link Store}.
 *
 * <p>Internal: not part of the public API. Implementations need a public no-argument constructor.
 */
public interface StoreProvider {

  /** The {@code :backend} names this provider answers to, without colon: {@code "file"}. */
  Set<String> backends();

  /** Opens the store {@code config} names, creating it empty when it does not exist. */
  Store open(Map<Keyword, Object> config);

  /** True when the store {@code config} names has been created and not deleted. */
  boolean exists(Map<Keyword, Object> config);

  /**
   * Deletes the store {@code config} names, if it exists. Fails with {@code :store/locked} when a
   * writer holds it.
   */
  void delete(Map<Keyword, Object> config);
}
