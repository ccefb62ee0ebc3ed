package datahike.store;

import datahike.edn.Keyword;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Provides the file backend, {@code {:backend :file :path "data/db"}}, with optional {@code
 * :log-segment-bytes} (default 64 MiB). Internal: public only for {@link java.util.ServiceLoader}.
 */
public final class StoreFileProvider implements StoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public StoreFileProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("file");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    long seg = Stores.optionalLong(config, "log-segment-bytes", FileLog.DEFAULT_SEGMENT_BYTES);
    return StoreFile.open(path(config), Math.max(1024, seg));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return StoreFile.exists(path(config));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    if (exists(config)) {
      StoreFile.open(path(config), FileLog.DEFAULT_SEGMENT_BYTES).deleteAll();
    }
  }

  private static Path path(Map<Keyword, Object> config) {
    return Path.of(Stores.requireString(config, "path"));
  }
}
