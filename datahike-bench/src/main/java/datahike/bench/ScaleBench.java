package datahike.bench;

import datahike.bench.People20k.Person;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code scale} suite: the people workload at growing sizes (20k, 200k, 2M people; 5 datoms
 * each), per system: load rate, heap bytes per datom, and the latency of the people20k queries.
 *
 * <p>Data: {@link People20k#generate(int)} with the same seed and draw order at every size. Load:
 * transactions of {@link #BATCH} entity maps, timed as a whole. Memory: heap in use after full GCs,
 * with the loaded db reachable, minus the same before the load (the people list is already in
 * both); each system first loads and drops a small db so that its classes and caches are not
 * counted. Queries: {@link Timing#SCALE}; the Datomic db is indexed ({@code requestIndex} + {@code
 * syncIndex}) before querying, as in people20k.
 *
 * <p>Systems: datahike in memory, datahike on the durable file store (prints "not available yet"
 * until that store can be opened), Datomic peer in memory.
 */
final class ScaleBench {
  /** Entity maps per load transaction. */
  static final int BATCH = 10_000;

  /** Sizes of the full suite, in people. */
  static final List<Integer> FULL_SIZES = List.of(20_000, 200_000, 2_000_000);

  /** Index of the first query column of a row. */
  private static final int FIRST_QUERY_COLUMN = 6;

  /** Sizes of {@code --quick}. */
  static final List<Integer> QUICK_SIZES = List.of(20_000, 200_000);

  private ScaleBench() {}

  /** Runs the suite over {@code sizes} with the given harnesses and returns its table. */
  static Table run(
      List<Harness> harnesses, List<Integer> sizes, Timing.Plan plan, PrintStream log) {
    List<Table.Column> cols = new ArrayList<>();
    cols.add(Table.Column.of("people", "people", Table.Format.COUNT));
    cols.add(Table.Column.of("datoms", "datoms", Table.Format.COUNT));
    cols.add(Table.Column.of("system", "system", Table.Format.TEXT));
    cols.add(Table.Column.of("load_datoms_per_s", "load datoms/s", Table.Format.COUNT));
    cols.add(Table.Column.of("heap_bytes_per_datom", "heap B/datom", Table.Format.BYTES));
    cols.add(Table.Column.of("disk_bytes_per_datom", "disk B/datom", Table.Format.BYTES));
    for (Op q : People20kBench.QUERIES) {
      cols.add(Table.Column.of(q.label() + "_ms", q.label(), Table.Format.MS));
    }
    Table t = new Table("scale", "scale: people workload at growing sizes (ms per query)", cols);

    List<Harness> warmed = new ArrayList<>();
    for (int n : sizes) {
      List<Person> people = People20k.generate(n);
      People20k.Check check = People20k.check(people);
      for (Harness h : harnesses) {
        Object[] row = new Object[cols.size()];
        row[0] = n;
        row[1] = (long) n * People20k.ATTRS_PER_PERSON;
        row[2] = h.name();
        try {
          if (!warmed.contains(h)) {
            closeAll(h.load(People20k.generate(1000), BATCH));
            warmed.add(h);
          }
          measure(h, people, check, plan, row, log);
        } catch (OutOfMemoryError e) {
          fill(row, "OOM (-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m)");
        } catch (DatahikeDurable.NotAvailable e) {
          log.println("  " + h.name() + ": not available yet: " + e.getMessage());
          fill(row, "not available yet");
        } catch (Exception | LinkageError e) {
          log.println(h.name() + " scale " + n + " failed:");
          e.printStackTrace(log);
          fill(row, "error (" + e.getClass().getSimpleName() + ")");
        }
        t.row(row);
        log.printf(Locale.ROOT, "  %-13s %,10d people done%n", h.name(), n);
      }
    }
    t.note(
        "load: transactions of "
            + BATCH
            + " entity maps (Datomic: plus the index job it waits for); heap: used after GC, db"
            + " reachable.");
    t.note(
        "queries: median of "
            + plan.querySamples()
            + " samples of >= "
            + plan.querySampleMs()
            + " ms after "
            + plan.queryWarmupMs()
            + " ms warm-up; Datomic on its indexed db.");
    return t;
  }

  private static void measure(
      Harness h,
      List<Person> people,
      People20k.Check check,
      Timing.Plan plan,
      Object[] row,
      PrintStream log)
      throws Exception {
    long before = usedHeapAfterGc();
    long t0 = System.nanoTime();
    List<Harness.QueryTarget> targets = h.load(people, BATCH);
    double seconds = (System.nanoTime() - t0) / 1e9;
    try {
      long datoms = (long) people.size() * People20k.ATTRS_PER_PERSON;
      row[3] = Math.round(datoms / seconds);
      row[4] = (double) (usedHeapAfterGc() - before) / datoms;
      Harness.QueryTarget target = targets.get(0);
      long disk = target.diskBytes();
      row[5] = disk < 0 ? "in memory" : (Object) ((double) disk / datoms);
      for (int i = 0; i < People20kBench.QUERIES.size(); i++) {
        Op q = People20kBench.QUERIES.get(i);
        Timing.Result r =
            Timing.query(
                plan, target.compile(q), q.expectedRows(check), h.name() + " " + q.label());
        row[FIRST_QUERY_COLUMN + i] = r.medianMs();
      }
    } finally {
      closeAll(targets);
    }
  }

  /** Puts {@code status} in the first unmeasured cell; the rest stay empty. */
  private static void fill(Object[] row, String status) {
    for (int i = 3; i < row.length; i++) {
      if (row[i] == null) {
        row[i] = status;
        return;
      }
    }
  }

  private static void closeAll(List<Harness.QueryTarget> ts) {
    for (Harness.QueryTarget t : ts) {
      t.close();
    }
  }

  /** Heap in use after requesting full GCs until it stops shrinking (at most 5). */
  static long usedHeapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long u = mem.getHeapMemoryUsage().getUsed();
      if (u >= used * 0.99) {
        return Math.min(u, used);
      }
      used = u;
    }
    return used;
  }
}
