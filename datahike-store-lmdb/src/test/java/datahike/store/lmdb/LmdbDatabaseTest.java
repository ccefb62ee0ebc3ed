package datahike.store.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database on the LMDB backend through the public API: create, transact, close, reconnect. */
class LmdbDatabaseTest {
  @TempDir Path dir;

  private static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  @Test
  void createTransactCloseReconnect_queryFindsEverything() {
    Config cfg = Config.parse("{:store {:backend :lmdb :path \"" + dir.resolve("db") + "\"}}");
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
      for (int i = 0; i < 50; i++) {
        conn.transact("[{:name \"p" + i + "\" :age " + i + "}]");
      }
      conn.sync(); // indices written, head replaced
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(52L);
      Set<List<Object>> ages =
          Datahike.q("[:find ?a :where [?e :name \"Alice\"] [?e :age ?a]]", conn.db().history());
      assertThat(ages).hasSize(2);
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }
}
