package datahike.spi;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.db.DbValue;
import datahike.durable.DurableDb;
import datahike.edn.Keyword;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A database read locally while another process writes it: for {@code :writer} providers. A
 * stored database is opened from its store on its own, not shared with the connections of this
 * JVM, so it reads exactly what another process would (the head, then the log) and follows the
 * writer by {@link #refresh()}; it never writes. An in-memory database ({@code :memory}), which
 * only this JVM can hold, is read through the JVM's shared value instead.
 */
public final class LocalReader implements AutoCloseable {
  private final DurableDb durable;
  private final Connection memory;

  private LocalReader(DurableDb durable, Connection memory) {
    this.durable = durable;
    this.memory = memory;
  }

  /**
   * Opens the database {@code cfg} describes ({@code :remote-peer} and {@code :writer} are
   * ignored); {@code :db/missing} when the store holds none, {@code :db/config-mismatch} when it
   * was created with other settings.
   */
  public static LocalReader open(Config cfg) {
    Config local = withoutRemote(cfg);
    String backend = local.backend().name();
    if (backend.equals("memory") || backend.equals("mem")) {
      return new LocalReader(null, Datahike.connect(local));
    }
    DbValue.DbFlags flags =
        new DbValue.DbFlags(local.keepHistory(), local.attributeRefs(), local.schemaOnRead());
    return new LocalReader(DurableDb.open(local.store(), flags, Duration.ZERO), null);
  }

  /** {@code cfg} without {@code :remote-peer} and {@code :writer}: the local database's own. */
  public static Config withoutRemote(Config cfg) {
    Map<Keyword, Object> m = new LinkedHashMap<>(cfg.toMap());
    for (ConnectionProvider.Mode mode : ConnectionProvider.Mode.values()) {
      m.remove(Keyword.of(mode.key()));
    }
    return Config.of(m);
  }

  /** The latest value read. Never blocks. */
  public Database db() {
    return durable != null ? Database.wrap(durable.current()) : memory.db();
  }

  /** Reads what the writer committed since, and returns the new latest value. */
  public Database refresh() {
    return durable != null ? Database.wrap(durable.refresh()) : memory.refresh();
  }

  @Override
  public void close() {
    if (durable != null) durable.close();
    if (memory != null) memory.close();
  }
}
