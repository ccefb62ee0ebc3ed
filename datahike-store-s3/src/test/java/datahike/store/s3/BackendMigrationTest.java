package datahike.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.Datom;
import datahike.edn.EdnPrinter;
import datahike.migrate.Format;
import datahike.migrate.Migrate;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moves one database, history included, file → PostgreSQL → S3 → LMDB through Datahike's CBOR
 * export format (module datahike-migrate: export to a file, import into a fresh database), and
 * checks every stop holds identical datoms (history and current) and keeps working.
 */
class BackendMigrationTest {
  @TempDir Path dir;

  private static boolean postgresUp() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void fileToPostgresToS3ToLmdb_keepsEveryDatom() throws Exception {
    if (!postgresUp()) {
      String msg = "SKIPPED: PostgreSQL on 127.0.0.1:5432 is unreachable";
      System.err.println(msg);
      if ("1".equals(System.getenv("DATAHIKE_REQUIRE_SERVICES"))) throw new AssertionError(msg);
      Assumptions.abort(msg);
    }
    String tag = UUID.randomUUID().toString().substring(0, 8).replace("-", "");
    try (S3TestServer s3 = S3TestServer.start()) {
      s3.createBucket("migration");
      List<Config> chain = new ArrayList<>();
      chain.add(Config.parse("{:store {:backend :file :path " + EdnPrinter.print(dir.resolve("file").toString()) + "}}"));
      chain.add(Config.parse(
          "{:store {:backend :jdbc :dbtype \"postgresql\" :host \"127.0.0.1\" :port 5432"
              + " :dbname \"test\" :user \"postgres\" :table \"mig_" + tag + "\" :id \"mig-" + tag + "\"}}"));
      chain.add(Config.parse(
          "{:store {:backend :s3 :bucket \"migration\" :region \"us-east-1\" :endpoint "
              + EdnPrinter.print(s3.endpoint())
              + " :path-style true :access-key \"a\" :secret-key \"b\" :prefix \"mig\" :id \"mig-s3\"}}"));
      chain.add(Config.parse("{:store {:backend :lmdb :path " + EdnPrinter.print(dir.resolve("lmdb").toString()) + "}}"));
      try {
        Config first = chain.get(0);
        Datahike.createDatabase(first);
        List<Datom> history;
        List<Datom> current;
        Path exported = dir.resolve("export-0.cbor");
        try (Connection conn = Datahike.connect(first)) {
          conn.transact(
              "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
                  + " :db/unique :db.unique/identity}"
                  + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
                  + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]");
          conn.transact("[{:db/id \"a\" :name \"Alice\" :age 30} {:name \"Bob\" :age 25 :friend \"a\"}]");
          conn.transact("[{:db/id [:name \"Alice\"] :age 31}]");
          conn.transact("[[:db/retractEntity [:name \"Bob\"]]]");
          conn.transact("[{:name \"Carol\" :age 40 :friend [:name \"Alice\"]}]");
          history = conn.db().history().datoms(":eavt");
          current = conn.db().datoms(":eavt");
          Migrate.Report r = Migrate.exportDb(conn.db(), exported, Format.CBOR);
          assertThat(r.datoms()).isEqualTo(history.size());
        }
        int hop = 0;
        for (Config next : chain.subList(1, chain.size())) {
          Datahike.createDatabase(next);
          try (Connection conn = Datahike.connect(next)) {
            Migrate.importDb(conn, exported);
          }
          try (Connection conn = Datahike.connect(next)) {
            assertThat(conn.db().history().datoms(":eavt")).as("history in %s", next.backend()).isEqualTo(history);
            assertThat(conn.db().datoms(":eavt")).as("current in %s", next.backend()).isEqualTo(current);
            Path again = dir.resolve("export-" + (++hop) + ".cbor");
            Migrate.exportDb(conn.db(), again, Format.CBOR);
            // The same database gives the same bytes, whatever backend it was read from.
            assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(exported));
            exported = again;
          }
        }
        try (Connection conn = Datahike.connect(chain.get(chain.size() - 1))) {
          conn.transact("[{:name \"Dave\" :age 50}]");
          Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
          assertThat(n).isEqualTo(3L);
        }
      } finally {
        for (Config c : chain) {
          try {
            Datahike.deleteDatabase(c);
          } catch (RuntimeException ignored) {
            // Best effort cleanup.
          }
        }
      }
    }
  }
}
