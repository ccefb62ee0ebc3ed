package datahike.cli;

import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Entity;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What each command of {@link Operation} does on the command line: one handler per operation with a
 * CLI name (a test checks none is missing), with an example for its help. The commands, their
 * arguments and their help text come from {@link Operation}; only the doing is here.
 */
final class OperationHandlers {
  private OperationHandlers() {}

  /** One invocation: the operation, its raw arguments in {@link Operation#args()} order. */
  static final class Call {
    final Operation op;
    final List<String> args;
    final Inputs in;
    final Supplier<String> stdin;

    Call(Operation op, List<String> args, Inputs in, Supplier<String> stdin) {
      this.op = op;
      this.args = args;
      this.in = in;
      this.stdin = stdin;
    }

    boolean has(int i) {
      return i < args.size() && args.get(i) != null;
    }

    String name(int i) {
      return op.args().get(Math.min(i, op.args().size() - 1)).name();
    }

    Database db(int i) {
      return in.db(args.get(i), name(i));
    }

    Connection conn(int i) {
      return in.conn(args.get(i), name(i));
    }

    Object data(int i) {
      return Inputs.data(args.get(i), name(i));
    }

    /** Arguments from {@code i} on, each a database, connection or data by its prefix. */
    List<Object> rest(int i) {
      List<Object> out = new ArrayList<>();
      for (int j = i; j < args.size(); j++)
        out.add(in.value(args.get(j), name(i) + " " + (j - i + 1)));
      return out;
    }

    /** Data from argument {@code i}, else from standard input. */
    Object dataOrStdin(int i) {
      if (has(i)) return data(i);
      String text = stdin.get();
      if (text == null || text.isBlank()) {
        throw DatahikeException.of(
            "cli/missing-argument",
            op.cliName()
                + ": no "
                + name(i)
                + " given: pass EDN, edn:FILE or json:FILE, or pipe"
                + " it to standard input",
            "argument",
            name(i));
      }
      try {
        return EdnText.read(text, name(i));
      } catch (DatahikeException ednError) {
        try {
          return Json.read(text, name(i)); // JSON on standard input works too
        } catch (DatahikeException jsonError) {
          throw ednError;
        }
      }
    }
  }

  /** Runs one call; the result is printed in the chosen format. */
  interface Handler {
    Object run(Call c);
  }

  /**
   * The CLI side of an operation: its handler, an example for the help, and the names of arguments
   * that may be left out.
   */
  record Spec(Handler handler, String example, Set<String> optional) {}

  static final Map<Operation, Spec> SPECS = new EnumMap<>(Operation.class);

  private static void on(Operation op, String example, Handler h, String... optional) {
    SPECS.put(op, new Spec(h, example, Set.of(optional)));
  }

  static {
    on(
        Operation.CREATE_DATABASE,
        "datahike create-database cfg.edn",
        c -> {
          Datahike.createDatabase(Inputs.config(c.args.get(0)));
          return Inputs.config(c.args.get(0)).toMap();
        });
    on(
        Operation.DELETE_DATABASE,
        "datahike delete-database cfg.edn",
        c -> {
          Datahike.deleteDatabase(Inputs.config(c.args.get(0)));
          return null;
        });
    on(
        Operation.DATABASE_EXISTS,
        "datahike database-exists cfg.edn",
        c -> Datahike.databaseExists(Inputs.config(c.args.get(0))));
    on(
        Operation.TRANSACT,
        "datahike transact conn:cfg.edn '[{:name \"Alice\" :age 30}]'",
        c -> report(Datahike.transact(c.conn(0), c.dataOrStdin(1))),
        "tx-data");
    on(
        Operation.LOAD_ENTITIES,
        "datahike load-entities conn:cfg.edn edn:entities.edn",
        c -> report(Datahike.loadEntities(c.conn(0), c.dataOrStdin(1))),
        "entities");
    on(
        Operation.Q,
        "datahike query '[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]' db:cfg.edn",
        c -> Datahike.q(c.data(0), c.rest(1).toArray()));
    on(
        Operation.QUERY_STATS,
        "datahike query-stats '[:find ?n :where [?e :name ?n]]' db:cfg.edn",
        c -> Datahike.queryStats(c.data(0), c.rest(1).toArray()));
    on(
        Operation.PULL,
        "datahike pull db:cfg.edn '[:name {:friend [:name]}]' 1",
        c -> Datahike.pull(c.db(0), c.data(1), c.data(2)));
    on(
        Operation.PULL_MANY,
        "datahike pull-many db:cfg.edn '[:name]' '[1 2]'",
        c -> Datahike.pullMany(c.db(0), c.data(1), list(c.data(2), c.name(2))));
    on(
        Operation.ENTITY,
        "datahike entity db:cfg.edn '[:name \"Alice\"]'",
        c -> {
          Entity e = Datahike.entity(c.db(0), c.data(1));
          return e == null ? null : e.touch();
        });
    on(Operation.DATOMS, "datahike datoms db:cfg.edn :eavt 1", c -> datoms(c, false));
    on(
        Operation.SEEK_DATOMS,
        "datahike seek-datoms db:cfg.edn :avet :age 30",
        c -> datoms(c, true));
    on(
        Operation.INDEX_RANGE,
        "datahike index-range db:cfg.edn :age 20 40",
        c -> Datahike.indexRange(c.db(0), c.data(1), c.data(2), c.data(3)));
    on(Operation.SCHEMA, "datahike schema db:cfg.edn", c -> Datahike.schema(c.db(0)));
    on(
        Operation.REVERSE_SCHEMA,
        "datahike reverse-schema db:cfg.edn",
        c -> Datahike.reverseSchema(c.db(0)));
    on(Operation.METRICS, "datahike metrics db:cfg.edn", c -> Datahike.metrics(c.db(0)));
    on(
        Operation.WITH,
        "datahike with db:cfg.edn '[{:name \"Eve\"}]'",
        c -> report(c.db(0).with(c.data(1))));
    on(
        Operation.GC_STORAGE,
        "datahike gc-storage conn:cfg.edn '#inst \"2024-01-01\"'",
        c -> Datahike.gcStorage(c.conn(0), c.has(1) ? date(c.data(1), c.name(1)) : new Date()),
        "remove-before");
  }

  /** The handler spec of {@code op}, or null when the CLI has none. */
  static Spec spec(Operation op) {
    return SPECS.get(op);
  }

  /** True for operations that are commands: a CLI name, and not a view (views are prefixes). */
  static boolean isCommand(Operation op) {
    return op.cliName() != null && op.kind() != Operation.Kind.VIEW;
  }

  private static Object datoms(Call c, boolean seek) {
    Database db = c.db(0);
    Object index = c.data(1);
    List<Object> comps = new ArrayList<>();
    if (index instanceof Map<?, ?> m) {
      // Datahike's CLI form: {:index :eavt :components [1 :name]}
      if (m.get(Keyword.of("components")) instanceof List<?> l) comps.addAll(l);
      index = m.get(Keyword.of("index"));
    }
    comps.addAll(c.rest(2));
    Object[] a = comps.toArray();
    return seek ? Datahike.seekDatoms(db, index, a) : Datahike.datoms(db, index, a);
  }

  private static List<?> list(Object o, String what) {
    if (o instanceof List<?> l) return l;
    throw DatahikeException.of(
        "cli/bad-argument",
        what + ": expected a vector such as [1 2], got " + EdnText.print(o),
        "argument",
        o);
  }

  private static Date date(Object o, String what) {
    if (o instanceof Date d) return d;
    if (o instanceof Number n) return new Date(n.longValue());
    throw DatahikeException.of(
        "cli/bad-argument",
        what + ": expected #inst \"...\" or Unix milliseconds, got " + EdnText.print(o),
        "argument",
        o);
  }

  /**
   * A transaction report as data: {@code {:tx T :tempids {...} :tx-data [datoms]}} (the tempids
   * without {@code :db/current-tx}, which is {@code :tx}).
   */
  static Map<Keyword, Object> report(TxReport r) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("tx"), r.tx());
    Map<Object, Long> tempids = new LinkedHashMap<>(r.tempids());
    tempids.remove(Keyword.of("db/current-tx"));
    m.put(Keyword.of("tempids"), tempids);
    m.put(Keyword.of("tx-data"), r.txData());
    return m;
  }
}
