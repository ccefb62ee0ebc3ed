package datahike.store.lmdb;

import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures durable appends per second on the LMDB store from 1 and 16 threads (group commit). Not a
 * test (timings belong in benchmarks); run it by hand from the module directory:
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   datahike.store.lmdb.LmdbCommitBench /work/tmp-bench 3
 * </pre>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class LmdbCommitBench {
  private LmdbCommitBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/lmdb-commit-bench");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    Files.createDirectories(dir);
    for (int threads : new int[] {1, 16}) {
      Map<Keyword, Object> cfg =
          Map.of(
              Stores.BACKEND,
              Keyword.of("lmdb"),
              Keyword.of("path"),
              dir.resolve("lmdb-" + threads).toString());
      Stores.delete(cfg);
      try (Store s = Stores.open(cfg);
          Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
        StoreLmdb lm = (StoreLmdb) s;
        double[] r = run(s, threads, seconds);
        long flushes = lm.committer().flushes();
        System.out.printf(
            "lmdb %2d threads: %8.0f commits/s, %5.1f commits per write transaction%n",
            threads, r[0], r[1] / flushes);
      }
      Stores.delete(cfg);
    }
  }

  /** Appends 100-byte records from {@code threads} threads; returns {commits/s, commits}. */
  static double[] run(Store s, int threads, double seconds) throws InterruptedException {
    LongAdder commits = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> ts = new ArrayList<>();
    byte[] record = new byte[100];
    for (int t = 0; t < threads; t++) {
      ts.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  s.append(List.of(record));
                  commits.increment();
                }
              }));
    }
    long t0 = System.nanoTime();
    ts.forEach(Thread::start);
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread th : ts) {
      th.join();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new double[] {commits.sum() / secs, commits.sum()};
  }
}
