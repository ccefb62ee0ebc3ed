package datahike.conformance;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.DatahikeException;
import datahike.Datahike;
import datahike.Datom;
import datahike.Entity;
import datahike.TxReport;
import datahike.db.DbBuilder;
import datahike.db.DbValue;
import datahike.db.EdnTags;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the EDN conformance cases (FORMAT.md in the shared conformance directory): builds each
 * case's database, runs its steps through the public API, and compares results. Every case is
 * treated alike; nothing depends on a case's id.
 *
 * <p>By default a case's databases are immutable values built in memory and its transactions are
 * {@code with}. {@link #connected(Map)} runs the same cases through {@link Datahike#connect}
 * instead, against any configuration: a fresh database per case, created, transacted and deleted
 * through the public API (with {@code :remote-peer} in the configuration, on a server).
 */
public final class ConformanceRunner {
  private static final Keyword OP = Keyword.of("op");
  private static final Keyword ID = Keyword.of("id");
  private static final Keyword CONFIG = Keyword.of("config");
  private static final Keyword SCHEMA = Keyword.of("schema");
  private static final Keyword TX = Keyword.of("tx");
  private static final Keyword DBS = Keyword.of("dbs");
  private static final Keyword STEPS = Keyword.of("steps");
  private static final Keyword EXPECT = Keyword.of("expect");
  private static final Keyword CMP = Keyword.of("cmp");
  private static final Keyword EXPECT_ERROR = Keyword.of("expect-error");
  private static final Keyword ERROR_CONTAINS = Keyword.of("error-contains");
  private static final Keyword DB = Keyword.of("db");
  private static final Keyword VIEWS = Keyword.of("views");
  private static final Keyword TX_META = Keyword.of("tx-meta");
  private static final Keyword EXPECT_TEMPIDS = Keyword.of("expect-tempids");
  private static final Keyword EXPECT_TX_DATA = Keyword.of("expect-tx-data");
  private static final Keyword THEN = Keyword.of("then");
  private static final Keyword CURRENT_TX = Keyword.of("db/current-tx");
  private static final Keyword TX_INSTANT = Keyword.of("db/txInstant");
  private static final Symbol TX_SYM = Symbol.of("tx");
  private static final Symbol DOLLAR = Symbol.of("$");

  static {
    // In connected runs against another process this registers here only; that server needs
    // ConformanceFunctions in its :plugins.
    new ConformanceFunctions().register();
  }

  /** Extra configuration of connected runs (e.g. {@code :remote-peer}); null for value runs. */
  private final Map<Keyword, Object> connected;

  /** Runs cases on database values built in memory. */
  public ConformanceRunner() {
    this.connected = null;
  }

  private ConformanceRunner(Map<Keyword, Object> connected) {
    this.connected = connected;
  }

  /**
   * Runs cases through connections: each database of a case is created by {@link
   * Datahike#createDatabase} from a fresh in-memory store configuration with the case's settings
   * and {@code :schema}, plus {@code extra} (such as {@code :remote-peer {...}}); its transactions
   * go through {@link datahike.Connection#transact}; it is deleted after the case.
   */
  public static ConformanceRunner connected(Map<Keyword, Object> extra) {
    return new ConformanceRunner(new LinkedHashMap<>(extra));
  }

  /** All {@code .edn} files under the given files or directories, sorted. */
  public static List<Path> caseFiles(List<Path> roots) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path r : roots) {
      if (Files.isDirectory(r)) {
        try (Stream<Path> s = Files.walk(r)) {
          s.filter(p -> p.toString().endsWith(".edn")).sorted().forEach(files::add);
        }
      } else {
        files.add(r);
      }
    }
    return files;
  }

  /** Counts of one run. */
  public record Summary(int passed, int failed, int skipped, List<CaseResult> results) {}

  /**
   * Runs every case under {@code roots}, printing one line per failing case (id, step, expected
   * vs actual) to {@code out}, then the closing line {@code N passed, N failed, N skipped}.
   */
  public Summary runAll(List<Path> roots, java.io.PrintStream out) throws IOException {
    List<CaseResult> results = new ArrayList<>();
    int passed = 0;
    int failed = 0;
    for (Path f : caseFiles(roots)) {
      for (Map<Keyword, Object> c : readCases(f)) {
        CaseResult r = run(c);
        results.add(r);
        if (r.passed()) {
          passed++;
        } else {
          failed++;
          if (out != null) out.println("FAIL " + r.id() + " step " + r.step() + ": " + r.message());
        }
      }
    }
    if (out != null) out.println(passed + " passed, " + failed + " failed, 0 skipped");
    return new Summary(passed, failed, 0, results);
  }

  /** The cases of one file. */
  @SuppressWarnings("unchecked")
  public static List<Map<Keyword, Object>> readCases(Path file) throws IOException {
    Object o = EdnReader.read(Files.readString(file, StandardCharsets.UTF_8), EdnTags.READERS);
    return (List<Map<Keyword, Object>>) o;
  }

  /** Runs one case. */
  public CaseResult run(Map<Keyword, Object> c) {
    String id = String.valueOf(c.get(ID));
    CaseRun run = new CaseRun(c, connected);
    try {
      return run.execute(id);
    } finally {
      run.cleanUp();
    }
  }

  /** The state of one running case. */
  private static final class CaseRun {
    final Map<Keyword, Object> c;
    final Map<?, ?> caseCfg;
    final DbValue.DbFlags flags;
    final Map<Keyword, Object> connected;
    final List<Connection> conns = new ArrayList<>();
    final List<Config> created = new ArrayList<>();
    Connection conn;
    Database db;
    final Map<Object, Database> extra = new LinkedHashMap<>();
    final List<Long> stepTx = new ArrayList<>();
    Long lastTx;
    int withDepth;

    CaseRun(Map<Keyword, Object> c, Map<Keyword, Object> connected) {
      this.c = c;
      this.connected = connected;
      Map<?, ?> cfg = c.get(CONFIG) instanceof Map<?, ?> m ? m : Map.of();
      this.caseCfg = cfg;
      boolean read = Keyword.of("read").equals(cfg.get(Keyword.of("schema-flexibility")));
      Object kh = cfg.get(Keyword.of("keep-history?"));
      boolean keep = kh == null || Boolean.TRUE.equals(kh);
      boolean refs = Boolean.TRUE.equals(cfg.get(Keyword.of("attribute-refs?")));
      this.flags = new DbValue.DbFlags(keep, refs, read);
    }

    /** A case database: a value, or in connected runs a connection's (set as {@link #conn}). */
    Database build(Map<?, ?> spec) {
      if (connected != null) {
        Connection cn = connect(spec.get(SCHEMA));
        Object txs = spec.get(TX);
        if (txs instanceof List<?> l) for (Object tx : l) cn.transact(tx);
        conn = cn;
        return cn.db();
      }
      Database d = Database.wrap(DbBuilder.empty(flags, (Map<?, ?>) spec.get(SCHEMA)));
      Object txs = spec.get(TX);
      if (txs instanceof List<?> l) for (Object tx : l) d = d.with(tx).dbAfter();
      return d;
    }

    /** A fresh database with the case's settings, created and connected through the public API. */
    private Connection connect(Object schema) {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      Map<Keyword, Object> store = new LinkedHashMap<>();
      store.put(Keyword.of("backend"), Keyword.of("memory"));
      store.put(Keyword.of("id"), "conformance-" + UUID.randomUUID());
      m.put(Keyword.of("store"), store);
      for (String k : List.of("schema-flexibility", "keep-history?", "attribute-refs?")) {
        Object v = caseCfg.get(Keyword.of(k));
        if (v != null) m.put(Keyword.of(k), v);
      }
      if (schema != null) m.put(SCHEMA, schema);
      m.putAll(connected);
      Config cfg = Config.of(m);
      Datahike.createDatabase(cfg);
      created.add(cfg);
      Connection cn = Datahike.connect(cfg);
      conns.add(cn);
      return cn;
    }

    void cleanUp() {
      for (Connection cn : conns) cn.close();
      for (Config cfg : created) {
        try {
          Datahike.deleteDatabase(cfg);
        } catch (DatahikeException e) {
          // Gone already (a server that went away takes its in-memory databases along).
        }
      }
    }

    CaseResult execute(String id) {
      int step = -1;
      try {
        if (c.get(DBS) instanceof Map<?, ?> dbs) {
          for (Map.Entry<?, ?> en : dbs.entrySet()) extra.put(en.getKey(), build((Map<?, ?>) en.getValue()));
        }
        db = build(c);
        List<?> steps = (List<?>) c.get(STEPS);
        if (steps == null) steps = List.of();
        for (step = 0; step < steps.size(); step++) {
          lastTx = null;
          String failure = runStep((Map<?, ?>) steps.get(step));
          stepTx.add(lastTx);
          if (failure != null) return new CaseResult(id, false, step, failure);
        }
        return new CaseResult(id, true, -1, null);
      } catch (RuntimeException | StackOverflowError e) {
        return new CaseResult(id, false, step, "unexpected " + describe(e));
      }
    }

    private String runStep(Map<?, ?> s) {
      Object op = s.get(OP);
      boolean expectError = Boolean.TRUE.equals(s.get(EXPECT_ERROR));
      Object result;
      try {
        result = perform(op, s);
      } catch (DatahikeException e) {
        if (!expectError) return "threw " + describe(e);
        Object frag = s.get(ERROR_CONTAINS);
        if (frag != null && (e.getMessage() == null || !e.getMessage().contains(frag.toString()))) {
          return "error message " + pr(e.getMessage()) + " lacks " + pr(frag);
        }
        return null;
      } catch (RuntimeException e) {
        return "threw " + describe(e);
      }
      if (expectError) return "expected an error, got " + pr(Compare.normalize(result));
      if (result instanceof StepFailure f) return f.message;
      return check(s, result);
    }

    private record StepFailure(String message) {}

    private Object perform(Object op, Map<?, ?> s) {
      String name = ((Keyword) op).name();
      switch (name) {
        case "transact":
          {
            // Connected runs commit; inside a :with, a transaction builds on the with's value.
            TxReport r =
                conn != null && withDepth == 0
                    ? conn.transact(s.get(TX), meta(s))
                    : db.with(s.get(TX), meta(s));
            String f = checkReport(s, r);
            db = r.dbAfter();
            lastTx = r.tx();
            return f == null ? null : new StepFailure(f);
          }
        case "with":
          {
            TxReport r = db.with(s.get(TX), meta(s));
            String f = checkReport(s, r);
            if (f != null) return new StepFailure(f);
            Database saved = db;
            db = r.dbAfter();
            withDepth++;
            try {
              List<?> then = (List<?>) s.get(THEN);
              if (then != null) {
                for (int i = 0; i < then.size(); i++) {
                  String ff = runStep((Map<?, ?>) then.get(i));
                  if (ff != null) return new StepFailure(":then step " + i + ": " + ff);
                }
              }
            } finally {
              withDepth--;
              db = saved;
            }
            return null;
          }
        case "q":
          {
            Database view = view(s.get(DB));
            List<Object> args = new ArrayList<>();
            Map<?, ?> views = s.get(VIEWS) instanceof Map<?, ?> m ? m : Map.of();
            Object argSpec = s.get(Keyword.of("args"));
            if (argSpec instanceof List<?> l) {
              for (Object a : l) {
                if (a == DOLLAR) args.add(view);
                else if (a instanceof Symbol sym && views.containsKey(sym)) args.add(view(views.get(sym)));
                else if (a instanceof Map<?, ?> m && m.size() == 1 && m.get(DB) != null && extra.containsKey(m.get(DB))) {
                  args.add(extra.get(m.get(DB)));
                } else args.add(a);
              }
            }
            Object offset = s.get(Keyword.of("offset"));
            Object limit = s.get(Keyword.of("limit"));
            if (offset == null && limit == null) return Datahike.q(s.get(Keyword.of("query")), args.toArray());
            Map<Keyword, Object> q = new LinkedHashMap<>();
            q.put(Keyword.of("query"), s.get(Keyword.of("query")));
            q.put(Keyword.of("args"), args);
            if (offset != null) q.put(Keyword.of("offset"), offset);
            if (limit != null) q.put(Keyword.of("limit"), limit);
            return Datahike.q(q);
          }
        case "datoms":
        case "seek-datoms":
          {
            Database view = view(s.get(DB));
            List<?> comps = s.get(Keyword.of("components")) instanceof List<?> l ? l : List.of();
            Object[] cs = comps.toArray();
            List<Datom> ds =
                name.equals("datoms")
                    ? view.datoms(s.get(Keyword.of("index")), cs)
                    : view.seekDatoms(s.get(Keyword.of("index")), cs);
            if (Boolean.TRUE.equals(s.get(Keyword.of("skip-tx-datoms")))) {
              List<Datom> kept = new ArrayList<>();
              for (Datom d : ds) if (d.e() <= DbValue.TX0) kept.add(d);
              ds = kept;
            }
            return ds;
          }
        case "index-range":
          return view(s.get(DB))
              .indexRange(s.get(Keyword.of("attrid")), s.get(Keyword.of("start")), s.get(Keyword.of("end")));
        case "entity":
          {
            Database view = view(s.get(DB));
            Entity e = view.entity(s.get(Keyword.of("eid")));
            Object attr = s.get(Keyword.of("attr"));
            if (e == null) return null;
            if (attr != null) return e.get(attr);
            return Boolean.TRUE.equals(s.get(Keyword.of("touch"))) ? e.touch() : e.toMap();
          }
        case "pull":
          return view(s.get(DB)).pull(s.get(Keyword.of("selector")), s.get(Keyword.of("eid")));
        case "pull-many":
          return view(s.get(DB)).pullMany(s.get(Keyword.of("selector")), (List<?>) s.get(Keyword.of("eids")));
        default:
          throw new IllegalArgumentException("unknown step op " + op);
      }
    }

    @SuppressWarnings("unchecked")
    private static Map<Keyword, Object> meta(Map<?, ?> s) {
      return (Map<Keyword, Object>) s.get(TX_META);
    }

    private String checkReport(Map<?, ?> s, TxReport r) {
      Object et = s.get(EXPECT_TEMPIDS);
      if (et instanceof Map<?, ?> expected) {
        Map<Object, Object> actual = new LinkedHashMap<>();
        for (Map.Entry<Object, Long> en : r.tempids().entrySet()) {
          if (en.getKey() == CURRENT_TX && !expected.containsKey(CURRENT_TX)) continue;
          actual.put(Compare.normalize(en.getKey()), en.getValue());
        }
        Object exp = Compare.normalize(expected);
        if (!Compare.same(exp, actual)) return "tempids: expected " + pr(exp) + ", got " + pr(actual);
      }
      Object etd = s.get(EXPECT_TX_DATA);
      if (etd instanceof List<?> expected) {
        long tx = r.tx();
        boolean mentionsInstant = mentions(expected, TX_INSTANT) || (flags.attributeRefs() && mentionsAttr9(expected));
        List<Object> exp = new ArrayList<>();
        for (Object d : expected) exp.add(Compare.normalize(replaceTx(d, tx)));
        List<Object> act = new ArrayList<>();
        for (Datom d : r.txData()) {
          Object a = d.attr();
          boolean instant = a == TX_INSTANT || (flags.attributeRefs() && Long.valueOf(9).equals(a));
          if (instant && !mentionsInstant) continue;
          act.add(Compare.normalize(d));
        }
        boolean exact = Keyword.of("exact").equals(s.get(CMP));
        if (!Compare.datoms(exp, act, exact)) return "tx-data: expected " + pr(exp) + ", got " + pr(act);
      }
      return null;
    }

    private static boolean mentions(Object o, Object x) {
      if (o == x) return true;
      if (o instanceof Collection<?> c) for (Object y : c) if (mentions(y, x)) return true;
      return false;
    }

    private static boolean mentionsAttr9(List<?> expected) {
      for (Object d : expected) if (d instanceof List<?> l && l.size() > 1 && Long.valueOf(9).equals(l.get(1))) return true;
      return false;
    }

    private static Object replaceTx(Object o, long tx) {
      if (o == TX_SYM) return tx;
      if (o instanceof List<?> l) {
        List<Object> r = new ArrayList<>();
        for (Object x : l) r.add(replaceTx(x, tx));
        return r;
      }
      return o;
    }

    private String check(Map<?, ?> s, Object result) {
      if (!s.containsKey(EXPECT)) return null;
      Object expected = Compare.normalize(s.get(EXPECT));
      Object actual = Compare.normalize(result);
      String op = ((Keyword) s.get(OP)).name();
      Object cmp = s.get(CMP);
      String mode = cmp instanceof Keyword k ? k.name() : null;
      boolean ok;
      if (op.equals("datoms") || op.equals("seek-datoms") || op.equals("index-range")) {
        if ("count".equals(mode)) {
          ok = actual instanceof Collection<?> ac && ((Number) expected).longValue() == ac.size();
        } else {
          ok = actual instanceof List<?> al && expected instanceof List<?> el
              && (mode == null || mode.equals("exact")
                  ? Compare.datoms(el, al, true)
                  : el.size() <= al.size() && Compare.datoms(el, al, false));
        }
      } else if (mode == null || mode.equals("exact")) {
        ok = Compare.same(expected, actual);
      } else if (mode.equals("set")) {
        ok = actual instanceof Collection<?> ac && expected instanceof Collection<?> ec && Compare.sameSet(ec, ac);
      } else if (mode.equals("bag")) {
        ok = actual instanceof Collection<?> ac && expected instanceof Collection<?> ec
            && Compare.sameBag(new ArrayList<>(ec), new ArrayList<>(ac));
      } else if (mode.equals("one-of")) {
        ok = false;
        for (Object e : (Collection<?>) expected) ok |= Compare.same(e, actual);
      } else if (mode.equals("count")) {
        ok = actual instanceof Collection<?> ac && ((Number) expected).longValue() == ac.size();
      } else {
        return "unknown :cmp " + mode;
      }
      return ok ? null : "expected " + pr(expected) + ", got " + pr(actual);
    }

    /** The case's database through the views of a {@code :db} value. */
    private Database view(Object spec) {
      Database d = db;
      if (spec == null) return d;
      return applyView(d, spec);
    }

    private Database applyView(Database d, Object spec) {
      if (spec instanceof Keyword k) {
        if (k.name().equals("history")) return d.history();
        throw new IllegalArgumentException("unknown view " + k);
      }
      if (spec instanceof List<?> l && !l.isEmpty()) {
        Object head = l.get(0);
        if (head instanceof Keyword k && (k.name().equals("as-of") || k.name().equals("since"))) {
          Object t = timePoint(l.get(1));
          return k.name().equals("as-of") ? d.asOf(t) : d.since(t);
        }
        for (Object v : l) d = applyView(d, v);
        return d;
      }
      throw new IllegalArgumentException("unknown view " + spec);
    }

    private Object timePoint(Object t) {
      if (t instanceof Date) return t;
      if (t instanceof Map<?, ?> m && m.get(TX) instanceof Number n) return n.longValue();
      if (t instanceof Number n) {
        long v = n.longValue();
        if (v >= DbValue.TX0) return v;
        Long tx = stepTx.get((int) v);
        if (tx == null) throw new IllegalArgumentException("step " + v + " is not a transact step");
        return tx;
      }
      throw new IllegalArgumentException("bad time point " + t);
    }
  }

  static String describe(Throwable e) {
    if (e instanceof DatahikeException d) return d.code() + " " + d.getMessage();
    StackTraceElement[] st = e.getStackTrace();
    return e + (st.length > 0 ? " at " + st[0] : "");
  }

  static String pr(Object o) {
    try {
      String s = EdnPrinter.print(o);
      return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    } catch (RuntimeException e) {
      return String.valueOf(o);
    }
  }
}
