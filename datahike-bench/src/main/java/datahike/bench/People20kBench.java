package datahike.bench;

import datahike.bench.People20k.Person;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The people20k suite: every op of PEOPLE20K.md section 4 on each harness, timed per section 5,
 * then one table with datahike ms, Datomic ms, their ratio and the DataScript reference figure.
 *
 * <p>Writes run op by op, each harness in turn; for queries every harness loads its db first, then
 * the queries run op by op, harness by harness. Across processes ({@code --runs N}) each child
 * process runs one harness and hands its figures back through {@link #writeChild}/{@link
 * #readChild}; the table then shows the median of the run medians and their range.
 */
final class People20kBench {
  /** Column names of the two measured systems, in table order. */
  static final List<String> SYSTEMS = List.of("datahike", "datomic");

  /** Write ops, in report order. */
  static final List<Op> WRITES = List.of(Op.INIT, Op.ADD_1, Op.ADD_5, Op.ADD_ALL, Op.RETRACT_5);

  /** Query ops, in report order. */
  static final List<Op> QUERIES =
      List.of(Op.Q1, Op.Q2, Op.Q2_SWITCH, Op.Q3, Op.Q4, Op.QPRED1, Op.QPRED2);

  /**
   * One figure of one harness for one row: ms per op with the range it comes with (the samples of
   * one run, or the run medians across processes), or a status such as {@code N/A}.
   */
  record Cell(double ms, double lo, double hi, double[] samples, int rows, String status) {
    static Cell of(Timing.Result r) {
      return new Cell(r.medianMs(), r.minMs(), r.maxMs(), r.samplesMs(), r.rows(), null);
    }

    static Cell status(String status) {
      return new Cell(Double.NaN, Double.NaN, Double.NaN, new double[0], -1, status);
    }

    boolean measured() {
      return status == null;
    }

    /** The figure for a table cell: the ms as a Double, or the status text. */
    Object value() {
      return measured() ? (Object) ms : status;
    }
  }

  /** Row label (op label plus target suffix) to harness name to cell, in report order. */
  static final class Results {
    final Map<String, Map<String, Cell>> rows = new LinkedHashMap<>();

    void put(String row, String harness, Cell c) {
      rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(harness, c);
    }

    Cell get(String row, String harness) {
      Map<String, Cell> m = rows.get(row);
      return m == null ? null : m.get(harness);
    }
  }

  private People20kBench() {}

  /** Measures every op on every harness in this process. */
  static Results measure(
      List<Harness> harnesses,
      Timing.Plan plan,
      List<Person> people,
      People20k.Check check,
      PrintStream log) {
    Results res = new Results();
    for (Op op : WRITES) {
      for (Harness h : harnesses) {
        String why = h.unsupported(op);
        Cell c;
        if (why != null) {
          c = Cell.status(why);
        } else {
          try {
            c = Cell.of(Timing.write(plan, () -> h.prepare(op, people)));
          } catch (Exception | AssertionError e) {
            c = failed(h, op.label(), e, log);
          }
        }
        res.put(op.label(), h.name(), c);
        progress(log, h.name(), op.label(), c);
      }
    }
    Map<Harness, List<Harness.QueryTarget>> dbs = new LinkedHashMap<>();
    for (Harness h : harnesses) {
      try {
        dbs.put(h, h.load(people, people.size()));
      } catch (Exception | AssertionError e) {
        Cell c = failed(h, "load", e, log);
        for (Op op : QUERIES) {
          res.put(op.label(), h.name(), c);
        }
      }
    }
    for (Op op : QUERIES) {
      for (Map.Entry<Harness, List<Harness.QueryTarget>> e : dbs.entrySet()) {
        Harness h = e.getKey();
        for (Harness.QueryTarget t : e.getValue()) {
          String row = op.label() + t.suffix();
          Cell c;
          try {
            c =
                Cell.of(
                    Timing.query(
                        plan, t.compile(op), op.expectedRows(check), h.name() + " " + row));
          } catch (Exception | AssertionError ex) {
            c = failed(h, row, ex, log);
          }
          res.put(row, h.name(), c);
          progress(log, h.name(), row, c);
        }
      }
    }
    for (List<Harness.QueryTarget> ts : dbs.values()) {
      for (Harness.QueryTarget t : ts) {
        try {
          t.close();
        } catch (RuntimeException e) {
          log.println("warning: closing a query db failed: " + e);
        }
      }
    }
    return res;
  }

  private static Cell failed(Harness h, String what, Throwable e, PrintStream log) {
    log.println(h.name() + " " + what + " failed:");
    e.printStackTrace(log);
    return Cell.status(errorStatus(e));
  }

  /** A table cell for a failure: {@code error (Class: first line of the message)}. */
  static String errorStatus(Throwable e) {
    Throwable shown =
        e instanceof DatahikeDurable.NotAvailable && e.getCause() != null ? e.getCause() : e;
    String msg =
        shown.getMessage() == null ? "" : ": " + shown.getMessage().lines().findFirst().orElse("");
    return "error (" + shown.getClass().getSimpleName() + msg + ")";
  }

  private static void progress(PrintStream log, String harness, String row, Cell c) {
    if (c.measured()) {
      log.printf(
          Locale.ROOT,
          "  %-9s %-18s %9s ms  [%s]%n",
          harness,
          row,
          Table.ms(c.ms()),
          Arrays.stream(c.samples()).mapToObj(Table::ms).collect(Collectors.joining(" ")));
    } else {
      log.printf(Locale.ROOT, "  %-9s %-18s %s%n", harness, row, c.status());
    }
  }

  /** The people20k table of {@code res}; {@code rangeNote} says what the ranges are. */
  static Table table(Results res, String title, String rangeNote) {
    Table t =
        new Table(
            "people20k",
            title,
            List.of(
                Table.Column.of("op", "op", Table.Format.TEXT),
                Table.Column.of("datahike_ms", "datahike ms", Table.Format.MS),
                Table.Column.of("datahike_range", "range", Table.Format.TEXT),
                Table.Column.of("datomic_ms", "Datomic ms", Table.Format.MS),
                Table.Column.of("datomic_range", "range", Table.Format.TEXT),
                Table.Column.of("ratio", "datahike/Datomic", Table.Format.RATIO),
                Table.Column.of(
                    "datascript_ref_ms", "DataScript ms (ref, not re-run)", Table.Format.TEXT),
                Table.Column.hidden("rows"),
                Table.Column.hidden("datahike_samples_ms"),
                Table.Column.hidden("datomic_samples_ms")));
    boolean novelty = false;
    List<Map.Entry<String, Map<String, Cell>>> ordered = new ArrayList<>();
    for (Map.Entry<String, Map<String, Cell>> e : res.rows.entrySet()) {
      if (e.getKey().indexOf('@') < 0) {
        ordered.add(e);
      }
    }
    for (Map.Entry<String, Map<String, Cell>> e : res.rows.entrySet()) {
      if (e.getKey().indexOf('@') >= 0) {
        ordered.add(e);
      }
    }
    for (Map.Entry<String, Map<String, Cell>> e : ordered) {
      String row = e.getKey();
      int at = row.indexOf('@');
      Op op = Op.ofLabel(at < 0 ? row : row.substring(0, at));
      Cell dh = e.getValue().get("datahike");
      if (dh == null && at >= 0) {
        dh = res.get(op.label(), "datahike");
        novelty = true;
      }
      Cell dt = e.getValue().get("datomic");
      dh = dh == null ? Cell.status("not run") : dh;
      dt = dt == null ? Cell.status("not run") : dt;
      Double ratio = dh.measured() && dt.measured() ? dh.ms() / dt.ms() : null;
      int rows = dh.measured() ? dh.rows() : dt.rows();
      t.row(
          row,
          dh.value(),
          dh.measured() ? Table.range(dh.lo(), dh.hi()) : null,
          dt.value(),
          dt.measured() ? Table.range(dt.lo(), dt.hi()) : null,
          ratio,
          at < 0 ? op.datascriptRef() : null,
          rows >= 0 ? (Object) rows : null,
          dh.samples(),
          dt.samples());
    }
    t.note("ms per op (median); ratio = datahike ms / Datomic ms (< 1: datahike faster).");
    t.note(rangeNote);
    t.note(
        "Datomic: peer "
            + BenchMain.DATOMIC_VERSION
            + ", datomic:mem://; q* on conn.db() after requestIndex+syncIndex (covering indexes).");
    if (novelty) {
      t.note(
          "@novelty: Datomic queried on the load tx's db-after (all 100k datoms in the memory"
              + " index, like the original db100k); datahike has one db, its figure is repeated.");
    }
    t.note(
        "DataScript: PEOPLE20K.md section 7 (1.8.1 npm on Node 20, median of 3 process runs and"
            + " their range), quoted as a rough third reference, not re-run.");
    return t;
  }

  /**
   * Writes a child process's results: one line per row and harness, {@code
   * row\tharness\tms\tsample,sample,...\trows} or {@code row\tharness\t!status}.
   */
  static void writeChild(Results res, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Map<String, Cell>> e : res.rows.entrySet()) {
      for (Map.Entry<String, Cell> h : e.getValue().entrySet()) {
        Cell c = h.getValue();
        sb.append(e.getKey()).append('\t').append(h.getKey()).append('\t');
        if (c.measured()) {
          sb.append(c.ms())
              .append('\t')
              .append(
                  Arrays.stream(c.samples())
                      .mapToObj(Double::toString)
                      .collect(Collectors.joining(",")))
              .append('\t')
              .append(c.rows());
        } else {
          sb.append('!').append(c.status().replace('\t', ' ').replace('\n', ' '));
        }
        sb.append('\n');
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** Adds one child run's results (see {@link #writeChild}) to {@code runs}. */
  static void readChild(Path file, Map<String, Map<String, List<Cell>>> runs) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Cell c;
      if (f[2].startsWith("!")) {
        c = Cell.status(f[2].substring(1));
      } else {
        double ms = Double.parseDouble(f[2]);
        double[] samples =
            f[3].isEmpty()
                ? new double[0]
                : Arrays.stream(f[3].split(",")).mapToDouble(Double::parseDouble).toArray();
        c = new Cell(ms, ms, ms, samples, Integer.parseInt(f[4]), null);
      }
      runs.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
          .computeIfAbsent(f[1], k -> new ArrayList<>())
          .add(c);
    }
  }

  /**
   * Combines per-process runs: the median of the run medians and the min–max of the run medians; a
   * row that failed or was unsupported in any run shows that run's status.
   */
  static Results combine(Map<String, Map<String, List<Cell>>> runs) {
    Results res = new Results();
    for (Map.Entry<String, Map<String, List<Cell>>> r : runs.entrySet()) {
      for (Map.Entry<String, List<Cell>> h : r.getValue().entrySet()) {
        List<Cell> cs = h.getValue();
        Cell bad = cs.stream().filter(c -> !c.measured()).findFirst().orElse(null);
        if (bad != null) {
          res.put(r.getKey(), h.getKey(), bad);
          continue;
        }
        double[] medians = cs.stream().mapToDouble(Cell::ms).toArray();
        res.put(
            r.getKey(),
            h.getKey(),
            new Cell(
                Timing.median(medians),
                Arrays.stream(medians).min().orElse(Double.NaN),
                Arrays.stream(medians).max().orElse(Double.NaN),
                medians,
                cs.get(0).rows(),
                null));
      }
    }
    return res;
  }
}
