package datahike.server;

import datahike.DatahikeException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Datahike HTTP server: {@code java datahike.server.ServerMain --config server.edn [--port
 * N] [--bind ADDR] [--plugin CLASS]...} (see {@link ServerConfig} for the file; each {@code
 * --plugin} adds to its {@code :plugins}). Other programs call {@link #serve} (the CLI's {@code
 * datahike serve}) or {@link #start(ServerConfig)}.
 */
public final class ServerMain {
  private ServerMain() {}

  /** Starts a server; close the returned {@link Server} to stop it. */
  public static Server start(ServerConfig config) {
    return ServerJetty.start(config);
  }

  /** Parses the command line, starts the server, and serves until the JVM is stopped. */
  public static void main(String[] args) throws InterruptedException {
    int status = serve(args, System.out, System.err);
    if (status != 0) System.exit(status);
  }

  /**
   * What {@link #main} does, for other programs' commands (the CLI's {@code datahike serve}):
   * parses {@code args}, starts the server, prints {@code datahike server listening on URL} to
   * {@code out} and returns only when the JVM shuts down (0). Returns 1 for a usage error or when
   * the server cannot start, printing the error's code and message to {@code err}.
   */
  public static int serve(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    ServerConfig cfg;
    try {
      cfg = parseArgs(args);
    } catch (DatahikeException e) {
      err.println("datahike server: error " + e.code() + ": " + e.getMessage());
      err.println(usage());
      return 1;
    }
    if (cfg == null) {
      out.println(usage());
      return 0;
    }
    Server server;
    try {
      server = start(cfg);
    } catch (DatahikeException e) {
      err.println("datahike server: error " + e.code() + ": " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "datahike-server-shutdown"));
    out.println("datahike server listening on " + server.url());
    if (cfg.token() == null && !cfg.devMode()) {
      out.println("no :token configured: writes are disabled");
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /** The configuration the arguments describe; null when help was asked for. */
  static ServerConfig parseArgs(String[] args) {
    ServerConfig cfg = null;
    Integer port = null;
    String bind = null;
    List<String> plugins = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h":
        case "--help":
          return null;
        case "-c":
        case "--config":
          cfg = ServerConfig.load(Path.of(value(args, ++i, a)));
          break;
        case "-p":
        case "--port":
          try {
            port = Integer.parseInt(value(args, ++i, a));
          } catch (NumberFormatException e) {
            throw DatahikeException.of("server/usage", "--port takes a number");
          }
          break;
        case "-b":
        case "--bind":
          bind = value(args, ++i, a);
          break;
        case "--plugin":
          plugins.add(value(args, ++i, a));
          break;
        default:
          throw DatahikeException.of("server/usage", "Unknown argument " + a);
      }
    }
    ServerConfig.Builder b = (cfg == null ? ServerConfig.defaults() : cfg).toBuilder();
    if (port != null) b.port(port);
    if (bind != null) b.bind(bind);
    if (!plugins.isEmpty()) {
      // The flags add to the file's :plugins, after them.
      List<String> all = new ArrayList<>(cfg == null ? List.of() : cfg.plugins());
      all.addAll(plugins);
      b.plugins(all);
    }
    return b.build();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw DatahikeException.of("server/usage", flag + " needs a value");
    return args[i];
  }

  static String usage() {
    return "usage: datahike-server [--config server.edn] [--port N] [--bind ADDR]"
        + " [--plugin CLASS]...\n"
        + "  server.edn: {:port 4444 :bind \"127.0.0.1\" :token \"...\" :read-only-token \"...\"\n"
        + "               :databases [{:store {:backend :memory :id \"x\"} :name \"x\"}]\n"
        + "               :allow-create false :dev-mode false :max-body-bytes 16777216\n"
        + "               :query-timeout-ms 60000 :plugins [\"com.example.MyFunctions\"]}\n"
        + "  --plugin CLASS: a datahike.spi.FunctionRegistrar on the class path, run at start\n"
        + "                  (added to :plugins); requests name functions, never carry code";
  }
}
