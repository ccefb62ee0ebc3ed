package datahike.store.s3;

import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures durable appends per second on the S3 store from 1 and 16 threads (group commit: one PUT
 * per round), against s3proxy in-process on loopback ({@link S3TestServer}). Not a test (timings
 * belong in benchmarks); run it by hand from the module directory:
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   datahike.store.s3.S3CommitBench 3
 * </pre>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class S3CommitBench {
  private S3CommitBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    try (S3TestServer server = S3TestServer.start()) {
      server.createBucket("bench");
      for (int threads : new int[] {1, 16}) {
        Map<Keyword, Object> cfg = server.config("bench", "bench-" + threads + "/");
        try (Store s = Stores.open(cfg);
            Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
          StoreS3 s3 = (StoreS3) s;
          long f0 = s3.committer().flushes();
          long i0 = s3.committer().items();
          double perSecond = run(s, threads, seconds);
          long flushes = s3.committer().flushes() - f0;
          long items = s3.committer().items() - i0;
          System.out.printf(
              "s3 (s3proxy, loopback) %2d threads: %7.0f commits/s, %5.1f commits per PUT%n",
              threads, perSecond, items / (double) flushes);
        }
        Stores.delete(cfg);
      }
    }
  }

  /** Appends 100-byte records from {@code threads} threads; returns commits per second. */
  static double run(Store s, int threads, double seconds) throws InterruptedException {
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
    return commits.sum() / ((System.nanoTime() - t0) / 1e9);
  }
}
