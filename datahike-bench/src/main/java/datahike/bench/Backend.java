package datahike.bench;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One storage backend the bench measures datahike on: how to name a fresh database on it, whether
 * it can run here, and how to remove what a database left behind.
 *
 * <p>The backends are the {@code :backend} keywords of the store modules on the bench class path
 * ({@link #NAMES}); a backend whose module is missing or whose server does not answer is {@link
 * #unavailable() unavailable} with the reason, and the suites print "skipped (reason)" for it.
 * Databases are named by an id unique in the run ({@code bench_<pid>_<n>}); closing a backend
 * releases what it started (the in-process S3 server).
 */
abstract class Backend implements AutoCloseable {
  /** Every backend name {@code --backend} accepts, in report order; the file store first. */
  static final List<String> NAMES =
      List.of("file", "memory", "lmdb", "sqlite", "h2", "postgresql", "mariadb", "redis", "s3");

  private final String name;
  private final String keyword;

  /**
   * @param name the bench name ({@code postgresql})
   * @param keyword the store's {@code :backend} without colon ({@code jdbc})
   */
  Backend(String name, String keyword) {
    this.name = name;
    this.keyword = keyword;
  }

  /** The bench name: one of {@link #NAMES}. */
  final String name() {
    return name;
  }

  /**
   * Why this backend cannot run here, or null when it can: no store module for its {@code :backend}
   * on the class path, or its server does not answer.
   */
  final String unavailable() {
    try {
      Stores.provider(Map.of(Stores.BACKEND, Keyword.of(keyword)));
    } catch (DatahikeException e) {
      return "no :" + keyword + " store module on the class path";
    }
    return serverUnavailable();
  }

  /** Why the server this backend needs does not answer, or null. */
  abstract String serverUnavailable();

  /** The store map, as EDN, of the database {@code id}; creates the local directory it lives in. */
  abstract String storeEdn(String id);

  /** The local directory the database {@code id} lives in, or null (memory, servers). */
  Path dir(String id) {
    return null;
  }

  /**
   * Removes what the database {@code id} left after {@code Datahike.deleteDatabase}: its files, or
   * tables and keys the store's own deletion missed. Returns what it removed, for the log, or null.
   */
  String cleanUp(String id) {
    return null;
  }

  /** Releases what the backend started. */
  @Override
  public void close() {}

  /** The backends {@code spec} names: one of {@link #NAMES}, a comma-separated list, or "all". */
  static List<String> parse(String spec) {
    if (spec.equals("all")) {
      return NAMES;
    }
    List<String> out = new ArrayList<>();
    for (String s : spec.split(",")) {
      String n = s.trim().toLowerCase(Locale.ROOT);
      if (!NAMES.contains(n)) {
        throw new BenchMain.UsageException(
            "unknown backend: " + s + " (one of " + String.join(", ", NAMES) + ", all)");
      }
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /** The backend {@code name} (one of {@link #NAMES}), its databases under {@code workDir}. */
  static Backend of(String name, Path workDir) {
    return switch (name) {
      case "file" -> LocalBackend.file(workDir);
      case "memory" -> LocalBackend.memory();
      case "lmdb" -> LocalBackend.lmdb(workDir);
      case "sqlite", "h2", "postgresql", "mariadb" -> new JdbcBackend(name, workDir);
      case "redis" -> new RedisBackend();
      case "s3" -> new S3Backend();
      default -> throw new IllegalArgumentException("unknown backend: " + name);
    };
  }

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port}; the error otherwise. */
  static String tcpUnavailable(String what, int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return null;
    } catch (IOException e) {
      return "no " + what + " at 127.0.0.1:" + port + ": " + e.getMessage();
    }
  }

  /** Deletes {@code root} and everything under it; returns whether there was anything. */
  static boolean deleteTree(Path root) {
    if (!Files.exists(root)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** {@code s} as an EDN string literal. */
  static String edn(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return name;
  }
}
