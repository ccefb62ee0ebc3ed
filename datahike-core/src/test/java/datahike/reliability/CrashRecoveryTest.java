package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 proofs for the durable core: cycles of a writer child JVM ({@link CrashWriter}: one
 * writer thread that flushes the indices every few commits, or eight writers sharing group commits)
 * committing to one file database with small log segments, killed with SIGKILL while it starts and
 * recovers the log, while it commits, or during an index flush. After each kill the database
 * reopens and {@link CrashVerifier} checks that every acknowledged transaction is there whole, that
 * nothing is half there, and that nothing read before is gone. The long mode is {@code StressMain
 * crash}. Seed: {@code -Ddatahike.seed=...}; it is printed.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  private static CrashCycles.Summary run(Path dir, int cycles, boolean concurrentSync)
      throws Exception {
    return CrashLoop.assertNothingLost(dir, CrashBackend.named("file"), cycles, concurrentSync);
  }

  @Test
  void killedWriters_loseNoAcknowledgedTransaction_andLeaveNothingHalfDone() throws Exception {
    CrashCycles.Summary s = run(dir, Integer.getInteger("datahike.crash.cycles", 50), false);
    assertThat(s.killsInSync()).as("kills during a flush, seed %d", s.seed()).isPositive();
  }

  @Test
  void killedWriters_withFlushesRacingCommits_loseNothing() throws Exception {
    run(dir, 10, true);
  }
}
