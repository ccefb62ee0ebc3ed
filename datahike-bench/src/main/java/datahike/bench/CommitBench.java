package datahike.bench;

import datahike.bench.People20k.Person;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code commit} suite: what a durable commit costs next to the device's own sync cost.
 *
 * <p>First the raw probe: append 4 KiB to a file and {@link FileChannel#force(boolean) force(true)}
 * (fsync), {@code n} times, in a temp dir inside the bench work dir (beside the databases of the
 * durable measurements, so on the same file system); median and p99 per sync. Then, on datahike's
 * durable file store: single-writer commits/s, {@value #WRITERS} concurrent writers' commits/s, and
 * bulk-load datoms/s, each also given as a ratio to the probe's syncs/s ({@code 1000 / median ms}):
 * a commit ratio near 1 means one fsync per commit and little else; a concurrent ratio above 1
 * means group commit. The bulk ratio is datoms per probe-fsync time.
 */
final class CommitBench {
  /**
   * Untimed loads of the bulk set before the timed one: the JIT needs about two million datoms of
   * loading before the rate settles (see {@link DatahikeDurable#bulkLoadDatomsPerSec}).
   */
  static final int BULK_WARMUP_LOADS = 2;

  /** Timed loads of the bulk set; the figure is their median. */
  static final int BULK_TIMED_LOADS = 3;

  /** Concurrent writers of the second durable measurement. */
  static final int WRITERS = 16;

  /** Fewest commits per writer of the group-commit ceiling probe (about a second in all). */
  static final int CEILING_PER_WRITER = 1000;

  /** Bytes per probe write. */
  static final int PROBE_BYTES = 4096;

  /** Sizes of one run: probe syncs, commits per writer, people bulk-loaded. */
  record Plan(int probeWarmup, int probeSyncs, int commits, int perWriter, int bulkPeople) {}

  static final Plan FULL = new Plan(100, 2000, 2000, 1000, 200_000);
  static final Plan QUICK = new Plan(20, 300, 300, 30, 20_000);

  /** The probe's figures, in ms per sync. */
  record Probe(double medianMs, double p99Ms, double meanMs, int syncs, String fileStore) {
    double syncsPerSec() {
      return 1000.0 / medianMs;
    }
  }

  private CommitBench() {}

  /**
   * Runs the probe and the durable measurements on the file store in {@code workDir}; returns the
   * table.
   */
  static Table run(Path workDir, Plan plan, PrintStream log) throws IOException {
    Backend file = LocalBackend.file(workDir);
    Probe probe = probe(workDir, plan.probeWarmup(), plan.probeSyncs());
    log.printf(
        Locale.ROOT,
        "  fsync probe: median %s ms, p99 %s ms (%d syncs, %s)%n",
        Table.ms(probe.medianMs()),
        Table.ms(probe.p99Ms()),
        probe.syncs(),
        probe.fileStore());
    Table t =
        new Table(
            "commit",
            "commit: durable writes vs the raw fsync probe",
            List.of(
                Table.Column.of("metric", "metric", Table.Format.TEXT),
                Table.Column.of("value", "value", Table.Format.NUMBER),
                Table.Column.of("unit", "unit", Table.Format.TEXT),
                Table.Column.of("ratio_to_probe", "ratio to probe", Table.Format.RATIO)));
    t.row("fsync probe median", probe.medianMs(), "ms per 4 KiB append+fsync", null);
    t.row("fsync probe p99", probe.p99Ms(), "ms", null);
    t.row("fsync probe rate", probe.syncsPerSec(), "syncs/s (1000/median)", 1.0);

    List<Person> people = People20k.generate();
    double single =
        rate(
            t,
            "single-writer durable commits",
            "commits/s",
            probe,
            log,
            () ->
                DatahikeDurable.singleWriterCommitsPerSec(
                    file, people, plan.commits() / 10, plan.commits()));
    double concurrent =
        rate(
            t,
            WRITERS + " concurrent writers",
            "commits/s",
            probe,
            log,
            () -> DatahikeDurable.concurrentCommitsPerSec(file, people, WRITERS, plan.perWriter()));
    DatahikeDurable.GroupCommit gc = DatahikeDurable.lastGroupCommit;
    if (gc != null) {
      t.row(WRITERS + " writers: transactions per sync", gc.txPerSync(), "tx/sync", null);
      t.row(WRITERS + " writers: append + sync", gc.appendMicros(), "us per sync", null);
      t.row(WRITERS + " writers: gathering wait", gc.gatherMicros(), "us per sync", null);
    }
    if (single > 0 && concurrent > 0) {
      t.row(WRITERS + " writers / single writer", concurrent / single, "x", null);
    }
    // At least CEILING_PER_WRITER commits per writer even in the quick plan: with 30 the probe's
    // rate is mostly JIT warm-up (2.8x instead of 5-7x) and would misstate the ceiling.
    GroupCommitProbe.Result ceiling =
        GroupCommitProbe.run(workDir, WRITERS, Math.max(plan.perWriter(), CEILING_PER_WRITER));
    t.row(
        "ceiling: 1 writer, no database",
        ceiling.single(),
        "commits/s",
        ceiling.single() / probe.syncsPerSec());
    t.row(
        "ceiling: " + WRITERS + " writers, no database",
        ceiling.concurrent(),
        "commits/s",
        ceiling.concurrent() / probe.syncsPerSec());
    t.row("ceiling: " + WRITERS + " writers / 1", ceiling.ratio(), "x", null);
    log.printf(
        Locale.ROOT,
        "  group-commit ceiling (no database): 1 writer %,.0f/s, %d writers %,.0f/s = %.2fx"
            + " (%.1f records per sync)%n",
        ceiling.single(),
        WRITERS,
        ceiling.concurrent(),
        ceiling.ratio(),
        ceiling.recordsPerSync());
    List<Person> bulk = People20k.generate(plan.bulkPeople());
    rate(
        t,
        "bulk load (" + bulk.size() + " people)",
        "datoms/s",
        probe,
        log,
        () -> DatahikeDurable.bulkLoadDatomsPerSec(
                file, bulk, ScaleBench.BATCH, BULK_WARMUP_LOADS, BULK_TIMED_LOADS));
    if (DatahikeDurable.lastBulkColdRate > 0) {
      t.row("bulk load, first in this JVM", DatahikeDurable.lastBulkColdRate, "datoms/s", null);
    }
    t.note(
        "probe: "
            + probe.syncs()
            + " appends of 4 KiB + FileChannel.force(true) in "
            + workDir.toAbsolutePath()
            + " ("
            + probe.fileStore()
            + ").");
    t.note("ratio to probe = value / probe syncs per second.");
    t.note(
        "ceiling: the same writers committing "
            + GroupCommitProbe.RECORD_BYTES
            + "-byte records with group commit and no database work (GroupCommitProbe): what the"
            + " concurrent ratio can reach on this machine.");
    return t;
  }

  @FunctionalInterface
  private interface Rate {
    double measure() throws Exception;
  }

  /** Measures and adds a row; returns the figure, or NaN when it could not be measured. */
  private static double rate(
      Table t, String metric, String unit, Probe probe, PrintStream log, Rate r) {
    try {
      double v = r.measure();
      t.row(metric, v, unit, v / probe.syncsPerSec());
      log.printf(Locale.ROOT, "  %s: %,.0f %s%n", metric, v, unit);
      return v;
    } catch (DatahikeDurable.NotAvailable e) {
      log.println("  " + metric + ": not available yet (" + e.getMessage() + ")");
      t.row(metric, "not available yet", unit, null);
    } catch (Exception | LinkageError e) {
      log.println("  " + metric + " failed:");
      e.printStackTrace(log);
      t.row(metric, "error (" + e.getClass().getSimpleName() + ")", unit, null);
    }
    return Double.NaN;
  }

  /** Appends 4 KiB and fsyncs, {@code warmup} + {@code n} times; times the last {@code n}. */
  static Probe probe(Path workDir, int warmup, int n) throws IOException {
    Files.createDirectories(workDir);
    Path dir = Files.createTempDirectory(workDir, "fsync-probe-");
    Path file = dir.resolve("probe.log");
    byte[] bytes = new byte[PROBE_BYTES];
    ThreadLocalRandom.current().nextBytes(bytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    double[] ms = new double[n];
    String store;
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      store = Files.getFileStore(file).type();
      for (int i = 0; i < warmup + n; i++) {
        buf.clear();
        long t0 = System.nanoTime();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
        if (i >= warmup) {
          ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
        }
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
    double mean = java.util.Arrays.stream(ms).average().orElse(Double.NaN);
    return new Probe(Timing.median(ms), Timing.percentile(ms, 99), mean, n, store);
  }
}
