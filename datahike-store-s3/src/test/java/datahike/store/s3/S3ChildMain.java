package datahike.store.s3;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
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
 * Other processes for the S3 tests, started in child JVMs with the test class path. Arguments:
 * mode, endpoint, bucket, prefix, then per mode:
 *
 * <ul>
 *   <li>{@code append <lease-ms>}: takes the writer lock and appends records {@code "c<n>"}
 *       forever, printing {@code "<seq> <payload>"} once each is acknowledged (the parent kills
 *       it).
 *   <li>{@code reader <id> <target>}: connects to the database read-only, polls {@code
 *       conn.refresh()} and prints the number of entities with {@code :name} whenever it changes;
 *       exits once it printed {@code target}.
 * </ul>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class S3ChildMain {
  private S3ChildMain() {}

  /** Starts a child JVM with {@code args}. */
  static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(S3ChildMain.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  static Map<Keyword, Object> storeConfig(String endpoint, String bucket, String prefix) {
    return Map.of(
        Stores.BACKEND,
        Keyword.of("s3"),
        Keyword.of("bucket"),
        bucket,
        Keyword.of("endpoint"),
        endpoint,
        Keyword.of("access-key"),
        S3TestServer.ACCESS_KEY,
        Keyword.of("secret-key"),
        S3TestServer.SECRET_KEY,
        Keyword.of("prefix"),
        prefix,
        Keyword.of("id"),
        prefix);
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Map<Keyword, Object> store = storeConfig(args[1], args[2], args[3]);
    if (mode.equals("append")) {
      java.util.HashMap<Keyword, Object> cfg = new java.util.HashMap<>(store);
      cfg.put(Keyword.of("lease-ms"), Long.parseLong(args[4]));
      try (Store s = Stores.open(cfg);
          Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        System.out.println("LOCKED");
        System.out.flush();
        for (long i = 0; ; i++) {
          String payload = "c" + i;
          long seq = s.append(List.of(payload.getBytes(StandardCharsets.UTF_8)));
          System.out.println(seq + " " + payload);
          System.out.flush();
        }
      }
    }
    long target = Long.parseLong(args[5]);
    Config cfg = Config.of(Map.of(Keyword.of("store"), store));
    try (Connection conn = Datahike.connect(cfg)) {
      long last = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.refresh());
        long count = n == null ? 0 : ((Number) n).longValue();
        if (count != last) {
          System.out.println(count);
          System.out.flush();
          last = count;
        }
        if (count == target) {
          return;
        }
        Thread.sleep(10);
      }
      System.exit(2);
    }
  }
}
