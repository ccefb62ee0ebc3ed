package datahike.bench;

import datahike.Database;
import datahike.Datahike;
import datahike.bench.DatahikeHarness.Db;
import datahike.bench.People20k.Person;
import datahike.edn.EdnReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench backends}: people20k's queries (q1 … qpred2) on each backend, cold and warm, the
 * file store as the baseline.
 *
 * <p>Per backend: a fresh database is loaded with people20k in one transaction (timed, the load
 * column), then for each query the connection is closed and a new one opened (the last connection
 * closing closes the database, so node caches start empty) and the first call is timed: the cold
 * figure, the median of {@link Plan#coldRuns} such reconnect-and-call rounds. The OS page cache and
 * the servers' own caches stay warm; an in-memory database stays in the JVM, so its "cold" is a
 * fresh connection only. Then each query is timed warm on one connection, as people20k does ({@link
 * Timing#query}). Every first call's row count is checked against the data.
 *
 * <p>Before the first backend an untimed pass over a file database of the same data runs every
 * query cold and warm, so the JIT has compiled the query and node-decoding paths and the first
 * backend measured (the baseline) is not penalised for going first.
 */
final class BackendQueryBench {
  /** Sampling of one run: cold rounds per query, then the warm {@link Timing.Plan}. */
  record Plan(String name, int coldRuns, Timing.Plan warm) {}

  /** The default: 3 cold rounds; 1 s warm-up and 5 samples of 200 ms per warm query. */
  static final Plan FULL = new Plan("full", 3, new Timing.Plan("backends", 0, 0, 1000, 5, 200));

  /** {@code --quick}: 1 cold round; 300 ms warm-up and 3 samples of 100 ms. */
  static final Plan QUICK =
      new Plan("quick", 1, new Timing.Plan("backends-quick", 0, 0, 300, 3, 100));

  /** One backend's figures: load seconds and ms per query, cold and warm; or why there are none. */
  private record Row(
      String status, double loadSeconds, Object[] cold, Object[] warm, List<String> why) {
    static Row skipped(String status, String why) {
      return new Row(status, Double.NaN, null, null, List.of(why));
    }
  }

  private BackendQueryBench() {}

  /** Runs the suite on {@code backends}; returns the cold and the warm table. */
  static List<Table> run(
      List<String> backends,
      Path workDir,
      Plan plan,
      List<Person> people,
      People20k.Check check,
      PrintStream log) {
    warmUp(workDir, plan, people, check, log);
    Map<String, Row> rows = new LinkedHashMap<>();
    List<Backend> opened = new ArrayList<>();
    Map<String, Db> dbs = new LinkedHashMap<>();
    try {
      for (String name : backends) {
        log.println("load and cold queries on " + name + ":");
        Backend b = Backend.of(name, workDir);
        opened.add(b);
        Db db = null;
        try {
          String why = b.unavailable();
          if (why != null) {
            log.println("  skipped: " + why);
            rows.put(name, Row.skipped("skipped", "skipped (" + why + ")"));
            continue;
          }
          db = DatahikeHarness.open(b);
          rows.put(name, loadAndCold(db, plan, people, check, log));
          dbs.put(name, db);
        } catch (Exception | LinkageError e) {
          log.println("  " + name + " failed:");
          e.printStackTrace(log);
          rows.put(name, Row.skipped("error", People20kBench.errorStatus(e)));
          if (db != null) {
            db.close();
          }
        }
      }
      warm(dbs, rows, plan, check, log);
    } finally {
      for (Db db : dbs.values()) {
        db.close();
      }
      for (Backend b : opened) {
        b.close();
      }
    }
    String sampling =
        "cold: median of "
            + plan.coldRuns()
            + " reconnect-and-first-call rounds; warm: median of "
            + plan.warm().querySamples()
            + " samples of >= "
            + plan.warm().querySampleMs()
            + " ms after "
            + plan.warm().queryWarmupMs()
            + " ms warm-up.";
    return List.of(
        table(
            rows,
            true,
            "queries per backend, cold (ms; first call on a fresh connection)",
            sampling),
        table(rows, false, "queries per backend, warm (ms)", sampling));
  }

  /**
   * Untimed: the whole measurement once on a file database of the same data, so that the JIT has
   * compiled the query and node-decoding paths before the first backend is timed.
   */
  private static void warmUp(
      Path workDir, Plan plan, List<Person> people, People20k.Check check, PrintStream log) {
    log.println("warm-up (untimed) on a file database:");
    try (Backend b = LocalBackend.file(workDir);
        Db db = DatahikeHarness.open(b)) {
      load(db, people);
      for (int round = 0; round < 3; round++) {
        for (Op q : People20kBench.QUERIES) {
          db.reconnect();
          call(db, q).run();
        }
      }
      for (Op q : People20kBench.QUERIES) {
        Timing.query(plan.warm(), call(db, q), q.expectedRows(check), "warm-up " + q.label());
      }
    } catch (Exception e) {
      log.println("  warm-up failed (figures of the first backend may include JIT time): " + e);
    }
  }

  /** Loads {@code people} into {@code db} (timed) and runs every query cold. */
  private static Row loadAndCold(
      Db db, Plan plan, List<Person> people, People20k.Check check, PrintStream log) {
    long t0 = System.nanoTime();
    load(db, people);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    log.printf(Locale.ROOT, "  load: %.2f s%n", loadSeconds);
    int n = People20kBench.QUERIES.size();
    Object[] cold = new Object[n];
    List<String> why = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Op q = People20kBench.QUERIES.get(i);
      try {
        cold[i] = cold(db, q, plan.coldRuns(), q.expectedRows(check));
      } catch (Exception | AssertionError e) {
        log.println("  " + q.label() + " cold failed: " + e);
        why.add(q.label() + " cold " + People20kBench.errorStatus(e));
        cold[i] = "error";
      }
      log.printf(
          Locale.ROOT, "  %-9s cold %9s ms%n", q.label(), Table.format(cold[i], Table.Format.MS));
    }
    return new Row(null, loadSeconds, cold, new Object[n], why);
  }

  /**
   * Every query warm on every loaded database, interleaved query by query (as people20k does across
   * harnesses), so that drift in the machine's load or the JIT does not favour one backend.
   */
  private static void warm(
      Map<String, Db> dbs,
      Map<String, Row> rows,
      Plan plan,
      People20k.Check check,
      PrintStream log) {
    for (Db db : dbs.values()) {
      db.reconnect(); // the cold rounds' last connection has only that query's nodes cached
    }
    for (int i = 0; i < People20kBench.QUERIES.size(); i++) {
      Op q = People20kBench.QUERIES.get(i);
      for (Map.Entry<String, Db> e : dbs.entrySet()) {
        Row r = rows.get(e.getKey());
        try {
          r.warm()[i] =
              Timing.query(
                      plan.warm(),
                      call(e.getValue(), q),
                      q.expectedRows(check),
                      e.getKey() + " " + q.label())
                  .medianMs();
        } catch (Exception | AssertionError ex) {
          log.println("  " + e.getKey() + " " + q.label() + " warm failed: " + ex);
          r.why().add(q.label() + " warm " + People20kBench.errorStatus(ex));
          r.warm()[i] = "error";
        }
        log.printf(
            Locale.ROOT,
            "  %-10s %-9s warm %9s ms%n",
            e.getKey(),
            q.label(),
            Table.format(r.warm()[i], Table.Format.MS));
      }
    }
  }

  /** The median ms of {@code runs} rounds of: reconnect (untimed), first call of {@code q}. */
  private static double cold(Db db, Op q, int runs, int expectedRows) throws Exception {
    double[] ms = new double[runs];
    for (int r = 0; r < runs; r++) {
      db.reconnect();
      Harness.QueryCall c = call(db, q);
      long t0 = System.nanoTime();
      int rows = c.run();
      ms[r] = (System.nanoTime() - t0) / 1e6;
      if (expectedRows >= 0 && rows != expectedRows) {
        throw new IllegalStateException(
            q.label() + " returned " + rows + " rows, expected " + expectedRows);
      }
    }
    return Timing.median(ms);
  }

  /** {@code q} on the current value of {@code db}'s connection; parsing happens here, untimed. */
  private static Harness.QueryCall call(Db db, Op q) {
    Object form = EdnReader.read(q.query());
    Object[] in = q.inputs();
    Object[] args = new Object[in.length + 1];
    Database value = db.conn.db();
    args[0] = value;
    System.arraycopy(in, 0, args, 1, in.length);
    return () -> {
      Set<List<Object>> rows = Datahike.q(form, args);
      return rows.size();
    };
  }

  /** Loads {@code people} in one transaction, as people20k's query databases are loaded. */
  private static void load(Db db, List<Person> people) {
    List<Object> tx = new ArrayList<>(people.size());
    for (Person p : people) {
      tx.add(DatahikeHarness.entityMap(p));
    }
    db.conn.transact(tx);
  }

  private static Table table(Map<String, Row> rows, boolean cold, String title, String sampling) {
    List<Table.Column> cols = new ArrayList<>();
    cols.add(Table.Column.of("backend", "backend", Table.Format.TEXT));
    if (cold) {
      cols.add(Table.Column.of("load_s", "load s", Table.Format.MS));
    }
    for (Op q : People20kBench.QUERIES) {
      cols.add(Table.Column.of(q.label() + "_ms", q.label(), Table.Format.MS));
    }
    cols.add(Table.Column.of("geomean_x_file", "×file", Table.Format.RATIO));
    Table t = new Table(cold ? "backends_cold" : "backends_warm", title, cols);
    Row base = rows.get("file");
    List<String> reasons = new ArrayList<>();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      for (String w : r.why()) {
        reasons.add(e.getKey() + ": " + w);
      }
      List<Object> cells = new ArrayList<>();
      cells.add(e.getKey());
      if (r.status() != null) {
        cells.add(r.status());
        while (cells.size() < cols.size()) {
          cells.add(null);
        }
        t.row(cells.toArray());
        continue;
      }
      if (cold) {
        cells.add(r.loadSeconds());
      }
      Object[] ms = cold ? r.cold() : r.warm();
      cells.addAll(Arrays.asList(ms));
      Object[] baseMs =
          base == null || base.status() != null ? null : cold ? base.cold() : base.warm();
      cells.add(geomeanRatio(ms, baseMs));
      t.row(cells.toArray());
    }
    t.note(
        "people20k (20,000 people, 100,000 datoms) loaded in one transaction per backend;"
            + " row counts checked.");
    t.note(sampling);
    t.note(
        "×file: geometric mean over the queries of backend ms / file ms (> 1: slower than the"
            + " file store).");
    if (cold) {
      t.note(
          "cold: node caches empty (database closed and reopened), OS page cache and servers'"
              + " caches warm; memory stays in the JVM, so its cold is a fresh connection only.");
    }
    reasons.forEach(t::note);
    return t;
  }

  /** The geometric mean of {@code ms[i] / base[i]} over the queries both measured; null if none. */
  static Double geomeanRatio(Object[] ms, Object[] base) {
    if (base == null) {
      return null;
    }
    double logSum = 0;
    int n = 0;
    for (int i = 0; i < ms.length; i++) {
      if (ms[i] instanceof Double a && base[i] instanceof Double b && a > 0 && b > 0) {
        logSum += Math.log(a / b);
        n++;
      }
    }
    return n == 0 ? null : Math.exp(logSum / n);
  }
}
