package datahike.reliability;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the crash databases of a run live: a store configuration (EDN map) per database generation.
 * Core names the durable backends by their configuration only, so it needs none of their modules at
 * compile time; the JVMs that run the cycles must have the backend's module on their class path
 * (the child JVM gets the parent's).
 *
 * <p>What a kill means differs by backend. For {@code file}, {@code lmdb}, {@code sqlite} and
 * {@code h2} the killed process is the one that writes the files (the operating system keeps what
 * it was handed, so this tests the writer's ordering, not power loss). For {@code postgresql},
 * {@code mariadb}, {@code redis} and {@code s3} the killed process is a client: the server lives
 * on, and the kill tests what the client acknowledged against what the server committed, and that
 * the dead client's writer lock goes (its session, or its lease). The machine's Redis runs without
 * persistence, so a Redis server crash is out of scope.
 *
 * @param name the backend name as {@code --backend} takes it
 * @param template the store map, with {@code @DIR@} replaced by the database's own directory (or
 *     file prefix) and {@code @NAME@} by a name unique to the run and generation (letters, digits,
 *     {@code _})
 */
public record CrashBackend(String name, String template) {

  /** The backends {@link #named} knows, in the order the stress command lists them. */
  public static final List<String> NAMES =
      List.of("file", "lmdb", "sqlite", "h2", "postgresql", "mariadb", "redis");

  /**
   * The backend called {@code name}: {@code file} (small log segments, so segments roll and drop
   * under the kills), {@code lmdb}, {@code sqlite}, {@code h2} (embedded file mode), {@code
   * postgresql} (127.0.0.1:5432, user postgres, database test), {@code mariadb} (127.0.0.1:3306,
   * root, test) or {@code redis} (127.0.0.1:6379, 2-second writer lease).
   */
  public static CrashBackend named(String name) {
    String store =
        switch (name.toLowerCase(Locale.ROOT)) {
          case "file" ->
              "{:backend :file :path \"@DIR@\" :log-segment-bytes "
                  + CrashWorkload.SEGMENT_BYTES
                  + "}";
          case "lmdb" -> "{:backend :lmdb :path \"@DIR@\"}";
          case "sqlite" ->
              "{:backend :jdbc :dbtype \"sqlite\" :dbname \"@DIR@.sqlite\" :table \"@NAME@\"}";
          case "h2" -> "{:backend :jdbc :dbtype \"h2\" :dbname \"@DIR@-h2\" :table \"@NAME@\"}";
          case "postgresql" ->
              "{:backend :jdbc :dbtype \"postgresql\" :host \"127.0.0.1\" :port 5432"
                  + " :dbname \"test\" :user \"postgres\" :table \"@NAME@\"}";
          case "mariadb" ->
              "{:backend :jdbc :dbtype \"mariadb\" :host \"127.0.0.1\" :port 3306"
                  + " :dbname \"test\" :user \"root\" :table \"@NAME@\"}";
          case "redis" ->
              "{:backend :redis :host \"127.0.0.1\" :port 6379 :prefix \"@NAME@\""
                  + " :lock-lease-ms 2000}";
          default ->
              throw new IllegalArgumentException(
                  "unknown backend " + name + " (known: " + NAMES + ", or give --store)");
        };
    return new CrashBackend(name.toLowerCase(Locale.ROOT), store);
  }

  /** A name unique to this run: {@code dhcrash_<random hex>}. */
  public static String runName() {
    return "dhcrash_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  }

  /**
   * The store map (EDN) of database generation {@code generation} of run {@code run}, with its
   * files under {@code dir}. It carries {@code :id}, the name core's connection registry keys
   * stores without a {@code :path} by.
   */
  public String store(Path dir, String run, int generation) {
    String unique = run + "_" + generation;
    String path = dir.resolve(unique).toAbsolutePath().toString();
    String s =
        template
            .replace("@DIR@", path.replace("\\", "\\\\").replace("\"", "\\\""))
            .replace("@NAME@", unique);
    return s.substring(0, s.length() - 1) + " :id \"" + unique + "\"}";
  }
}
