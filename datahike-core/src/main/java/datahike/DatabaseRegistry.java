package datahike;

import datahike.db.DbBuilder;
import datahike.db.DbValue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The databases open in this JVM, by store key. Every connection to one database shares one {@link
 * SharedDatabase}: one current value, one writer lock, one set of listeners. In-memory databases
 * live here for as long as they are not deleted.
 */
final class DatabaseRegistry {
  private DatabaseRegistry() {}

  private static final Map<String, SharedDatabase> OPEN = new ConcurrentHashMap<>();

  static synchronized void create(Config cfg) {
    requireSupported(cfg);
    String key = cfg.storeKey();
    if (OPEN.containsKey(key)) {
      throw DatahikeException.of(
          "db/exists", "Database already exists: " + cfg.store(), "config", cfg.toMap());
    }
    DbValue db =
        DbBuilder.empty(
            new DbValue.DbFlags(cfg.keepHistory(), cfg.attributeRefs(), cfg.schemaOnRead()), null);
    SharedDatabase shared = new SharedDatabase(cfg, db);
    OPEN.put(key, shared);
    if (cfg.initialTx() != null) shared.transact(Datahike.txForm(cfg.initialTx()), null);
  }

  static synchronized void delete(Config cfg) {
    SharedDatabase s = OPEN.remove(cfg.storeKey());
    if (s != null) s.close();
  }

  static boolean exists(Config cfg) {
    return OPEN.containsKey(cfg.storeKey());
  }

  static SharedDatabase open(Config cfg) {
    requireSupported(cfg);
    SharedDatabase s = OPEN.get(cfg.storeKey());
    if (s == null) {
      throw DatahikeException.of(
          "db/missing",
          "Database does not exist: " + cfg.store() + ". Create it first with createDatabase.",
          "config", cfg.toMap());
    }
    return s;
  }

  private static void requireSupported(Config cfg) {
    String b = cfg.backend().name();
    if (!b.equals("memory") && !b.equals("mem")) {
      throw DatahikeException.of(
          "store/unsupported-backend",
          "Unsupported store backend " + cfg.backend() + ": this build supports :memory",
          "backend", cfg.backend());
    }
  }
}
