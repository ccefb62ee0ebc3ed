package datahike.store.lmdb;

import datahike.reliability.CrashBackend;
import datahike.reliability.CrashLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 cycles on an LMDB database (core's crash loop, CI-sized): a writer child JVM committing
 * with one or eight threads, killed with SIGKILL while it recovers, commits or flushes; after each
 * kill every acknowledged transaction is there whole and nothing is half there. The long mode is
 * {@code ./datahike stress crash --backend lmdb --cycles N}.
 */
class LmdbCrashTest {
  @TempDir Path dir;

  @Test
  void killedWriters_loseNoAcknowledgedTransaction() throws Exception {
    CrashLoop.assertNothingLost(
        dir, CrashBackend.named("lmdb"), Integer.getInteger("datahike.crash.cycles", 5), false);
  }
}
