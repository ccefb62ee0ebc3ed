package datahike.store.redis;

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
 * Measures group commit on Redis, as {@code GroupCommitBench} does for the file store: appends of
 * 100-byte records per second from 1 and 16 threads, and how many appends shared one script call.
 * Not a test (timings belong in benchmarks); run it by hand:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) datahike.store.redis.RedisCommitBench 3
 * </pre>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class RedisCommitBench {
  private RedisCommitBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    for (int threads : new int[] {1, 16}) {
      Map<Keyword, Object> cfg = RedisTestServer.config(RedisTestServer.newPrefix());
      try (Store s = Stores.open(cfg);
          Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
        var committer = ((StoreRedis) s).log().committer();
        long flushes0 = committer.flushes();
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
        long flushes = committer.flushes() - flushes0;
        System.out.printf(
            "REDIS    %2d threads: %8.0f commits/s, %7.0f script calls/s, %5.1f commits per call%n",
            threads, commits.sum() / secs, flushes / secs, commits.sum() / (double) flushes);
      }
      Stores.delete(cfg);
    }
  }
}
