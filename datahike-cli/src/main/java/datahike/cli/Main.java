package datahike.cli;

import datahike.Connection;
import datahike.Database;
import datahike.DatahikeException;
import datahike.api.Operation;
import datahike.migrate.Format;
import datahike.conformance.ConformanceRunner;
import datahike.edn.Keyword;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code datahike} command: the interactive console, Datahike's CLI commands generated from
 * {@link Operation} ({@code query}, {@code transact}, ...), import/export, version, conformance,
 * serve (the HTTP server), bench and demo. {@code datahike help} lists them all.
 *
 * <p>With no command: the console on a terminal; with standard input piped in, the console runs the
 * input's commands (results on standard output, errors on standard error); with empty input, the
 * guided demo and the command list. Exit codes: 0 ok, 1 user error (bad EDN, unknown attribute,
 * missing database, bad arguments), 2 internal error.
 */
public final class Main {
  private Main() {}

  /**
   * Where a run reads and writes.
   *
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @param interactive true when input and output are a terminal
   * @param terminal opens the terminal for the interactive console
   */
  record Env(
      InputStream in,
      PrintStream out,
      PrintStream err,
      boolean interactive,
      Callable<Terminal> terminal) {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    boolean tty = System.console() != null;
    Env env =
        new Env(
            System.in,
            System.out,
            System.err,
            tty,
            () -> TerminalBuilder.builder().system(true).build());
    return run(args, env);
  }

  /** Runs one command line in {@code env}; returns the exit status. */
  static int run(String[] args, Env env) {
    CommandLine cl = CommandTable.build();
    cl.setOut(new PrintWriter(env.out(), true));
    cl.setErr(new PrintWriter(env.err(), true));
    ParseResult pr;
    try {
      pr = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      String name = e.getCommandLine().getCommandSpec().qualifiedName(" ");
      String msg = e.getMessage();
      if (e instanceof CommandLine.UnmatchedArgumentException u
          && e.getCommandLine() == cl
          && !u.getUnmatched().isEmpty()) {
        msg = "Unknown command '" + u.getUnmatched().get(0) + "'";
      }
      env.err().println("error :cli/usage: " + msg);
      env.err()
          .println("(" + name.replace("datahike", "datahike help").trim() + " shows the usage)");
      return 1;
    }
    boolean debug = flag(pr, "--debug");
    try {
      if (CommandLine.printHelpIfRequested(pr)) return 0;
      return dispatch(pr, env, debug);
    } catch (DatahikeException e) {
      env.out().flush();
      env.err().println(errorLine(e));
      if (debug) e.printStackTrace(env.err());
      return 1;
    } catch (Exception | StackOverflowError e) {
      env.out().flush();
      env.err().println("internal error: " + e + (debug ? "" : " (--debug shows the stack trace)"));
      if (debug) e.printStackTrace(env.err());
      return 2;
    }
  }

  /** The one line an error prints: its code and message, e.g. {@code error :db/missing: ...}. */
  static String errorLine(DatahikeException e) {
    String msg = String.valueOf(e.getMessage()).replace("\r", " ").replace("\n", " ");
    return "error " + e.code() + ": " + msg;
  }

  private static int dispatch(ParseResult pr, Env env, boolean debug) throws Exception {
    ParseResult sub = pr.subcommand();
    if (sub == null) return noCommand(pr, env, debug);
    String name = sub.commandSpec().name();
    List<String> args = ownArgs(sub);
    switch (name) {
      case "console":
        return console(pr, env, debug);
      case "import":
      case "export":
        return importExport(name, pr, args, env);
      case "version":
        env.out().println(Version.line());
        return 0;
      case "conformance":
        return conformance(args, env.out(), env.err());
      case "serve":
        return datahike.server.ServerMain.serve(args.toArray(String[]::new), env.out(), env.err());
      case "bench":
        return Bench.run(args, env.err());
      case "demo":
        Demo.run(env.out());
        return 0;
      default:
        return operation(Operation.byCliName(name), sub, env);
    }
  }

  // ------------------------------------------------------------------ the console

  private static int noCommand(ParseResult pr, Env env, boolean debug) throws Exception {
    if (env.interactive()) return console(pr, env, debug);
    InputStream piped = StdinProbe.probe(env.in(), StdinProbe.WAIT_MILLIS);
    if (piped == null) {
      env.out()
          .println(
              "(No terminal and no input: here is the guided demo. Run ./datahike in a"
                  + " terminal for the console, or pipe commands in.)");
      Demo.run(env.out());
      env.out().println();
      CommandTable.build().usage(env.out());
      return 0;
    }
    return console(pr, new Env(piped, env.out(), env.err(), false, env.terminal()), debug);
  }

  private static int console(ParseResult pr, Env env, boolean debug) throws Exception {
    DefaultDatabase.Opened db =
        DefaultDatabase.open(option(pr, "--config"), flag(pr, "--memory"), option(pr, "--data"));
    try (Connection conn = db.conn()) {
      if (env.interactive()) {
        String h = option(pr, "--history");
        Path history =
            h != null ? Path.of(h) : Path.of(System.getProperty("user.home"), ".datahike_history");
        try (Terminal t = env.terminal().call()) {
          return Console.interactive(t, db, history, debug);
        }
      }
      if (db.fallback())
        env.err().println("datahike: " + db.about().get(0) + " " + db.about().get(1).trim());
      PrintWriter out = new PrintWriter(env.out(), true);
      PrintWriter err = new PrintWriter(env.err(), true);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8));
      return Console.script(in, out, new ConsoleCommands(conn, out, err, false, debug));
    }
  }

  // ------------------------------------------------------------------ other commands

  private static int operation(Operation op, ParseResult sub, Env env) {
    OperationHandlers.Spec spec = OperationHandlers.spec(op);
    if (spec == null) {
      throw DatahikeException.of(
          "cli/unsupported",
          op.cliName() + " is not available on the command line yet",
          "operation",
          op.cliName());
    }
    Render.Format format = Render.Format.of(sub.matchedOptionValue("--format", "edn"));
    List<String> raw = CommandTable.arguments(sub.commandSpec());
    try (Inputs inputs = new Inputs()) {
      OperationHandlers.Call call =
          new OperationHandlers.Call(
              op, raw, inputs, () -> env.interactive() ? null : slurp(env.in()));
      Object result = spec.handler().run(call);
      Object query = op == Operation.Q ? call.data(0) : null;
      env.out().println(Render.format(result, format, query));
    }
    return 0;
  }

  private static int importExport(String name, ParseResult pr, List<String> args, Env env) {
    PrintWriter progress = new PrintWriter(env.err(), true);
    String file = args.get(args.size() - 1);
    Format format = ImportExport.format(option(pr, "--format"), Path.of(file));
    if (args.size() == 2) {
      try (Inputs inputs = new Inputs()) {
        if (name.equals("export")) {
          Database db = inputs.db(args.get(0), "db");
          ImportExport.export(db, Path.of(file), format, progress, env.interactive());
        } else {
          Connection conn = inputs.conn(args.get(0), "conn");
          ImportExport.importFile(conn, Path.of(file), progress, env.interactive());
        }
      }
      return 0;
    }
    DefaultDatabase.Opened db =
        DefaultDatabase.open(option(pr, "--config"), flag(pr, "--memory"), option(pr, "--data"));
    try (Connection conn = db.conn()) {
      if (db.fallback()) env.err().println("datahike: " + db.about().get(0));
      if (name.equals("export")) {
        ImportExport.export(conn.db(), Path.of(file), format, progress, env.interactive());
      } else {
        ImportExport.importFile(conn, Path.of(file), progress, env.interactive());
      }
    }
    return 0;
  }

  /**
   * {@code conformance [--remote URL [--token T] [--format transit|json|edn]] PATH...}: the cases
   * on in-memory values, or with {@code --remote} through {@code Datahike.connect} with a {@code
   * :remote-peer} configuration against that server (which needs {@code :allow-create true}).
   */
  private static int conformance(List<String> args, PrintStream out, PrintStream err)
      throws IOException {
    List<Path> roots = new ArrayList<>();
    Map<Keyword, Object> peer = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      boolean option = a.equals("--remote") || a.equals("--token") || a.equals("--format");
      if (option && i + 1 < args.size()) {
        String v = args.get(++i);
        switch (a) {
          case "--remote" -> peer.put(Keyword.of("url"), v);
          case "--token" -> peer.put(Keyword.of("token"), v);
          default -> peer.put(Keyword.of("format"), Keyword.of(v.replaceFirst("^:", "")));
        }
      } else if (option || (a.startsWith("--") && !Files.exists(Path.of(a)))) {
        roots.clear();
        break;
      } else {
        roots.add(Path.of(a));
      }
    }
    if (roots.isEmpty() || (!peer.isEmpty() && !peer.containsKey(Keyword.of("url")))) {
      err.println(
          "usage: datahike conformance [--remote URL [--token T] [--format transit|json|edn]]"
              + " PATH...   (EDN case files or directories)");
      return 1;
    }
    ConformanceRunner runner;
    if (peer.isEmpty()) {
      runner = new ConformanceRunner();
    } else {
      peer.put(Keyword.of("backend"), Keyword.of("datahike-server"));
      runner = ConformanceRunner.connected(Map.of(Keyword.of("remote-peer"), peer));
    }
    ConformanceRunner.Summary s = runner.runAll(roots, out);
    return s.failed() == 0 ? 0 : 1;
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> ownArgs(ParseResult sub) {
    List<String> out = new ArrayList<>();
    for (var p : sub.commandSpec().positionalParameters()) {
      if (p.getValue() instanceof List<?> l) for (Object o : l) out.add((String) o);
    }
    return out;
  }

  /** An option's value on the subcommand, else on the root; null when not given. */
  private static String option(ParseResult pr, String name) {
    ParseResult sub = pr.subcommand();
    if (sub != null && sub.hasMatchedOption(name)) return sub.matchedOptionValue(name, null);
    return pr.hasMatchedOption(name) ? pr.matchedOptionValue(name, null) : null;
  }

  private static boolean flag(ParseResult pr, String name) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(name)) return true;
    }
    return false;
  }

  private static String slurp(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
