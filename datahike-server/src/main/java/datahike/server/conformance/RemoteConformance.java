package datahike.server.conformance;

import datahike.Config;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.conformance.ConformanceRunner;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.server.client.RemoteConnection;
import datahike.server.client.RemoteDatabase;
import datahike.server.client.RemoteDatahike;
import datahike.server.client.RemoteTxReport;
import datahike.server.codec.Format;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the shared conformance corpus (FORMAT.md) through the remote client against a live server:
 * each case gets its own database on the server, created with the case's configuration; its {@code
 * :tx} and {@code :transact} steps go through {@link RemoteConnection#transact}, its reads through
 * {@link RemoteDatabase} and {@link RemoteConnection#q}. Cases are read with the core runner's
 * {@link ConformanceRunner#readCases}, compared by the same rules.
 *
 * <p>Skipped, with the reason in the result: cases whose database needs a {@code :schema} map at
 * creation while the server's core does not take one in the configuration (probed once), and entity
 * steps that need a lazy entity ({@code :touch}, reverse attributes), which cannot cross the wire
 * ({@link RemoteDatabase#entity} answers the attribute map).
 *
 * <p>Command line: {@code RemoteConformance --url http://127.0.0.1:4444 --token T [--format
 * transit|json|edn] DIR...}; the server needs {@code :allow-create true}.
 */
public final class RemoteConformance {
  private static final Keyword OP = Keyword.of("op");
  private static final Keyword ID = Keyword.of("id");
  private static final Keyword CONFIG = Keyword.of("config");
  private static final Keyword SCHEMA = Keyword.of("schema");
  private static final Keyword TX = Keyword.of("tx");
  private static final Keyword DBS = Keyword.of("dbs");
  private static final Keyword STEPS = Keyword.of("steps");
  private static final Keyword EXPECT_ERROR = Keyword.of("expect-error");
  private static final Keyword ERROR_CONTAINS = Keyword.of("error-contains");
  private static final Keyword DB = Keyword.of("db");
  private static final Keyword VIEWS = Keyword.of("views");
  private static final Keyword TX_META = Keyword.of("tx-meta");
  private static final Keyword THEN = Keyword.of("then");
  private static final Symbol DOLLAR = Symbol.of("$");
  private static final long TX0 = 536870912L;

  /** How a case ended. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  /**
   * The outcome of one case.
   *
   * @param id the case id
   * @param status passed, failed or skipped
   * @param step the failing or skipped step, or -1
   * @param message what differed, or why it was skipped; null when it passed
   */
  public record Result(String id, Status status, int step, String message) {}

  /** Counts of one run, and every result. */
  public record Summary(int passed, int failed, int skipped, List<Result> results) {}

  private final String url;
  private final String token;
  private final Format format;
  private Boolean schemaInConfig;

  /** A runner against the server at {@code url}, authenticating with {@code token}. */
  public RemoteConformance(String url, String token, Format format) {
    this.url = url;
    this.token = token;
    this.format = format;
  }

  /** Runs every case under {@code roots}; prints failures and the closing counts to {@code out}. */
  public Summary runAll(List<Path> roots, PrintStream out) throws IOException {
    List<Result> results = new ArrayList<>();
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (Path f : ConformanceRunner.caseFiles(roots)) {
      for (Map<Keyword, Object> c : ConformanceRunner.readCases(f)) {
        Result r = run(c);
        results.add(r);
        switch (r.status()) {
          case PASSED:
            passed++;
            break;
          case SKIPPED:
            skipped++;
            break;
          default:
            failed++;
            if (out != null)
              out.println("FAIL " + r.id() + " step " + r.step() + ": " + r.message());
        }
      }
    }
    if (out != null)
      out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
    return new Summary(passed, failed, skipped, results);
  }

  /** Runs one case on a fresh database of the server. */
  public Result run(Map<Keyword, Object> c) {
    String id = String.valueOf(c.get(ID));
    if (c.get(SCHEMA) != null && !schemaInConfig()) {
      return new Result(
          id,
          Status.SKIPPED,
          -1,
          "the case installs a :schema map at creation, which the core's configuration lacks");
    }
    Map<?, ?> caseCfg = c.get(CONFIG) instanceof Map<?, ?> m ? m : Map.of();
    List<Config> created = new ArrayList<>();
    try {
      CaseRun run = new CaseRun(c, caseCfg, created);
      return run.execute(id);
    } finally {
      for (Config cfg : created) {
        try {
          RemoteDatahike.deleteDatabase(cfg);
        } catch (DatahikeException e) {
          // The database is gone with the server anyway.
        }
      }
    }
  }

  /** A configuration for a fresh database on the server with the case's flags. */
  private Config config(Map<?, ?> caseCfg, Object schema) {
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
    Map<Keyword, Object> peer = new LinkedHashMap<>();
    peer.put(Keyword.of("backend"), Keyword.of("datahike-server"));
    peer.put(Keyword.of("url"), url);
    if (token != null) peer.put(Keyword.of("token"), token);
    peer.put(Keyword.of("format"), format.keyword());
    m.put(Keyword.of("remote-peer"), peer);
    return Config.of(m);
  }

  /** Whether the server's core installs a {@code :schema} map given in the configuration. */
  private boolean schemaInConfig() {
    if (schemaInConfig == null) {
      Keyword probe = Keyword.of("conformance.probe/many");
      Map<Keyword, Object> schema =
          Map.of(probe, Map.of(Keyword.of("db/cardinality"), Keyword.of("db.cardinality/many")));
      Config cfg = config(Map.of(), schema);
      RemoteDatahike.createDatabase(cfg);
      try (RemoteConnection conn = RemoteDatahike.connect(cfg)) {
        schemaInConfig = conn.db().schema().containsKey(probe);
      } finally {
        RemoteDatahike.deleteDatabase(cfg);
      }
    }
    return schemaInConfig;
  }

  /** A step the remote client cannot run; the case is skipped. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  /** The state of one running case. */
  private final class CaseRun {
    final Map<Keyword, Object> c;
    final Map<?, ?> caseCfg;
    final List<Config> created;
    final boolean attributeRefs;
    RemoteConnection conn;
    RemoteDatabase db;
    final Map<Object, RemoteDatabase> extra = new LinkedHashMap<>();
    final List<Long> stepTx = new ArrayList<>();
    Long lastTx;
    int withDepth;

    CaseRun(Map<Keyword, Object> c, Map<?, ?> caseCfg, List<Config> created) {
      this.c = c;
      this.caseCfg = caseCfg;
      this.created = created;
      this.attributeRefs = Boolean.TRUE.equals(caseCfg.get(Keyword.of("attribute-refs?")));
    }

    RemoteConnection build(Map<?, ?> spec) {
      Config cfg = config(caseCfg, spec.get(SCHEMA));
      RemoteDatahike.createDatabase(cfg);
      created.add(cfg);
      RemoteConnection cn = RemoteDatahike.connect(cfg);
      Object txs = spec.get(TX);
      if (txs instanceof List<?> l) for (Object tx : l) cn.transact(tx);
      return cn;
    }

    Result execute(String id) {
      int step = -1;
      try {
        conn = build(c);
        db = conn.db();
        if (c.get(DBS) instanceof Map<?, ?> dbs) {
          for (Map.Entry<?, ?> en : dbs.entrySet()) {
            extra.put(en.getKey(), build((Map<?, ?>) en.getValue()).db());
          }
        }
        List<?> steps = c.get(STEPS) instanceof List<?> l ? l : List.of();
        for (step = 0; step < steps.size(); step++) {
          lastTx = null;
          String failure = runStep((Map<?, ?>) steps.get(step));
          stepTx.add(lastTx);
          if (failure != null) return new Result(id, Status.FAILED, step, failure);
        }
        return new Result(id, Status.PASSED, -1, null);
      } catch (Unsupported u) {
        return new Result(id, Status.SKIPPED, step, u.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        return new Result(id, Status.FAILED, step, "unexpected " + describe(e));
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
      } catch (Unsupported u) {
        throw u;
      } catch (RuntimeException e) {
        return "threw " + describe(e);
      }
      if (expectError) return "expected an error, got " + pr(Compare.normalize(result));
      if (result instanceof StepFailure f) return f.message;
      return Expectations.check(s, result);
    }

    private record StepFailure(String message) {}

    private Object perform(Object op, Map<?, ?> s) {
      String name = ((Keyword) op).name();
      switch (name) {
        case "transact":
          {
            // Inside a :with, a transaction builds on the with's value and stays unwritten.
            RemoteTxReport r =
                withDepth > 0 ? db.with(s.get(TX), meta(s)) : conn.transact(s.get(TX), meta(s));
            String f = Expectations.checkReport(s, r, attributeRefs);
            db = r.dbAfter();
            lastTx = r.tx();
            return f == null ? null : new StepFailure(f);
          }
        case "with":
          {
            RemoteTxReport r = db.with(s.get(TX), meta(s));
            String f = Expectations.checkReport(s, r, attributeRefs);
            if (f != null) return new StepFailure(f);
            RemoteDatabase saved = db;
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
            RemoteDatabase view = view(s.get(DB));
            List<Object> args = new ArrayList<>();
            Map<?, ?> views = s.get(VIEWS) instanceof Map<?, ?> m ? m : Map.of();
            Object argSpec = s.get(Keyword.of("args"));
            if (argSpec instanceof List<?> l) {
              for (Object a : l) {
                if (a == DOLLAR) {
                  args.add(view);
                } else if (a instanceof Symbol sym && views.containsKey(sym)) {
                  args.add(view(views.get(sym)));
                } else if (a instanceof Map<?, ?> m
                    && m.size() == 1
                    && m.get(DB) != null
                    && extra.containsKey(m.get(DB))) {
                  args.add(extra.get(m.get(DB)));
                } else {
                  args.add(a);
                }
              }
            }
            Object offset = s.get(Keyword.of("offset"));
            Object limit = s.get(Keyword.of("limit"));
            if (offset == null && limit == null)
              return conn.q(s.get(Keyword.of("query")), args.toArray());
            Map<Keyword, Object> q = new LinkedHashMap<>();
            q.put(Keyword.of("query"), s.get(Keyword.of("query")));
            q.put(Keyword.of("args"), args);
            if (offset != null) q.put(Keyword.of("offset"), offset);
            if (limit != null) q.put(Keyword.of("limit"), limit);
            return conn.q(q);
          }
        case "datoms":
        case "seek-datoms":
          {
            RemoteDatabase view = view(s.get(DB));
            List<?> comps = s.get(Keyword.of("components")) instanceof List<?> l ? l : List.of();
            Object[] cs = comps.toArray();
            List<Datom> ds =
                name.equals("datoms")
                    ? view.datoms(s.get(Keyword.of("index")), cs)
                    : view.seekDatoms(s.get(Keyword.of("index")), cs);
            if (Boolean.TRUE.equals(s.get(Keyword.of("skip-tx-datoms")))) {
              List<Datom> kept = new ArrayList<>();
              for (Datom d : ds) if (d.e() <= TX0) kept.add(d);
              ds = kept;
            }
            return ds;
          }
        case "index-range":
          return view(s.get(DB))
              .indexRange(
                  s.get(Keyword.of("attrid")),
                  s.get(Keyword.of("start")),
                  s.get(Keyword.of("end")));
        case "entity":
          {
            Object attr = s.get(Keyword.of("attr"));
            if (Boolean.TRUE.equals(s.get(Keyword.of("touch")))) {
              throw new Unsupported("entity :touch needs a lazy entity");
            }
            if (attr instanceof Keyword k && k.isReverse()) {
              throw new Unsupported("entity reverse attribute " + k + " needs a lazy entity");
            }
            Map<Keyword, Object> e = view(s.get(DB)).entity(s.get(Keyword.of("eid")));
            if (e == null) return null;
            if (attr != null) {
              return e.get(attr instanceof Keyword k ? k : Keyword.of(String.valueOf(attr)));
            }
            return e;
          }
        case "pull":
          return view(s.get(DB)).pull(s.get(Keyword.of("selector")), s.get(Keyword.of("eid")));
        case "pull-many":
          return view(s.get(DB))
              .pullMany(s.get(Keyword.of("selector")), (List<?>) s.get(Keyword.of("eids")));
        default:
          throw new Unsupported("unknown step op " + op);
      }
    }

    @SuppressWarnings("unchecked")
    private Map<Keyword, Object> meta(Map<?, ?> s) {
      return (Map<Keyword, Object>) s.get(TX_META);
    }

    /** The case's database through the views of a {@code :db} value. */
    private RemoteDatabase view(Object spec) {
      return spec == null ? db : applyView(db, spec);
    }

    private RemoteDatabase applyView(RemoteDatabase d, Object spec) {
      if (spec instanceof Keyword k) {
        if (k.name().equals("history")) return d.history();
        throw new Unsupported("unknown view " + k);
      }
      if (spec instanceof List<?> l && !l.isEmpty()) {
        Object head = l.get(0);
        if (head instanceof Keyword k && (k.name().equals("as-of") || k.name().equals("since"))) {
          Object t = timePoint(l.get(1));
          return k.name().equals("as-of") ? d.asOf(t) : d.since(t);
        }
        RemoteDatabase v = d;
        for (Object x : l) v = applyView(v, x);
        return v;
      }
      throw new Unsupported("unknown view " + spec);
    }

    private Object timePoint(Object t) {
      if (t instanceof Date) return t;
      if (t instanceof Map<?, ?> m && m.get(TX) instanceof Number n) return n.longValue();
      if (t instanceof Number n) {
        long v = n.longValue();
        if (v >= TX0) return v;
        Long tx = stepTx.get((int) v);
        if (tx == null) throw new Unsupported("step " + v + " is not a transact step");
        return tx;
      }
      throw new Unsupported("bad time point " + t);
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

  /** {@code --url U [--token T] [--format F] DIR...}: runs and prints; exits 1 on failures. */
  public static void main(String[] args) throws IOException {
    String url = "http://127.0.0.1:4444";
    String token = null;
    Format format = Format.TRANSIT;
    List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url":
          url = args[++i];
          break;
        case "--token":
          token = args[++i];
          break;
        case "--format":
          format = Format.ofName(args[++i]);
          break;
        default:
          roots.add(Path.of(args[i]));
      }
    }
    if (roots.isEmpty() || format == null) {
      System.err.println(
          "usage: RemoteConformance --url URL [--token T] [--format transit|json|edn] DIR...");
      System.exit(2);
    }
    Summary s = new RemoteConformance(url, token, format).runAll(roots, System.out);
    System.exit(s.failed() == 0 ? 0 : 1);
  }
}
