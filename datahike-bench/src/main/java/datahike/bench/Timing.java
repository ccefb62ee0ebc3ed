package datahike.bench;

import java.util.Arrays;

/**
 * Warm-up and sampling of PEOPLE20K.md section 5.
 *
 * <p>Writes: {@link Plan#writeWarmups} untimed-for-the-report iterations, then {@link
 * Plan#writeIters} timed ones, each on a fresh db prepared outside the timer, with a full GC
 * requested before each timed body (also outside the timer); the figure is the median.
 *
 * <p>Queries: the call runs back-to-back for {@link Plan#queryWarmupMs}, then {@link
 * Plan#querySamples} samples each run it back-to-back until at least {@link Plan#querySampleMs}
 * have elapsed and record elapsed/iterations; the figure is the median sample. This is
 * datascript-bench's {@code bench} macro without its batches of 100 (a sample checks the clock
 * after every call; the {@code nanoTime} cost, ~25 ns, is noise next to ms-scale queries).
 *
 * <p>Results of every call are summed into {@link #sink} so the JIT cannot drop them.
 */
final class Timing {
  /** How long and how often to measure. */
  record Plan(
      String name,
      int writeWarmups,
      int writeIters,
      long queryWarmupMs,
      int querySamples,
      long querySampleMs) {}

  /** PEOPLE20K.md section 5. */
  static final Plan FULL = new Plan("full", 2, 5, 3000, 9, 500);

  /**
   * {@code --quick}: both harnesses through all 12 ops (plus Datomic's novelty queries) in under
   * two minutes on two cores. One warm-up and three timed write iterations; 1 s query warm-up and
   * five samples of 150 ms. Figures are noisier; use {@link #FULL} for anything quoted.
   */
  static final Plan QUICK = new Plan("quick", 1, 3, 1000, 5, 150);

  /** Scale suite: large dbs, few samples (a single qpred call at 2M people takes ~1 s). */
  static final Plan SCALE = new Plan("scale", 0, 1, 1000, 5, 300);

  /**
   * One measured figure: the median and the samples it came from, in ms per op; {@code rows} is the
   * result size of a query (-1 for writes).
   */
  record Result(double medianMs, double[] samplesMs, int rows) {
    double minMs() {
      return Arrays.stream(samplesMs).min().orElse(Double.NaN);
    }

    double maxMs() {
      return Arrays.stream(samplesMs).max().orElse(Double.NaN);
    }
  }

  /** Prepares one write iteration (untimed). */
  @FunctionalInterface
  interface TrialFactory {
    Harness.WriteTrial prepare() throws Exception;
  }

  /** Blackhole for query results. */
  static volatile long sink;

  private Timing() {}

  /** Measures a write op: warm-ups, then timed iterations, each from {@code factory}. */
  static Result write(Plan plan, TrialFactory factory) throws Exception {
    for (int i = 0; i < plan.writeWarmups(); i++) {
      timeOnce(factory);
    }
    double[] samples = new double[plan.writeIters()];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = timeOnce(factory);
    }
    return new Result(median(samples), samples, -1);
  }

  private static double timeOnce(TrialFactory factory) throws Exception {
    try (Harness.WriteTrial trial = factory.prepare()) {
      System.gc();
      long t0 = System.nanoTime();
      trial.run();
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  /**
   * Measures a query call; the first call's result size must be {@code expectedRows} (when that is
   * non-negative), or the figure would time a wrong answer.
   */
  static Result query(Plan plan, Harness.QueryCall call, int expectedRows, String what)
      throws Exception {
    int rows = call.run();
    if (expectedRows >= 0 && rows != expectedRows) {
      throw new IllegalStateException(
          what + " returned " + rows + " rows, expected " + expectedRows);
    }
    long acc = 0;
    long warmEnd = System.nanoTime() + plan.queryWarmupMs() * 1_000_000L;
    while (System.nanoTime() < warmEnd) {
      acc += call.run();
    }
    double[] samples = new double[plan.querySamples()];
    long sampleNs = plan.querySampleMs() * 1_000_000L;
    for (int s = 0; s < samples.length; s++) {
      long t0 = System.nanoTime();
      long t;
      int n = 0;
      do {
        acc += call.run();
        n++;
        t = System.nanoTime();
      } while (t - t0 < sampleNs);
      samples[s] = (t - t0) / 1e6 / n;
    }
    sink += acc;
    return new Result(median(samples), samples, rows);
  }

  /** The median; for an even count the mean of the two middle values. */
  static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** The p-th percentile (0..100), nearest-rank. */
  static double percentile(double[] xs, double p) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }
}
