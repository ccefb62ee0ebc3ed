package datahike.server;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The databases a server serves: names (from {@code :name} of configured and created databases),
 * one open connection per store, and per store the database values recently handed out, so that a
 * client can keep reading the value it was given ({@code :basis-t}).
 *
 * <p>How a basis resolves: a value the server handed out recently (the last {@link #RECENT} per
 * store) is used as is; the current value when its max-tx is the basis; otherwise, for databases
 * keeping history, the as-of view of the current value at the basis (the same current datoms;
 * {@link DbRef} views apply on top); otherwise {@code :db/basis-unavailable} (410).
 */
final class Databases implements AutoCloseable {
  /** Values kept per store for {@code :basis-t}. */
  static final int RECENT = 64;

  private final Map<String, Config> names = new ConcurrentHashMap<>();
  private final Map<String, Open> open = new ConcurrentHashMap<>();

  /** Store keys of the databases configured or created through this server. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  private final boolean anyDatabase;

  /**
   * @param anyDatabase whether clients may name any existing database by its configuration (servers
   *     with {@code :allow-create true}); otherwise only the databases configured or created
   *     through this server
   */
  Databases(boolean anyDatabase) {
    this.anyDatabase = anyDatabase;
  }

  /** An open database: the server's connection and its recent values by max-tx. */
  static final class Open {
    final Config config;
    final Connection conn;

    @SuppressWarnings("serial")
    private final Map<Long, Database> recent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Database> e) {
            return size() > RECENT;
          }
        };

    Open(Config config, Connection conn) {
      this.config = config;
      this.conn = conn;
    }

    /** Remembers a value handed out. */
    void remember(Database db) {
      if (db.isFiltered() || db.isHistory()) return;
      synchronized (recent) {
        recent.put(db.maxTx(), db);
      }
    }

    /** The current value, remembered. */
    Database current() {
      Database db = conn.db();
      remember(db);
      return db;
    }

    /** The value with max-tx {@code t}; see the class comment. */
    Database at(long t) {
      synchronized (recent) {
        Database db = recent.get(t);
        if (db != null) return db;
      }
      Database cur = conn.db();
      if (cur.maxTx() == t) {
        remember(cur);
        return cur;
      }
      if (t < cur.maxTx() && config.keepHistory()) return cur.asOf(t);
      throw DatahikeException.of(
          "db/basis-unavailable",
          "The database value with basis-t "
              + t
              + " is no longer available (current max-tx "
              + cur.maxTx()
              + "); read the current value again",
          "basis-t",
          t,
          "max-tx",
          cur.maxTx());
    }
  }

  /** Registers a database this server serves: by store, and under its {@code :name}. */
  void register(Config cfg) {
    known.add(cfg.storeKey());
    if (cfg.name() != null) names.put(cfg.name(), cfg);
  }

  /** Whether clients may use the database {@code cfg} describes (when it exists). */
  boolean serves(Config cfg) {
    return anyDatabase || known.contains(cfg.storeKey());
  }

  /** The number of open databases. */
  int openCount() {
    return open.size();
  }

  /** The configuration a reference names; 404 for a database this server does not serve. */
  Config config(DbRef ref) {
    if (ref.config() != null) {
      Config cfg = ref.config();
      if (!serves(cfg)) {
        throw ServerException.of(
            404,
            "db/missing",
            "This server does not serve the database "
                + cfg.store()
                + " (it serves the databases it is configured with or created)",
            "store",
            cfg.store());
      }
      return cfg;
    }
    Config cfg = names.get(ref.name());
    if (cfg == null) {
      throw ServerException.of(
          404,
          "db/missing",
          "This server has no database named \"" + ref.name() + "\"",
          "name",
          ref.name());
    }
    return cfg;
  }

  /** The open database {@code cfg} describes, opening it on first use. */
  Open open(Config cfg) {
    String key = cfg.storeKey();
    Open o = open.get(key);
    if (o != null) {
      if (Datahike.databaseExists(cfg)) return o;
      open.remove(key, o);
    }
    return open.computeIfAbsent(key, k -> new Open(cfg, Datahike.connect(cfg)));
  }

  /** A value resolved from a reference, and the reference pinned to its basis. */
  record Resolved(DbRef ref, Database value) {}

  /** The database value a reference names (see {@link DbRef}). */
  Resolved resolve(DbRef ref) {
    Open o = open(config(ref));
    Database base = ref.basisT() == null ? o.current() : o.at(ref.basisT());
    Database v = base;
    for (DbRef.View view : ref.views()) v = view.apply(v);
    return new Resolved(ref.basisT() == null ? ref.pinned(base.maxTx()) : ref, v);
  }

  /** Forgets a database about to be deleted: its connection and its name. */
  void forget(Config cfg) {
    Open o = open.remove(cfg.storeKey());
    if (o != null) o.conn.close();
    names.values().removeIf(c -> c.storeKey().equals(cfg.storeKey()));
    known.remove(cfg.storeKey());
  }

  @Override
  public void close() {
    for (Open o : open.values()) o.conn.close();
    open.clear();
  }
}
