package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deterministic model test at scale ({@link ModelRun}, CI-sized): random transactions (adds,
 * retractions, retractEntity, cas, unique-identity upserts, new attributes, purges, and rejected
 * ones) against the naive {@link TxModel}, all indices after every transaction, history and as-of
 * at sampled points. On a file database with reopens from the indices and from the log; in memory
 * for more seeds. The long mode is {@code ./datahike stress model --seeds 100 --txs 10000}. Seed:
 * {@code -Ddatahike.seed=...}; it is printed.
 */
class DurableModelTest {
  @TempDir Path dir;

  private static long seed() {
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    System.out.println("DurableModelTest seed " + seed);
    return seed;
  }

  @Test
  void randomTransactions_onAFileDatabase_withReopens_matchNaiveModel() {
    ModelRun.Result r = ModelRun.run(seed(), Integer.getInteger("datahike.model.txs", 2000), dir);
    System.out.println("DurableModelTest file: " + r);
    assertThat(r.problem()).as("seed %d", r.seed()).isNull();
    assertThat(r.reopens()).isPositive();
    assertThat(r.rejected()).isPositive();
    assertThat(r.schemaChanges()).isPositive();
    assertThat(r.purges()).isPositive();
  }

  @Test
  void randomTransactions_inMemory_severalSeeds_matchNaiveModel() {
    long first = seed();
    for (long s = first; s < first + 3; s++) {
      ModelRun.Result r = ModelRun.run(s, 2000, null);
      System.out.println("DurableModelTest memory: " + r);
      assertThat(r.problem()).as("seed %d", s).isNull();
      assertThat(r.committed()).isEqualTo(2000);
      assertThat(r.purges()).isPositive();
    }
  }
}
