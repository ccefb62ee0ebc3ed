package datahike.store;

import datahike.store.jdbc.JdbcTestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on H2 (an embedded file in a temporary directory). */
class StoreJdbcH2Test extends AbstractJdbcStoreTest {
  @BeforeAll
  static void server() {
    JdbcTestDb.H2.require();
  }

  @AfterAll
  static void dropTables() {
    dropAll(JdbcTestDb.H2);
  }

  @Override
  JdbcTestDb db() {
    return JdbcTestDb.H2;
  }
}
