package datahike.server;

import datahike.DatahikeException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Datahike HTTP server: {@code java datahike.server.ServerMain --config server.edn [--port
 * N] [--bind ADDR]} (see {@link ServerConfig} for the file). Other programs (the CLI's {@code
 * datahike serve}) call {@link #start(ServerConfig)}.
 */
public final class ServerMain {
  private ServerMain() {}

  /** Starts a server; close the returned {@link Server} to stop it. */
  public static Server start(ServerConfig config) {
    return ServerJetty.start(config);
  }

  /** Parses the command line, starts the server, and serves until the JVM is stopped. */
  public static void main(String[] args) throws InterruptedException {
    ServerConfig cfg;
    try {
      cfg = parseArgs(args);
    } catch (DatahikeException e) {
      System.err.println("datahike server: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (cfg == null) {
      System.out.println(usage());
      return;
    }
    Server server;
    try {
      server = start(cfg);
    } catch (DatahikeException e) {
      System.err.println("datahike server: " + e.getMessage());
      System.exit(1);
      return;
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
    System.out.println("datahike server listening on " + server.url());
    if (cfg.token() == null && !cfg.devMode()) {
      System.out.println("no :token configured: writes are disabled");
    }
    stopped.await();
  }

  /** The configuration the arguments describe; null when help was asked for. */
  static ServerConfig parseArgs(String[] args) {
    ServerConfig cfg = null;
    Integer port = null;
    String bind = null;
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
        default:
          throw DatahikeException.of("server/usage", "Unknown argument " + a);
      }
    }
    if (cfg == null) cfg = ServerConfig.defaults();
    if (port != null) cfg = cfg.withPort(port);
    if (bind != null) {
      cfg =
          new ServerConfig(
              cfg.port(),
              bind,
              cfg.token(),
              cfg.readOnlyToken(),
              cfg.databases(),
              cfg.allowCreate(),
              cfg.devMode(),
              cfg.maxBodyBytes(),
              cfg.queryTimeoutMs());
    }
    return cfg;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw DatahikeException.of("server/usage", flag + " needs a value");
    return args[i];
  }

  static String usage() {
    return "usage: datahike-server [--config server.edn] [--port N] [--bind ADDR]\n"
        + "  server.edn: {:port 4444 :bind \"127.0.0.1\" :token \"...\" :read-only-token \"...\"\n"
        + "               :databases [{:store {:backend :memory :id \"x\"} :name \"x\"}]\n"
        + "               :allow-create false :dev-mode false :max-body-bytes 16777216\n"
        + "               :query-timeout-ms 60000}";
  }
}
