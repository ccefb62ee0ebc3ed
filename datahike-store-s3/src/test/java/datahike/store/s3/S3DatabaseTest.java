package datahike.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.edn.EdnPrinter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A database on the S3 backend through the public API: create, transact, close, reconnect. */
class S3DatabaseTest {
  static S3TestServer server;

  @BeforeAll
  static void start() {
    server = S3TestServer.start();
    server.createBucket("e2e");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  @Test
  void createTransactCloseReconnect_queryFindsEverything() {
    Config cfg =
        Config.parse(
            "{:store {:backend :s3 :bucket \"e2e\" :region \"us-east-1\" :endpoint "
                + EdnPrinter.print(server.endpoint())
                + " :path-style true :access-key \"a\" :secret-key \"b\""
                + " :prefix \"dbs/people\" :id \"people\"}}");
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
      for (int i = 0; i < 20; i++) {
        conn.transact("[{:name \"p" + i + "\" :age " + i + "}]");
      }
      conn.sync(); // indices written to S3, head replaced by compare-and-set
    }
    try (Connection conn = Datahike.connect(cfg)) {
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo(22L);
      Set<List<Object>> ages =
          Datahike.q("[:find ?a :where [?e :name \"Alice\"] [?e :age ?a]]", conn.db().history());
      assertThat(ages).hasSize(2);
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }
}
