package datahike.store;

import datahike.edn.Keyword;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures group commit on the file store: raw {@code write + fdatasync} per second on the target
 * file system, then durable appends per second from 1, 4 and 16 threads. Not a test (timings belong
 * in benchmarks); run it by hand:
 *
 * <pre>
 * java -cp target/classes:target/test-classes datahike.store.GroupCommitBench /work/tmp-bench 3
 * </pre>
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class GroupCommitBench {
  private GroupCommitBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/group-commit-bench");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    Files.createDirectories(dir);
    long nanos = (long) (seconds * 1e9);

    Path raw = dir.resolve("raw-fsync");
    try (FileChannel ch =
        FileChannel.open(
            raw,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.allocate(128);
      long n = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < nanos) {
        b.clear();
        ch.write(b);
        ch.force(false);
        n++;
      }
      System.out.printf("raw append+fdatasync: %.0f/s%n", n / ((System.nanoTime() - t0) / 1e9));
    }
    Files.delete(raw);

    for (int threads : new int[] {1, 4, 16, 64}) {
      Path p = dir.resolve("store-" + threads);
      Map<Keyword, Object> cfg =
          Map.of(Stores.BACKEND, Keyword.of("file"), Keyword.of("path"), p.toString());
      Stores.delete(cfg);
      try (Store s = Stores.open(cfg);
          Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
        StoreFile sf = (StoreFile) s;
        long flushes0 = sf.log().committer().flushes();
        LongAdder commits = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        byte[] record = new byte[100];
        for (int t = 0; t < threads; t++) {
          Thread th =
              new Thread(
                  () -> {
                    while (!stop.get()) {
                      s.append(List.of(record));
                      commits.increment();
                    }
                  });
          ts.add(th);
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep(nanos / 1_000_000);
        stop.set(true);
        for (Thread th : ts) {
          th.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long flushes = sf.log().committer().flushes() - flushes0;
        System.out.printf(
            "%2d threads: %8.0f commits/s, %7.0f syncs/s, %5.1f commits per sync%n",
            threads, commits.sum() / secs, flushes / secs, commits.sum() / (double) flushes);
      }
      Stores.delete(cfg);
    }
  }
}
