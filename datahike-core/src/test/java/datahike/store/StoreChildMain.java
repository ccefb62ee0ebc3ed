package datahike.store;

import datahike.edn.Keyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A second process for the cross-process tests: started in a child JVM with the test class path.
 *
 * <ul>
 *   <li>{@code lock <path>}: takes the writer lock, appends one record, prints {@code LOCKED},
 *       holds the lock until its stdin closes, then exits.
 *   <li>{@code append <path>}: takes the writer lock and appends records {@code "r<n>"} forever,
 *       printing each sequence number once it is acknowledged (the parent kills it).
 * </ul>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class StoreChildMain {
  private StoreChildMain() {}

  /** Starts a child JVM running {@code mode} on the file store at {@code path}. */
  static Process start(String mode, String path) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            StoreChildMain.class.getName(),
            mode,
            path)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  public static void main(String[] args) throws Exception {
    Map<Keyword, Object> cfg =
        Map.of(Stores.BACKEND, Keyword.of("file"), Keyword.of("path"), args[1]);
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
        for (long i = 1; ; i++) {
          long seq = s.append(List.of(("r" + i).getBytes(StandardCharsets.UTF_8)));
          System.out.println(seq);
          System.out.flush();
        }
      }
    }
  }
}
