package datahike.cli;

import datahike.api.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code datahike} command tree, built as a picocli {@link CommandSpec} from {@link Operation}:
 * every operation with a CLI name that is not a view becomes a command whose description is {@link
 * Operation#doc()} and whose parameters are {@link Operation#args()}; the views ({@code history},
 * {@code as-of}, {@code since}) become the argument prefixes listed in the help. The commands of
 * the CLI itself (console, import, export, ...) are added beside them.
 */
final class CommandTable {
  private CommandTable() {}

  /** Commands of the CLI itself, in help order: name, parameter label, description. */
  static final List<String[]> OWN =
      List.of(
          new String[] {
            "console", "", "The interactive console (the default when no command is given)."
          },
          new String[] {
            "import",
            "[conn:CFG] FILE",
            "Loads an export (Datahike's CBOR or EDN lines, detected) into an empty database."
          },
          new String[] {
            "export",
            "[db:CFG] FILE",
            "Writes all datoms of the history, in transaction order, as Datahike's CBOR export"
                + " (default; EDN lines for a .edn file or with --format edn)."
          },
          new String[] {"version", "", "Prints the version."},
          new String[] {
            "conformance",
            "[--remote URL [--token T] [--format F]] PATH...",
            "Runs EDN conformance cases (files or directories), locally or against a server."
          },
          new String[] {
            "serve",
            "[--config FILE] [--port N] [--bind ADDR] [--plugin CLASS]...",
            "Runs the HTTP server (datahike-server) until stopped."
          },
          new String[] {"bench", "[ARGS...]", "Runs the benchmarks of module datahike-bench."},
          new String[] {"demo", "", "A guided tour on an in-memory database."});

  /** Builds the command line. */
  static CommandLine build() {
    CommandSpec root = CommandSpec.create().name("datahike").version(Version.line());
    root.mixinStandardHelpOptions(true);
    root.usageMessage()
        .width(100)
        .description(
            "A Datalog database with Datahike's semantics, embedded in the JVM.",
            "",
            "With no command: the interactive console on ./datahike-data (see --config,"
                + " --memory, --data); with input piped in, runs the console on it; with empty"
                + " input, shows the guided demo.")
        .commandListHeading("%nCommands:%n")
        .footerHeading("%nDatabase arguments (Datahike's CLI prefixes):%n")
        .footer(footer());
    root.addOption(debug());
    databaseOptions(root, true);
    root.parser().expandAtFiles(false).unmatchedOptionsArePositionalParams(true);

    CommandLine cl = new CommandLine(root);
    cl.setExpandAtFiles(false);
    cl.setUnmatchedOptionsArePositionalParams(true);
    for (String[] own : OWN) cl.addSubcommand(own[0], own(own[0], own[1], own[2]));
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    for (Operation op : Operation.values()) {
      if (OperationHandlers.isCommand(op)) cl.addSubcommand(op.cliName(), operation(op));
    }
    return cl;
  }

  private static String footer() {
    StringBuilder sb = new StringBuilder();
    row(sb, "conn:CFG", "A connection to the database configured in file CFG.");
    row(sb, "db:CFG", "Its current value.");
    for (Operation op : Operation.values()) {
      if (op.kind() != Operation.Kind.VIEW || op.cliName() == null) continue;
      String prefix =
          op.args().size() > 1 ? op.cliName().replace("-", "") + ":T:CFG" : op.cliName() + ":CFG";
      row(sb, prefix, op.doc());
    }
    row(sb, "edn:FILE", "The EDN form in FILE.");
    row(sb, "json:FILE", "The JSON value in FILE.");
    row(sb, "anything else", "Read as EDN: '[:find ?e :where [?e :name]]', 42, :eavt.");
    sb.append("%nCFG is a file holding an EDN map such as {:store {:backend :file :path \"db\"}}.")
        .append("%nT is a transaction id, or Unix milliseconds (at least 10^12). A :memory")
        .append("%nstore lives in one process: conn: and db: create it (with its :initial-tx).%n")
        .append("%nExamples:%n")
        .append("  datahike%n")
        .append("  datahike create-database cfg.edn%n")
        .append("  datahike transact conn:cfg.edn '[{:name \"Alice\" :age 30}]'%n")
        .append("  datahike query '[:find ?n :where [?e :name ?n]]' db:cfg.edn%n")
        .append(
            "  datahike query -f table '[:find ?n :where [?e :name ?n]]' asof:536870913:cfg.edn")
        .append("%n  datahike help query%n")
        .append("%nExit codes: 0 ok, 1 user error, 2 internal error.");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String left, String right) {
    sb.append("  ")
        .append(left)
        .append(" ".repeat(Math.max(1, 18 - left.length())))
        .append(right)
        .append("%n");
  }

  private static OptionSpec debug() {
    return OptionSpec.builder("--debug")
        .type(boolean.class)
        .arity("0")
        .description("Print stack traces of errors.")
        .scopeType(ScopeType.INHERIT)
        .build();
  }

  /** The options choosing the console's database (root, console, import, export). */
  private static void databaseOptions(CommandSpec spec, boolean history) {
    spec.addOption(
        OptionSpec.builder("--config")
            .paramLabel("CFG")
            .type(String.class)
            .description("Use the database configured in file CFG (created when missing).")
            .build());
    spec.addOption(
        OptionSpec.builder("--memory")
            .type(boolean.class)
            .arity("0")
            .description("Use a fresh in-memory database (gone on exit).")
            .build());
    spec.addOption(
        OptionSpec.builder("--data")
            .paramLabel("DIR")
            .type(String.class)
            .description("The default database's directory (default: datahike-data).")
            .build());
    if (history) {
      spec.addOption(
          OptionSpec.builder("--history")
              .paramLabel("FILE")
              .type(String.class)
              .description("The console's history file (default ~/.datahike_history).")
              .build());
    }
  }

  private static CommandSpec own(String name, String label, String description) {
    CommandSpec spec = CommandSpec.create().name(name);
    spec.usageMessage().width(100).description(description);
    spec.parser().expandAtFiles(false).unmatchedOptionsArePositionalParams(true);
    if (!name.equals("bench")) spec.mixinStandardHelpOptions(true);
    if (name.equals("console") || name.equals("import") || name.equals("export")) {
      databaseOptions(spec, name.equals("console"));
    }
    if (name.equals("export")) {
      spec.addOption(
          OptionSpec.builder("--format")
              .paramLabel("FORMAT")
              .type(String.class)
              .description("cbor (Datahike's export format) or edn; default: by file extension.")
              .build());
    }
    if (!label.isEmpty()) {
      String arity = name.equals("import") || name.equals("export") ? "1..2" : "0..*";
      spec.addPositional(
          PositionalParamSpec.builder()
              .index("0..*")
              .arity(arity)
              .paramLabel(label)
              .hideParamSyntax(true)
              .type(List.class)
              .auxiliaryTypes(String.class)
              .description(ownParamDoc(name))
              .build());
    }
    return spec;
  }

  private static String ownParamDoc(String name) {
    return switch (name) {
      case "import" -> "The database to load into (default: the console's) and the file.";
      case "export" -> "The database to export (default: the console's) and the file.";
      case "conformance" ->
          "EDN case files or directories of them; with --remote URL (and --token, --format"
              + " transit|json|edn) through Datahike.connect with :remote-peer on that server.";
      case "serve" ->
          "FILE is the server's EDN configuration ({:port 4444 :token \"...\" :allow-create"
              + " true :plugins [\"com.example.MyFunctions\"] ...}); --port and --bind override"
              + " it; each --plugin CLASS (a datahike.spi.FunctionRegistrar on the class path)"
              + " registers named functions at start.";
      default -> "Arguments passed on to datahike.bench.BenchMain.";
    };
  }

  /** The command of one operation: its doc, one parameter per argument, --format. */
  static CommandSpec operation(Operation op) {
    OperationHandlers.Spec h = OperationHandlers.spec(op);
    CommandSpec spec = CommandSpec.create().name(op.cliName());
    spec.mixinStandardHelpOptions(true);
    spec.parser().expandAtFiles(false).unmatchedOptionsArePositionalParams(true);
    spec.usageMessage().width(100).description(op.doc());
    if (h != null) spec.usageMessage().footerHeading("%nExample:%n").footer("  " + h.example());
    spec.addOption(
        OptionSpec.builder("-f", "--format")
            .paramLabel("FORMAT")
            .type(String.class)
            .defaultValue("edn")
            .description("Output format: edn (default), json or table.")
            .build());
    int i = 0;
    for (Operation.Arg a : op.args()) {
      boolean optional = h != null && h.optional().contains(a.name());
      PositionalParamSpec.Builder b =
          PositionalParamSpec.builder().paramLabel(label(a)).description(doc(op, a));
      if (a.type() == Operation.ArgType.VARARGS) {
        b.index(i + "..*").arity("0..*").type(List.class).auxiliaryTypes(String.class);
      } else {
        b.index(String.valueOf(i))
            .arity(optional ? "0..1" : "1")
            .required(!optional)
            .type(String.class);
      }
      spec.addPositional(b.build());
      i++;
    }
    return spec;
  }

  /** How an argument is shown: conn:CFG, db:CFG, CONFIG, TX-DATA. */
  static String label(Operation.Arg a) {
    return switch (a.type()) {
      case CONN -> "conn:CFG";
      case DB -> "db:CFG";
      case CONFIG -> "CFG";
      default -> a.name().toUpperCase(Locale.ROOT);
    };
  }

  private static String doc(Operation op, Operation.Arg a) {
    return switch (a.type()) {
      case CONFIG -> "The configuration: a file holding an EDN map, or the map inline.";
      case CONN -> "The database to change: conn:CFG.";
      case DB -> "The database to read: db:CFG, history:CFG, asof:T:CFG or since:T:CFG.";
      case VARARGS ->
          op == Operation.Q || op == Operation.QUERY_STATS
              ? "The query's inputs: databases (db:CFG, ...) and EDN values, edn:FILE, json:FILE."
              : "EDN values, edn:FILE or json:FILE.";
      case JAVA -> "Java code (not available on the command line).";
      default ->
          a.name()
              + ": EDN, edn:FILE or json:FILE"
              + (isOptional(op, a) ? "; read from standard input when left out." : ".");
    };
  }

  private static boolean isOptional(Operation op, Operation.Arg a) {
    OperationHandlers.Spec h = OperationHandlers.spec(op);
    return h != null && h.optional().contains(a.name());
  }

  /** The raw arguments of a parsed operation command, in {@link Operation#args()} order. */
  static List<String> arguments(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (PositionalParamSpec p : spec.positionalParameters()) {
      Object v = p.getValue();
      if (v instanceof List<?> l) {
        for (Object o : l) out.add((String) o);
      } else if (!p.isMultiValue()) {
        out.add((String) v);
      }
    }
    return out;
  }
}
