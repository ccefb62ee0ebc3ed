package datahike.store.lmdb;

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
 * A second process for the LMDB cross-process tests, started in a child JVM with the test class
 * path.
 *
 * <ul>
 *   <li>{@code lock <path>}: takes the writer lock, appends one record, prints {@code LOCKED},
 *       holds the lock until its stdin closes, then exits.
 *   <li>{@code append <path>}: takes the writer lock and appends records {@code "t<thread>-<n>"}
 *       from 4 threads forever, printing {@code "<seq> <payload>"} once each is acknowledged (the
 *       parent kills it).
 * </ul>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class LmdbChildMain {
  private LmdbChildMain() {}

  /** Starts a child JVM running {@code mode} on the LMDB store at {@code path}. */
  static Process start(String mode, String path) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            LmdbChildMain.class.getName(),
            mode,
            path)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  public static void main(String[] args) throws Exception {
    Map<Keyword, Object> cfg =
        Map.of(Stores.BACKEND, Keyword.of("lmdb"), Keyword.of("path"), args[1]);
    try (Store s = Stores.open(cfg);
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
      if (args[0].equals("lock")) {
        s.append(List.of("child".getBytes(StandardCharsets.UTF_8)));
        System.out.println("LOCKED");
        System.out.flush();
        while (System.in.read() >= 0) {
          // hold the lock until the parent closes our stdin
        }
      } else {
        // Several appenders, so that the kill lands inside group commits of several batches.
        for (int t = 0; t < 4; t++) {
          int tt = t;
          Thread th =
              new Thread(
                  () -> {
                    for (long i = 0; ; i++) {
                      String payload = "t" + tt + "-" + i;
                      long seq = s.append(List.of(payload.getBytes(StandardCharsets.UTF_8)));
                      synchronized (System.out) {
                        System.out.println(seq + " " + payload);
                        System.out.flush();
                      }
                    }
                  });
          th.setDaemon(true);
          th.start();
        }
        Thread.sleep(Long.MAX_VALUE);
      }
    }
  }
}
