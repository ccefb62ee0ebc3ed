package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * The kill -9 proof as a test runs it, for core and for the backend modules (which get it from
 * core's test-jar): {@code cycles} cycles of {@link CrashCycles} on {@code backend}, asserting that
 * every cycle ran, no acknowledged transaction was lost, nothing was found half there or changed,
 * and the children acknowledged transactions at all. Seed: {@code -Ddatahike.seed=...}; it is
 * printed, with the summary. {@code -Ddatahike.crash.verbose=true} prints every cycle.
 */
public final class CrashLoop {
  private CrashLoop() {}

  /** Runs the cycles and asserts the outcome; returns the summary for further checks. */
  public static CrashCycles.Summary assertNothingLost(
      Path dir, CrashBackend backend, int cycles, boolean concurrentSync) throws Exception {
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    String tag = "crash loop (" + backend.name() + ")";
    System.out.println(tag + " seed " + seed);
    CrashCycles.Summary s =
        CrashCycles.run(
            new CrashCycles.Options(
                dir,
                backend,
                cycles,
                seed,
                0,
                0,
                concurrentSync,
                Boolean.getBoolean("datahike.crash.verbose") ? System.out : null));
    System.out.println(tag + " " + s);
    assertThat(s.cycles()).isEqualTo(cycles);
    assertThat(s.violations()).as("seed %d", seed).isEmpty();
    assertThat(s.lost()).as("seed %d", seed).isZero();
    assertThat(s.acknowledged()).as("seed %d", seed).isGreaterThan(cycles / 2);
    return s;
  }
}
