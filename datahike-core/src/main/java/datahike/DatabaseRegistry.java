package datahike;

import datahike.db.DbBuilder;
import datahike.db.DbValue;
import datahike.durable.DurableDb;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The databases open in this JVM, by store key. Every connection to one database shares one {@link
 * SharedDatabase}. In-memory databases ({@code :memory}, {@code :mem}) live here for as long as
 * they are not deleted; stored ones (every other backend, found through the Store SPI) are opened
 * on the first connection and closed with the last.
 */
final class DatabaseRegistry {
  private DatabaseRegistry() {}

  private static final Map<String, SharedDatabase> MEMORY = new ConcurrentHashMap<>();
  private static final Map<String, SharedDatabase> OPEN = new ConcurrentHashMap<>();

  static boolean inMemory(Config cfg) {
    String b = cfg.backend().name();
    return b.equals("memory") || b.equals("mem");
  }

  private static DbValue.DbFlags flags(Config cfg) {
    return new DbValue.DbFlags(cfg.keepHistory(), cfg.attributeRefs(), cfg.schemaOnRead());
  }

  static synchronized void create(Config cfg) {
    String key = cfg.storeKey();
    if (inMemory(cfg)) {
      if (MEMORY.containsKey(key)) {
        throw DatahikeException.of(
            "db/exists", "Database already exists: " + cfg.store(), "config", cfg.toMap());
      }
      SharedDatabase shared = new SharedDatabase(cfg, DbBuilder.empty(flags(cfg), cfg.schema()));
      MEMORY.put(key, shared);
      if (cfg.initialTx() != null) shared.transact(Datahike.txForm(cfg.initialTx()), null);
      return;
    }
    DurableDb.create(cfg.store(), flags(cfg), cfg.schema());
    if (cfg.initialTx() != null) {
      SharedDatabase s = open(cfg);
      try {
        s.transact(Datahike.txForm(cfg.initialTx()), null);
      } finally {
        close(cfg, s);
      }
    }
  }

  static synchronized void delete(Config cfg) {
    String key = cfg.storeKey();
    if (inMemory(cfg)) {
      SharedDatabase s = MEMORY.remove(key);
      if (s != null) s.close();
      return;
    }
    SharedDatabase s = OPEN.remove(key);
    if (s != null) s.close();
    DurableDb.delete(cfg.store());
  }

  static boolean exists(Config cfg) {
    if (inMemory(cfg)) return MEMORY.containsKey(cfg.storeKey());
    return OPEN.containsKey(cfg.storeKey()) || DurableDb.exists(cfg.store());
  }

  static synchronized SharedDatabase open(Config cfg) {
    String key = cfg.storeKey();
    SharedDatabase s;
    if (inMemory(cfg)) {
      s = MEMORY.get(key);
      if (s == null) {
        throw DatahikeException.of(
            "db/missing",
            "Database does not exist: " + cfg.store() + ". Create it first with createDatabase.",
            "config", cfg.toMap());
      }
    } else {
      s = OPEN.get(key);
      if (s == null) {
        DurableDb db = DurableDb.open(cfg.store(), flags(cfg), lockWait(cfg));
        s = new SharedDatabase(cfg, db);
        OPEN.put(key, s);
      }
    }
    s.acquire();
    return s;
  }

  /** Releases one connection; the last one closes a stored database. */
  static synchronized void close(Config cfg, SharedDatabase s) {
    if (s.release() && !inMemory(cfg) && OPEN.remove(cfg.storeKey(), s)) s.close();
  }

  private static Duration lockWait(Config cfg) {
    Object w = cfg.toMap().get(datahike.edn.Keyword.of("writer-lock-wait-ms"));
    return Duration.ofMillis(w instanceof Number n ? n.longValue() : 60_000);
  }
}
