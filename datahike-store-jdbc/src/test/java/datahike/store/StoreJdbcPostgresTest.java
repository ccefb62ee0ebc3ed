package datahike.store;

import datahike.store.jdbc.JdbcTestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on PostgreSQL. */
class StoreJdbcPostgresTest extends AbstractJdbcStoreTest {
  @BeforeAll
  static void server() {
    JdbcTestDb.POSTGRES.require();
  }

  @AfterAll
  static void dropTables() {
    dropAll(JdbcTestDb.POSTGRES);
  }

  @Override
  JdbcTestDb db() {
    return JdbcTestDb.POSTGRES;
  }
}
