package datahike.durable;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.LogEntry;
import datahike.store.Store;
import datahike.store.StoreMemoryProvider;
import datahike.store.StoreProvider;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory store under the backend name {@code :flaky}, whose blob writes fail while {@link
 * #FAIL_PUTS} is set: index flushes fail, the log goes on. For tests of what a failed flush may
 * leave behind.
 */
public final class FlakyStoreProvider implements StoreProvider {
  /** While true, every {@code putAll} (index nodes) throws {@code :store/io}. */
  static final AtomicBoolean FAIL_PUTS = new AtomicBoolean();

  /** How many {@code putAll} calls failed so far. */
  static final AtomicInteger FAILED_PUTS = new AtomicInteger();

  private final StoreMemoryProvider memory = new StoreMemoryProvider();

  /** Called by {@link java.util.ServiceLoader}. */
  public FlakyStoreProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("flaky");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    return new Flaky(memory.open(config));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return memory.exists(config);
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    memory.delete(config);
  }

  private static final class Flaky implements Store {
    private final Store inner;

    Flaky(Store inner) {
      this.inner = inner;
    }

    @Override
    public byte[] get(String key) {
      return inner.get(key);
    }

    @Override
    public void putAll(Map<String, byte[]> blobs) {
      if (FAIL_PUTS.get()) {
        FAILED_PUTS.incrementAndGet();
        throw DatahikeException.of("store/io", "injected: blob write failed");
      }
      inner.putAll(blobs);
    }

    @Override
    public void delete(Collection<String> keys) {
      inner.delete(keys);
    }

    @Override
    public Iterable<String> list() {
      return inner.list();
    }

    @Override
    public byte[] readHead() {
      return inner.readHead();
    }

    @Override
    public boolean casHead(byte[] expected, byte[] next) {
      return inner.casHead(expected, next);
    }

    @Override
    public long append(List<byte[]> records) {
      return inner.append(records);
    }

    @Override
    public List<LogEntry> readLog(long fromSeq) {
      return inner.readLog(fromSeq);
    }

    @Override
    public void truncateLogBefore(long seq) {
      inner.truncateLogBefore(seq);
    }

    @Override
    public WriterLock lockWriter(Duration wait) {
      return inner.lockWriter(wait);
    }

    @Override
    public void close() {
      inner.close();
    }

    @Override
    public void deleteAll() {
      inner.deleteAll();
    }
  }
}
