package datahike.store.jdbc;

import datahike.reliability.CrashBackend;
import datahike.reliability.CrashLoop;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kill -9 cycles on each JDBC database (core's crash loop, CI-sized): a writer child JVM committing
 * with one or eight threads, killed with SIGKILL while it recovers, commits or flushes; after each
 * kill every acknowledged transaction is there whole and nothing is half there. On SQLite and H2
 * the killed process is the one writing the database file; on PostgreSQL and MariaDB it is a client
 * of a server that lives on (its session, and with it the writer lock, dies with it). The long mode
 * is {@code ./datahike stress crash --backend <db> --cycles N}. The crash loop drops the tables of
 * a sound run.
 */
class JdbcCrashTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(JdbcTestDb.class)
  void killedWriters_loseNoAcknowledgedTransaction(JdbcTestDb db) throws Exception {
    db.require();
    String name = db == JdbcTestDb.POSTGRES ? "postgresql" : db.name().toLowerCase(Locale.ROOT);
    CrashLoop.assertNothingLost(
        dir, CrashBackend.named(name), Integer.getInteger("datahike.crash.cycles", 5), false);
  }
}
