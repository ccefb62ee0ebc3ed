package datahike.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An H2 file opened without space reuse grows with each commit; the last store to close on it
 * compacts it, unless someone else still has a session on it.
 */
class H2FilesTest {
  private static final int TRANSACTIONS = 150;

  @Test
  void theLastStoreToCloseCompactsTheFileAndKeepsEveryTransaction() throws Exception {
    String file = "compact-" + JdbcTestDb.RUN;
    Config cfg = config(file);
    Path mv = JdbcTestDb.dir().resolve(file + ".mv.db");
    long grown = transactAndMeasure(cfg, mv);
    long compacted = Files.size(mv);
    assertThat(compacted).as("file size after the last close").isLessThan(grown / 2);
    assertThat(names(cfg)).hasSize(TRANSACTIONS);
  }

  @Test
  void aFileSomeoneElseHasOpenIsLeftAsItIs() throws Exception {
    String file = "shared-" + JdbcTestDb.RUN;
    Config cfg = config(file);
    Path mv = JdbcTestDb.dir().resolve(file + ".mv.db");
    Datahike.createDatabase(cfg);
    String url = Dialect.H2.adaptUrl("jdbc:h2:file:" + JdbcTestDb.dir().resolve(file));
    try (java.sql.Connection other = DriverManager.getConnection(url)) {
      long grown = transactAndMeasure(cfg, mv);
      assertThat(other.isValid(1)).as("the other session survives the store's close").isTrue();
      assertThat(Files.size(mv)).isGreaterThanOrEqualTo(grown);
    }
    assertThat(names(cfg)).hasSize(TRANSACTIONS);
  }

  private static Config config(String file) {
    return Config.parse(
        "{:store " + JdbcTestDb.H2.edn(JdbcTestDb.newTable("c"), file) + " :keep-history? false}");
  }

  /** Commits {@link #TRANSACTIONS} small transactions; the file size before the connection closes. */
  private static long transactAndMeasure(Config cfg, Path mv) throws Exception {
    if (!Datahike.databaseExists(cfg)) {
      Datahike.createDatabase(cfg);
    }
    long size;
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      for (int i = 0; i < TRANSACTIONS; i++) {
        conn.transact("[{:name \"n" + i + "\"}]");
      }
      size = Files.size(mv);
    }
    return size;
  }

  private static Set<List<Object>> names(Config cfg) {
    try (Connection conn = Datahike.connect(cfg)) {
      return Datahike.q("[:find ?n :where [_ :name ?n]]", conn.db());
    }
  }
}
