package datahike.store.jdbc;

import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.StoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provides the JDBC backend, {@code {:backend :jdbc :dbtype "postgresql" :host "db" :dbname "app"
 * :user "u" :password "p"}} (or {@code :jdbcUrl}; optional {@code :table}, default {@code
 * "datahike"}, and {@code :pool-size}); see {@link JdbcConfig}. Internal: public only for {@link
 * java.util.ServiceLoader}.
 */
public final class StoreJdbcProvider implements StoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public StoreJdbcProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("jdbc");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    return StoreJdbc.open(JdbcConfig.parse(config));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return StoreJdbc.exists(JdbcConfig.parse(config));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    JdbcConfig cfg = JdbcConfig.parse(config);
    if (!StoreJdbc.exists(cfg)) {
      return;
    }
    try (Store s = StoreJdbc.open(cfg)) {
      s.deleteAll();
    }
  }
}
