package datahike.store;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Provides the memory backend, {@code {:backend :memory :id "x"}} (also {@code :mem}): stores with
 * the same {@code :id} in one JVM share their data until deleted. Internal: public only for {@link
 * java.util.ServiceLoader}.
 */
public final class StoreMemoryProvider implements StoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public StoreMemoryProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("memory", "mem");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    String id = Stores.requireString(config, "id");
    return new StoreMemory(StoreMemory.REGISTRY.computeIfAbsent(id, StoreMemory.Data::new));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return StoreMemory.REGISTRY.containsKey(Stores.requireString(config, "id"));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    StoreMemory.Data d = StoreMemory.REGISTRY.get(Stores.requireString(config, "id"));
    if (d == null) {
      return;
    }
    if (!d.writer.tryAcquire()) {
      throw DatahikeException.of(
          "store/locked",
          "memory store " + d.id + " has a writer; close it before deleting the store",
          "id",
          d.id,
          "waited-ms",
          Duration.ZERO.toMillis());
    }
    d.deleted = true;
    StoreMemory.REGISTRY.remove(d.id, d);
  }
}
