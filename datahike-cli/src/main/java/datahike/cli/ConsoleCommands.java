package datahike.cli;

import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.Entity;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console's commands: one input (a command with EDN arguments, or a bare query) in, its result
 * printed. Holds the view that queries see: the current database, or its history, as-of or since
 * view, switched by {@code history}, {@code as-of T}, {@code since T} and {@code now}.
 *
 * <p>Commands backed by an {@link Operation} take their documentation and parameter names from it;
 * the database argument is implied (the current view, or the connection for writes).
 */
final class ConsoleCommands {
  /** Rows shown for datoms before the rest is left out. */
  static final int DATOM_LIMIT = 100;

  /** Status of one input: ok, user error, internal error, or the request to leave. */
  static final int OK = 0;

  static final int USER_ERROR = 1;
  static final int INTERNAL_ERROR = 2;
  static final int EXIT = -1;

  private interface Action {
    void run(List<Object> args, String rest);
  }

  /** One console command: its name, the operation it shows (or null), parameters, doc. */
  record Command(String name, Operation op, String params, String doc, Action action) {}

  private final Map<String, Command> commands = new LinkedHashMap<>();
  private final Connection conn;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean terminal;
  private final boolean debug;

  /** The view queries see: null for the current database. */
  private Operation view;

  private Object viewPoint;

  /**
   * @param conn the database
   * @param out where results go
   * @param err where errors go (the same writer on a terminal)
   * @param terminal true when {@code out} is a terminal (progress bars in place)
   * @param debug true to print stack traces of errors
   */
  ConsoleCommands(
      Connection conn, PrintWriter out, PrintWriter err, boolean terminal, boolean debug) {
    this.conn = conn;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.debug = debug;
    op("transact", Operation.TRANSACT, (a, r) -> transact(need(a, 0, "tx-data")));
    op("q", Operation.Q, (a, r) -> query(need(a, 0, "query"), a.subList(1, a.size())));
    op("pull", Operation.PULL, (a, r) -> show(db().pull(need(a, 0, "pattern"), need(a, 1, "eid"))));
    op(
        "pull-many",
        Operation.PULL_MANY,
        (a, r) -> show(db().pullMany(need(a, 0, "pattern"), list(need(a, 1, "eids")))));
    op("entity", Operation.ENTITY, (a, r) -> entity(need(a, 0, "eid")));
    op("datoms", Operation.DATOMS, (a, r) -> datoms(a, false));
    op("seek-datoms", Operation.SEEK_DATOMS, (a, r) -> datoms(a, true));
    op(
        "index-range",
        Operation.INDEX_RANGE,
        (a, r) ->
            table(
                db().indexRange(need(a, 0, "attrid"), need(a, 1, "start"), need(a, 2, "end")),
                DATOM_LIMIT));
    op("schema", Operation.SCHEMA, (a, r) -> schema());
    op("reverse-schema", Operation.REVERSE_SCHEMA, (a, r) -> show(db().reverseSchema()));
    op("stats", Operation.METRICS, (a, r) -> stats());
    op(
        "query-stats",
        Operation.QUERY_STATS,
        (a, r) ->
            show(
                Datahike.queryStats(
                    need(a, 0, "query"), inputs(need(a, 0, "query"), a.subList(1, a.size())))));
    op("history", Operation.HISTORY, (a, r) -> setView(Operation.HISTORY, null));
    op(
        "as-of",
        Operation.AS_OF,
        (a, r) -> setView(Operation.AS_OF, point(need(a, 0, "time-point"))));
    op(
        "since",
        Operation.SINCE,
        (a, r) -> setView(Operation.SINCE, point(need(a, 0, "time-point"))));
    own(
        "now",
        "",
        "Back to the current database after history, as-of or since.",
        (a, r) -> setView(null, null));
    own(
        "import",
        "FILE",
        "Loads an export file (Datahike's CBOR or EDN lines) into this empty database.",
        (a, r) -> ImportExport.importFile(conn, path(r), out, terminal));
    own(
        "export",
        "FILE",
        "Writes all datoms of the history, in tx order: EDN lines for a .edn file, else CBOR.",
        (a, r) ->
            ImportExport.export(
                conn.db(), path(r), ImportExport.format(null, path(r)), out, terminal));
    own("help", "[COMMAND]", "This list, or the help of one command.", (a, r) -> help(a));
    own("exit", "", "Leaves the console (also quit, Ctrl-D).", (a, r) -> {});
  }

  private void op(String name, Operation op, Action action) {
    StringBuilder params = new StringBuilder();
    for (Operation.Arg a : op.args()) {
      if (a.type() == Operation.ArgType.DB || a.type() == Operation.ArgType.CONN) continue;
      if (params.length() > 0) params.append(' ');
      String n = a.name().toUpperCase(Locale.ROOT);
      params.append(a.type() == Operation.ArgType.VARARGS ? "[" + n + "...]" : n);
    }
    commands.put(name, new Command(name, op, params.toString(), op.doc(), action));
  }

  private void own(String name, String params, String doc, Action action) {
    commands.put(name, new Command(name, null, params, doc, action));
  }

  /** The commands, in help order. */
  Collection<Command> commands() {
    return commands.values();
  }

  /** What the prompt shows: {@code datahike> }, or the view, e.g. {@code datahike as-of 5> }. */
  String prompt() {
    if (view == null) return "datahike> ";
    return "datahike "
        + view.cliName()
        + (viewPoint == null ? "" : " " + EdnText.print(viewPoint))
        + "> ";
  }

  /** The database queries see. */
  Database db() {
    Database db = conn.db();
    if (view == Operation.HISTORY) return db.history();
    if (view == Operation.AS_OF) return db.asOf(viewPoint);
    if (view == Operation.SINCE) return db.since(viewPoint);
    return db;
  }

  /** Runs one input; returns {@link #OK}, {@link #USER_ERROR}, ... or {@link #EXIT}. */
  int execute(String input) {
    String text = input.strip();
    try {
      if (text.isEmpty() || text.startsWith(";")) return OK;
      String word = text.split("\\s+", 2)[0];
      if (word.equals("exit") || word.equals("quit")) return EXIT;
      conn.refresh(); // see what other processes committed to a stored database
      if (word.equals("import") || word.equals("export")) {
        commands.get(word).action().run(List.of(), text.substring(word.length()).strip());
        return OK;
      }
      List<Object> forms = EdnText.readAll(text);
      if (forms.isEmpty()) return OK;
      Object first = forms.get(0);
      if (isQuery(first)) {
        query(first, forms.subList(1, forms.size()));
      } else if (first instanceof Symbol s && commands.containsKey(alias(s.fullName()))) {
        commands.get(alias(s.fullName())).action().run(forms.subList(1, forms.size()), null);
      } else {
        throw DatahikeException.of(
            "console/unknown-command",
            "Unknown command " + EdnText.print(first) + ": type help for the list",
            "input",
            first);
      }
      out.flush();
      return OK;
    } catch (DatahikeException e) {
      error(e);
      return USER_ERROR;
    } catch (RuntimeException | StackOverflowError e) {
      out.flush();
      err.println("internal error: " + e + (debug ? "" : " (--debug shows the stack trace)"));
      if (debug) e.printStackTrace(err);
      err.flush();
      return INTERNAL_ERROR;
    }
  }

  /** Prints an error: its code and message on one line (and the stack trace with --debug). */
  void error(DatahikeException e) {
    out.flush();
    err.println(Main.errorLine(e));
    if (debug) e.printStackTrace(err);
    err.flush();
  }

  private static String alias(String name) {
    return switch (name) {
      case "query" -> "q";
      case "metrics" -> "stats";
      case "as_of", "asof" -> "as-of";
      default -> name;
    };
  }

  private static boolean isQuery(Object form) {
    if (form instanceof List<?> l) return !l.isEmpty() && Keyword.of("find").equals(l.get(0));
    return form instanceof Map<?, ?> m
        && (m.containsKey(Keyword.of("find")) || m.containsKey(Keyword.of("query")));
  }

  // ------------------------------------------------------------------ commands

  private void transact(Object txData) {
    TxReport r = conn.transact(txData);
    long added = 0;
    long retracted = 0;
    for (Datom d : r.txData()) {
      if (d.e() == r.tx()) continue; // the transaction's own :db/txInstant
      if (d.added()) added++;
      else retracted++;
    }
    StringBuilder sb = new StringBuilder("tx ").append(r.tx()).append(": ");
    sb.append(added).append(added == 1 ? " datom" : " datoms").append(" added");
    if (retracted > 0) sb.append(", ").append(retracted).append(" retracted");
    Map<Object, Long> tempids = new LinkedHashMap<>(r.tempids());
    tempids.remove(Keyword.of("db/current-tx"));
    if (!tempids.isEmpty()) sb.append("; tempids ").append(EdnText.print(tempids));
    out.println(sb);
    if (view != null) out.println("(the view is still " + prompt().trim() + " type now to see it)");
  }

  private void query(Object query, List<Object> args) {
    Object result = Datahike.q(query, inputs(query, args));
    List<String> headers = Render.findHeaders(query);
    String t = headers != null ? Render.table(result, headers, Integer.MAX_VALUE) : null;
    out.println(t != null ? t : EdnText.pretty(result, 100));
  }

  /** The query's inputs: the view as {@code $} (unless :in names no source), then {@code args}. */
  private Object[] inputs(Object query, List<Object> args) {
    List<Object> in = new ArrayList<>();
    if (takesDb(query)) in.add(db());
    in.addAll(args);
    return in.toArray();
  }

  private static boolean takesDb(Object query) {
    List<?> in = null;
    if (query instanceof List<?> l) {
      int i = l.indexOf(Keyword.of("in"));
      if (i < 0) return true;
      in = l.subList(i + 1, l.size());
    } else if (query instanceof Map<?, ?> m) {
      if (!(m.get(Keyword.of("in")) instanceof List<?> l)) return true;
      in = l;
    }
    if (in == null) return true;
    for (Object o : in) {
      if (o instanceof Keyword) break;
      if (o instanceof Symbol s && s.fullName().startsWith("$")) return true;
    }
    return false;
  }

  private void entity(Object eid) {
    Entity e = db().entity(eid);
    out.println(e == null ? "nil" : EdnText.pretty(e.touch(), 100));
  }

  private void datoms(List<Object> a, boolean seek) {
    Object index = a.isEmpty() ? Keyword.of("eavt") : a.get(0);
    Object[] comps = a.size() > 1 ? a.subList(1, a.size()).toArray() : new Object[0];
    List<Datom> ds = seek ? db().seekDatoms(index, comps) : db().datoms(index, comps);
    table(ds, DATOM_LIMIT);
  }

  private void table(List<Datom> ds, int limit) {
    String t = Render.table(ds, null, limit);
    out.println(t != null ? t : "(0 datoms)");
  }

  private void schema() {
    Map<Keyword, Map<Keyword, Object>> s = db().schema();
    if (s.isEmpty()) {
      out.println(
          conn.config().schemaOnRead()
              ? "No schema: this database is schema-on-read, so any attribute may be transacted."
              : "No schema yet: transact attribute definitions such as [{:db/ident :name"
                  + " :db/valueType :db.type/string :db/cardinality :db.cardinality/one}].");
      return;
    }
    Map<Keyword, Map<Keyword, Object>> rows = new LinkedHashMap<>();
    for (Map.Entry<Keyword, Map<Keyword, Object>> e : s.entrySet()) {
      Map<Keyword, Object> def = new LinkedHashMap<>(e.getValue());
      def.remove(Keyword.of("db/ident"));
      rows.put(e.getKey(), def);
    }
    out.println(Render.table(rows, null, Integer.MAX_VALUE));
  }

  private void stats() {
    Database db = db();
    Map<Keyword, Object> m = db.metrics();
    @SuppressWarnings("unchecked")
    Map<Object, Long> perAttr = (Map<Object, Long>) m.get(Keyword.of("per-attr-counts"));
    @SuppressWarnings("unchecked")
    Map<Object, Long> perEntity = (Map<Object, Long>) m.get(Keyword.of("per-entity-counts"));
    out.println("datoms    " + m.get(Keyword.of("count")));
    out.println(
        "entities  " + (perEntity == null ? 0 : perEntity.size()) + " (transactions included)");
    if (m.containsKey(Keyword.of("temporal-count"))) {
      out.println("retracted " + m.get(Keyword.of("temporal-count")) + " (kept for history)");
    }
    out.println("max-tx    " + db.maxTx());
    out.println("max-eid   " + db.maxEid());
    if (perAttr != null && !perAttr.isEmpty()) {
      List<List<Object>> rows = new ArrayList<>();
      for (Map.Entry<Object, Long> e : perAttr.entrySet())
        rows.add(List.of(e.getKey(), e.getValue()));
      out.println(
          Render.table(List.of("attribute", "datoms"), rows, Integer.MAX_VALUE, "attributes"));
    }
  }

  private void setView(Operation op, Object point) {
    Operation before = view;
    Object beforePoint = viewPoint;
    view = op;
    viewPoint = point;
    try {
      db(); // a bad time point fails here, leaving the view as it was
    } catch (RuntimeException e) {
      view = before;
      viewPoint = beforePoint;
      throw e;
    }
    String p = point == null ? "" : EdnText.print(point);
    String what =
        op == null
            ? "the current database"
            : op == Operation.HISTORY
                ? "history (current and retracted datoms)"
                : op == Operation.AS_OF
                    ? "as of " + p
                    : "since " + p + " (only datoms added after it)";
    out.println("view: " + what + (op == null ? "" : ". Type now to go back."));
  }

  private void show(Object result) {
    out.println(EdnText.pretty(result, 100));
  }

  private void help(List<Object> a) {
    if (!a.isEmpty()) {
      Command c = commands.get(alias(EdnText.print(a.get(0))));
      if (c == null) {
        throw DatahikeException.of(
            "console/unknown-command",
            "Unknown command " + EdnText.print(a.get(0)) + ": type help for the list",
            "input",
            a.get(0));
      }
      out.println(c.name() + (c.params().isEmpty() ? "" : " " + c.params()));
      out.println("  " + c.doc());
      return;
    }
    int w = 0;
    for (Command c : commands.values()) w = Math.max(w, usage(c).length());
    out.println("Commands (arguments are EDN; the database is implied):");
    for (Command c : commands.values()) {
      String u = usage(c);
      out.println("  " + u + " ".repeat(w - u.length() + 2) + c.doc());
    }
    out.println(
        "A bare [:find ...] or {:find ...} runs as a query. Input may span lines until its"
            + " brackets close.");
    out.println("Tab completes commands and attribute names; history is kept across sessions.");
  }

  private static String usage(Command c) {
    return c.name() + (c.params().isEmpty() ? "" : " " + c.params());
  }

  // ------------------------------------------------------------------ argument helpers

  private static Object need(List<Object> a, int i, String name) {
    if (i < a.size()) return a.get(i);
    throw DatahikeException.of(
        "console/missing-argument",
        "Missing argument " + name.toUpperCase(Locale.ROOT) + ": type help for the commands",
        "argument",
        name);
  }

  private static List<?> list(Object o) {
    if (o instanceof List<?> l) return l;
    throw DatahikeException.of(
        "console/bad-argument",
        "Expected a vector of entity ids, got " + EdnText.print(o),
        "argument",
        o);
  }

  private static Object point(Object t) {
    if (t instanceof Number n && n.longValue() >= Inputs.MILLIS_FROM)
      return new Date(n.longValue());
    if (t instanceof Number n) return n.longValue();
    if (t instanceof Date) return t;
    throw DatahikeException.of(
        "time-point/invalid",
        "A time point is a transaction id, Unix milliseconds or #inst \"...\", got "
            + EdnText.print(t),
        "time-point",
        t);
  }

  private static Path path(String rest) {
    String p = rest == null ? "" : rest.strip();
    if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\""))
      p = p.substring(1, p.length() - 1);
    if (p.isEmpty()) {
      throw DatahikeException.of(
          "console/missing-argument", "Missing argument FILE", "argument", "file");
    }
    return Path.of(p);
  }

  /** Attribute idents of the database (schema and attributes in use), for completion. */
  Set<String> attributeNames() {
    Set<String> names = new TreeSet<>();
    Database db = conn.db();
    for (Keyword k : db.schema().keySet()) names.add(":" + k.fullName());
    Object per = db.metrics().get(Keyword.of("per-attr-counts"));
    if (per instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) if (k instanceof Keyword kw) names.add(":" + kw.fullName());
    }
    return names;
  }
}
