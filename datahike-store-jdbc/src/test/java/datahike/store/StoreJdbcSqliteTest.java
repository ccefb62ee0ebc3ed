package datahike.store;

import datahike.store.jdbc.JdbcTestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on SQLite (a file in a temporary directory). */
class StoreJdbcSqliteTest extends AbstractJdbcStoreTest {
  @BeforeAll
  static void server() {
    JdbcTestDb.SQLITE.require();
  }

  @AfterAll
  static void dropTables() {
    dropAll(JdbcTestDb.SQLITE);
  }

  @Override
  JdbcTestDb db() {
    return JdbcTestDb.SQLITE;
  }
}
