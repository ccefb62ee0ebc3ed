package datahike.bench;

/**
 * The operations of the people20k workload (PEOPLE20K.md section 4), in report order.
 *
 * <p>Writes start each iteration from a fresh empty database with the schema; queries run against
 * one database loaded by {@code add-all}. A query carries its EDN text and its inputs after the
 * database; the expected result size depends on the data, see {@link #expectedRows}.
 */
enum Op {
  INIT("init", null, "249 (240–282)"),
  ADD_1("add-1", null, "1447 (1427–1660)"),
  ADD_5("add-5", null, "1175 (1157–1215)"),
  ADD_ALL("add-all", null, "1362 (1329–1914)"),
  RETRACT_5("retract-5", null, "1048 (952–1100)"),
  Q1("q1", "[:find ?e :where [?e :name \"Ivan\"]]", "6.68 (5.33–7.71)"),
  Q2("q2", "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a]]", "10.9 (9.83–13.3)"),
  Q2_SWITCH(
      "q2-switch", "[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]", "16.4 (15.6–17.0)"),
  Q3(
      "q3",
      "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a] [?e :sex :male]]",
      "14.6 (13.5–18.4)"),
  Q4(
      "q4",
      "[:find ?e ?l ?a :where [?e :name \"Ivan\"] [?e :last-name ?l] [?e :age ?a]"
          + " [?e :sex :male]]",
      "20.3 (19.1–31.7)"),
  QPRED1("qpred1", "[:find ?e ?s :where [?e :salary ?s] [(> ?s 50000)]]", "38.2 (37.9–61.6)"),
  QPRED2(
      "qpred2",
      "[:find ?e ?s :in $ ?min_s :where [?e :salary ?s] [(> ?s ?min_s)]]",
      "44.0 (43.2–48.5)");

  /** The {@code ?min_s} input of {@code qpred2}. */
  static final long MIN_SALARY = 50_000L;

  private final String label;
  private final String query;
  private final String datascriptRef;

  Op(String label, String query, String datascriptRef) {
    this.label = label;
    this.query = query;
    this.datascriptRef = datascriptRef;
  }

  /** The name used in PEOPLE20K.md, the table and the JSON. */
  String label() {
    return label;
  }

  /** True for the query operations. */
  boolean isQuery() {
    return query != null;
  }

  /** The query as EDN text; null for writes. */
  String query() {
    return query;
  }

  /** The inputs after the database, as Java values ({@code qpred2}: the minimum salary). */
  Object[] inputs() {
    return this == QPRED2 ? new Object[] {MIN_SALARY} : new Object[0];
  }

  /**
   * DataScript 1.8.1 (npm, Node 20) figure of PEOPLE20K.md section 7, ms per op: median of three
   * process runs and the range of the run medians. A reference only, never re-run here.
   */
  String datascriptRef() {
    return datascriptRef;
  }

  /** The expected number of result rows for the data summarized by {@code c}; -1 for writes. */
  int expectedRows(People20k.Check c) {
    return switch (this) {
      case Q1, Q2, Q2_SWITCH -> c.ivan();
      case Q3, Q4 -> c.ivanMale();
      case QPRED1, QPRED2 -> c.salaryOver50k();
      default -> -1;
    };
  }

  /** The op with this label, or an exception naming it. */
  static Op ofLabel(String label) {
    for (Op op : values()) {
      if (op.label.equals(label)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown people20k op: " + label);
  }
}
