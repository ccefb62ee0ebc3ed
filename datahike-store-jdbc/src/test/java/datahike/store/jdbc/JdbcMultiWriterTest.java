package datahike.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.reliability.CrashBackend;
import datahike.reliability.MultiWriters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four processes writing one PostgreSQL database at once (core's {@link MultiWriters}, CI-sized: 4
 * × 250 transactions, each an entity of its own plus an upsert of one of 20 shared unique-identity
 * keys): every acknowledged transaction is there under its acknowledged id, no key is held by two
 * entities, each holds its last upsert's values, and the writer lock changed hands. The long mode
 * ({@code ./datahike stress writers --backend postgresql --txs 2500}) runs 4 × 2,500.
 */
class JdbcMultiWriterTest {
  @TempDir Path dir;

  @Test
  void fourProcesses_onePostgresDatabase_allLand_upsertsNeverDuplicated() throws Exception {
    JdbcTestDb.POSTGRES.require();
    MultiWriters.Outcome o =
        MultiWriters.run(
            CrashBackend.named("postgresql"),
            dir,
            4,
            Integer.getInteger("datahike.writers.txs", 250),
            Long.getLong("datahike.seed", System.nanoTime()),
            System.out);
    System.out.println("JdbcMultiWriterTest " + o);
    assertThat(o.violations()).isEmpty();
    assertThat(o.present()).isEqualTo(4 * Integer.getInteger("datahike.writers.txs", 250));
    assertThat(o.duplicatedKeys()).isZero();
    assertThat(o.handovers()).as("the writers took turns").isGreaterThanOrEqualTo(3);
  }
}
