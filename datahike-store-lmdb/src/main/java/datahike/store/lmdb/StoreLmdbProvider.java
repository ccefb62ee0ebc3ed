package datahike.store.lmdb;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.StoreProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Provides the LMDB backend, {@code {:backend :lmdb :path "data/db"}}, with optional {@code
 * :map-size} (initial LMDB map size in bytes, default 64 GiB; the file is sparse and the map
 * doubles when full). Internal: public only for {@link java.util.ServiceLoader}.
 */
public final class StoreLmdbProvider implements StoreProvider {
  /** Default initial map size: 64 GiB of address space, allocated on disk only as written. */
  static final long DEFAULT_MAP_SIZE = 64L << 30;

  private static final Keyword PATH = Keyword.of("path");
  private static final Keyword MAP_SIZE = Keyword.of("map-size");

  /** Called by {@link java.util.ServiceLoader}. */
  public StoreLmdbProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("lmdb");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    return StoreLmdb.open(path(config), mapSize(config));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return StoreLmdb.exists(path(config));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    if (exists(config)) {
      StoreLmdb.open(path(config), mapSize(config)).deleteAll();
    }
  }

  static Path path(Map<Keyword, Object> config) {
    Object v = config.get(PATH);
    if (v == null || v.toString().isEmpty()) {
      throw DatahikeException.of(
          "store/config",
          "store :backend :lmdb needs :path, e.g. {:backend :lmdb :path \"data/db\"}; got "
              + config,
          "key",
          PATH,
          "config",
          config);
    }
    return Path.of(v.toString());
  }

  static long mapSize(Map<Keyword, Object> config) {
    Object v = config.get(MAP_SIZE);
    if (v == null) {
      return DEFAULT_MAP_SIZE;
    }
    long n;
    try {
      n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString());
    } catch (NumberFormatException e) {
      throw DatahikeException.of(
          "store/config", ":map-size must be a number of bytes, got " + v, "key", MAP_SIZE, e);
    }
    if (n < 1 << 20) {
      throw DatahikeException.of(
          "store/config", ":map-size must be at least 1 MiB, got " + n, "key", MAP_SIZE);
    }
    return n;
  }
}
