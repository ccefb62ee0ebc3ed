package datahike.store;

import datahike.store.jdbc.JdbcTestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on MariaDB. */
class StoreJdbcMariaDbTest extends AbstractJdbcStoreTest {
  @BeforeAll
  static void server() {
    JdbcTestDb.MARIADB.require();
  }

  @AfterAll
  static void dropTables() {
    dropAll(JdbcTestDb.MARIADB);
  }

  @Override
  JdbcTestDb db() {
    return JdbcTestDb.MARIADB;
  }
}
