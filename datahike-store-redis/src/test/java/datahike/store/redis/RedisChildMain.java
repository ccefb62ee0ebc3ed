package datahike.store.redis;

import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A second process for the cross-process tests, started in a child JVM with the test class path:
 *
 * <ul>
 *   <li>{@code append <store edn>}: takes the writer lock and appends records {@code "r<n>"}
 *       forever, printing each sequence number once it is acknowledged (the parent kills it).
 * </ul>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
public final class RedisChildMain {
  private RedisChildMain() {}

  /** Starts a child JVM running {@code args}. */
  public static Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-Dslf4j.internal.verbosity=ERROR",
                "-cp",
                System.getProperty("java.class.path"),
                RedisChildMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    Map<Keyword, Object> cfg = (Map<Keyword, Object>) EdnReader.read(args[1]);
    try (Store s = Stores.open(cfg);
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
      for (long i = 1; ; i++) {
        long seq = s.append(List.of(("r" + i).getBytes(StandardCharsets.UTF_8)));
        System.out.println(seq);
        System.out.flush();
      }
    }
  }
}
