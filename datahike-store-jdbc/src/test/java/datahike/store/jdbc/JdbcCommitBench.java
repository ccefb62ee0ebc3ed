package datahike.store.jdbc;

import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures group commit on each reachable JDBC database, as {@code GroupCommitBench} does for the
 * file store: durable appends of 100-byte records per second from 1 and 16 threads, and how many
 * appends shared one commit. Not a test (timings belong in benchmarks); run it by hand:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) datahike.store.jdbc.JdbcCommitBench 3
 * </pre>
 *
 * Arguments: seconds per run (default 3), then optionally the databases (postgres, mariadb, sqlite,
 * h2).
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
final class JdbcCommitBench {
  private JdbcCommitBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    List<JdbcTestDb> dbs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      dbs.add(JdbcTestDb.valueOf(args[i].toUpperCase(Locale.ROOT)));
    }
    if (dbs.isEmpty()) {
      dbs.addAll(List.of(JdbcTestDb.values()));
    }
    for (JdbcTestDb db : dbs) {
      try {
        db.raw().close();
      } catch (Exception e) {
        System.out.printf("%-9s unreachable (%s), skipped%n", db, e.getMessage());
        continue;
      }
      for (String threads : System.getProperty("threads", "1,16").split(",")) {
        run(db, Integer.parseInt(threads.trim()), seconds);
      }
    }
  }

  private static void run(JdbcTestDb db, int threads, double seconds) throws Exception {
    Map<Keyword, Object> cfg = db.config(JdbcTestDb.newTable("b"));
    try (Store s = Stores.open(cfg);
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      var committer = ((StoreJdbc) s).log().committer();
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
          "%-9s %2d threads: %8.0f commits/s, %7.0f transactions/s, %5.1f commits per"
              + " transaction%n",
          db, threads, commits.sum() / secs, flushes / secs, commits.sum() / (double) flushes);
    }
    Stores.delete(cfg);
  }
}
