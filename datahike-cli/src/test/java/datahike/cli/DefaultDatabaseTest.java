package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Datahike;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's default database: a file store, or memory when the build has no file store. */
class DefaultDatabaseTest {
  @TempDir Path dir;

  @Test
  void fileDefault_createdOnFirstUseThenReopened() {
    String path = dir.resolve("data").toString();
    DefaultDatabase.Opened first = DefaultDatabase.fileDefault(path);
    try {
      if (first.fallback()) return; // a build without the file store: covered below
      assertThat(first.about().get(0))
          .startsWith("Database: " + path + " (file store, created now)");
      assertThat(first.about().get(1)).startsWith("Schema-on-read");
      first.conn().transact("[{:anything \"goes\"}]");
    } finally {
      first.conn().close();
    }
    DefaultDatabase.Opened again = DefaultDatabase.fileDefault(path);
    try {
      assertThat(again.about().get(0)).doesNotContain("created now");
      Object n = Datahike.q("[:find (count ?e) . :where [?e :anything]]", again.conn().db());
      assertThat(n).isEqualTo(1L);
    } finally {
      again.conn().close();
    }
  }

  @Test
  void missingBackend_fallsBackToMemoryAndSaysSo() {
    Config cfg =
        Config.of(
            Map.of(
                "store",
                Map.of("backend", "no-such-backend", "path", dir.toString()),
                "schema-flexibility",
                "read"));
    DefaultDatabase.Opened o = DefaultDatabase.durableOrMemory(cfg, "./datahike-data");
    try {
      assertThat(o.fallback()).isTrue();
      assertThat(o.about().get(0))
          .isEqualTo(
              "Database: in memory. The no-such-backend store for ./datahike-data is not"
                  + " in this build,");
      assertThat(o.conn().transact("[{:name \"Ada\"}]").tx()).isPositive();
    } finally {
      o.conn().close();
    }
  }
}
