package datahike.store.jdbc;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A second process for the cross-process tests, started in a child JVM with the test class path:
 *
 * <ul>
 *   <li>{@code append <store edn>}: takes the writer lock and appends records {@code "r<n>"}
 *       forever, printing each sequence number once it is acknowledged (the parent kills it).
 *   <li>{@code reader <database edn> <n>}: connects to the database, prints {@code COUNT <c>} (the
 *       number of {@code :name} datoms) once and again whenever {@code refresh()} shows another,
 *       until it sees {@code n} or a minute passed.
 * </ul>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
public final class JdbcChildMain {
  private JdbcChildMain() {}

  /** Starts a child JVM running {@code args}. */
  public static Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-Dslf4j.internal.verbosity=ERROR",
                "-cp",
                System.getProperty("java.class.path"),
                JdbcChildMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  @SuppressWarnings("unchecked")
  static Map<Keyword, Object> storeConfig(String edn) {
    return (Map<Keyword, Object>) EdnReader.read(edn);
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "reader" -> read(args[1], Long.parseLong(args[2]));
      case "append" -> append(storeConfig(args[1]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void append(Map<Keyword, Object> cfg) {
    try (Store s = Stores.open(cfg);
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
      for (long i = 1; ; i++) {
        long seq = s.append(List.of(("r" + i).getBytes(StandardCharsets.UTF_8)));
        System.out.println(seq);
        System.out.flush();
      }
    }
  }

  private static void read(String edn, long target) throws InterruptedException {
    Config cfg = Config.parse(edn);
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    try (Connection conn = Datahike.connect(cfg)) {
      long last = -1;
      while (System.nanoTime() < deadline) {
        conn.refresh();
        Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
        long count = n == null ? 0 : ((Number) n).longValue();
        if (count != last) {
          System.out.println("COUNT " + count);
          System.out.flush();
          last = count;
        }
        if (count >= target) {
          return;
        }
        Thread.sleep(2);
      }
    }
  }
}
