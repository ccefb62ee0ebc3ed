package datahike.bench;

import datahike.bench.People20k.Person;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench commit --backend X}: the commit suite's durable measurements (single-writer
 * commits/s, {@value CommitBench#WRITERS} concurrent writers' commits/s, bulk-load datoms/s) on
 * each named backend, one row per backend, with the file store's figures as the baseline ({@code
 * ×file} = backend / file; above 1 is faster) when it is among them. The fsync probe runs once,
 * first, and its rate is quoted in the notes: it is the floor of every local durable commit.
 *
 * <p>Each backend gets fresh databases that are deleted afterwards (tables, keys, objects, files);
 * a backend that cannot run here gets "skipped (why)" in its row, a measurement that fails gets
 * "error (...)", and the run goes on.
 */
final class BackendCommitBench {
  private BackendCommitBench() {}

  /**
   * What one backend measured: three rates (a Double, or "skipped"/"error" in the cell) and the
   * reasons for the cells without a figure, printed under the table.
   */
  private record Rates(Object single, Object concurrent, Object bulk, List<String> why) {}

  /** Runs the suite on {@code backends} (names from {@link Backend#NAMES}); returns the table. */
  static Table run(List<String> backends, Path workDir, CommitBench.Plan plan, PrintStream log)
      throws IOException {
    CommitBench.Probe probe = CommitBench.probe(workDir, plan.probeWarmup(), plan.probeSyncs());
    log.printf(
        Locale.ROOT,
        "  fsync probe: median %s ms, p99 %s ms (%d syncs, %s)%n",
        Table.ms(probe.medianMs()),
        Table.ms(probe.p99Ms()),
        probe.syncs(),
        probe.fileStore());
    List<Person> people = People20k.generate();
    List<Person> bulk = People20k.generate(plan.bulkPeople());
    List<String> names = new ArrayList<>(backends);
    List<Rates> results = new ArrayList<>();
    for (String name : names) {
      try (Backend b = Backend.of(name, workDir)) {
        log.println("commit on " + name + ":");
        results.add(measure(b, people, bulk, plan, log));
      }
    }
    Table t =
        new Table(
            "commit_backends",
            "commit per backend: durable writes, file store as baseline (×file = backend / file)",
            List.of(
                Table.Column.of("backend", "backend", Table.Format.TEXT),
                Table.Column.of("single_commits_per_s", "1 writer commits/s", Table.Format.NUMBER),
                Table.Column.of("single_x_file", "×file", Table.Format.RATIO),
                Table.Column.of(
                    "concurrent_commits_per_s",
                    CommitBench.WRITERS + " writers commits/s",
                    Table.Format.NUMBER),
                Table.Column.of("concurrent_x_file", "×file", Table.Format.RATIO),
                Table.Column.of("bulk_datoms_per_s", "bulk datoms/s", Table.Format.NUMBER),
                Table.Column.of("bulk_x_file", "×file", Table.Format.RATIO)));
    int fileRow = names.indexOf("file");
    Rates base = fileRow < 0 ? null : results.get(fileRow);
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Rates r = results.get(i);
      for (String w : r.why()) {
        reasons.add(names.get(i) + ": " + w);
      }
      t.row(
          names.get(i),
          r.single(),
          ratio(r.single(), base == null ? null : base.single()),
          r.concurrent(),
          ratio(r.concurrent(), base == null ? null : base.concurrent()),
          r.bulk(),
          ratio(r.bulk(), base == null ? null : base.bulk()));
    }
    t.note(
        String.format(
            Locale.ROOT,
            "fsync probe (4 KiB append + force, %s, %s): median %s ms = %,.0f syncs/s, p99 %s ms.",
            workDir.toAbsolutePath(),
            probe.fileStore(),
            Table.ms(probe.medianMs()),
            probe.syncsPerSec(),
            Table.ms(probe.p99Ms())));
    t.note(
        "1 writer: "
            + plan.commits()
            + " one-person transactions (5 datoms) after "
            + plan.commits() / 10
            + " warm-up; "
            + CommitBench.WRITERS
            + " writers: "
            + plan.perWriter()
            + " each on one connection; bulk: "
            + bulk.size()
            + " people in transactions of "
            + ScaleBench.BATCH
            + ".");
    t.note(
        "servers: PostgreSQL, MariaDB, Redis on this machine (loopback); s3 = s3proxy in this JVM"
            + " over an in-memory blob store (no network latency); memory is not durable.");
    if (base == null) {
      t.note("×file: not given, the file store was not among the backends run.");
    }
    reasons.forEach(t::note);
    return t;
  }

  private static Rates measure(
      Backend b, List<Person> people, List<Person> bulk, CommitBench.Plan plan, PrintStream log) {
    String unavailable = b.unavailable();
    List<String> why = new ArrayList<>();
    if (unavailable != null) {
      log.println("  skipped: " + unavailable);
      why.add("skipped (" + unavailable + ")");
      return new Rates("skipped", null, null, why);
    }
    Object single =
        rate(
            log,
            why,
            "1 writer",
            "commits/s",
            () ->
                DatahikeDurable.singleWriterCommitsPerSec(
                    b, people, plan.commits() / 10, plan.commits()));
    Object concurrent =
        rate(
            log,
            why,
            CommitBench.WRITERS + " writers",
            "commits/s",
            () ->
                DatahikeDurable.concurrentCommitsPerSec(
                    b, people, CommitBench.WRITERS, plan.perWriter()));
    Object bulkRate =
        rate(
            log,
            why,
            "bulk",
            "datoms/s",
            () -> DatahikeDurable.bulkLoadDatomsPerSec(b, bulk, ScaleBench.BATCH, 1, 1));
    return new Rates(single, concurrent, bulkRate, why);
  }

  @FunctionalInterface
  private interface Rate {
    double measure() throws Exception;
  }

  /** The measured rate as a Double, or "error" with the reason added to {@code why}. */
  private static Object rate(PrintStream log, List<String> why, String what, String unit, Rate r) {
    try {
      double v = r.measure();
      log.printf(Locale.ROOT, "  %s: %,.0f %s%n", what, v, unit);
      return v;
    } catch (Exception | LinkageError e) {
      log.println("  " + what + " failed:");
      e.printStackTrace(log);
      why.add(what + " " + People20kBench.errorStatus(e));
      return "error";
    }
  }

  /** {@code v / base} when both are figures, else null. */
  static Double ratio(Object v, Object base) {
    return v instanceof Double a && base instanceof Double b && b > 0 ? a / b : null;
  }
}
