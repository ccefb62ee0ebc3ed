package datahike.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database on each JDBC backend through the public API only: create, connect, transact, close,
 * reconnect (replaying the log), write the indices ({@code sync}), reconnect (reading them), query,
 * delete.
 */
class JdbcEndToEndTest {
  private static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  @AfterAll
  static void dropTables() {
    for (JdbcTestDb db : JdbcTestDb.values()) {
      try {
        db.raw().close();
      } catch (Exception e) {
        continue; // unreachable: its test was skipped
      }
      db.dropTables("e");
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcTestDb.class)
  void createConnectTransactCloseReconnectQuery(JdbcTestDb db) {
    db.require();
    String table = JdbcTestDb.newTable("e");
    Config cfg = Config.parse("{:store " + db.edn(table) + "}");
    assertThat(Datahike.databaseExists(cfg)).isFalse();
    Datahike.createDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isTrue();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Alice\" :age 30} {:name \"Bob\" :age 25}]");
      conn.transact("[{:db/id [:name \"Alice\"] :age 31}]");
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Set<List<Object>> rows =
          Datahike.q("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", conn.db());
      assertThat(rows)
          .containsExactlyInAnyOrder(List.<Object>of("Alice", 31L), List.<Object>of("Bob", 25L));
      Set<List<Object>> ages =
          Datahike.q("[:find ?a :where [?e :name \"Alice\"] [?e :age ?a]]", conn.db().history());
      assertThat(ages).hasSize(2);
      conn.transact("[{:name \"Carol\" :age 40}]");
      conn.sync(); // indices to the blobs table, a new head, the log truncated
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(3L);
      Object carol = Datahike.q("[:find ?a . :where [?e :name \"Carol\"] [?e :age ?a]]", conn.db());
      assertThat(carol).isEqualTo(40L);
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }
}
