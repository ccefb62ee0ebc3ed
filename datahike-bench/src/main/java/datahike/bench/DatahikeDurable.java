package datahike.bench;

import datahike.bench.DatahikeHarness.Db;
import datahike.bench.People20k.Person;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The durable-commit measurements of the {@code commit} suite on datahike-java, on a given {@link
 * Backend} (the file store by default): single-writer commits/s, concurrent-writer commits/s, bulk
 * load datoms/s. Each opens a fresh database (local backends: under the bench work directory,
 * beside the fsync probe's temp dir) and deletes it afterwards.
 *
 * <p>When a backend cannot be opened (its server is down, its module missing) each measurement
 * throws {@link NotAvailable}, which the suite prints in that backend's row instead of a figure.
 */
final class DatahikeDurable {
  /** The backend cannot be opened here. */
  static final class NotAvailable extends Exception {
    NotAvailable(Throwable cause) {
      super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
  }

  private DatahikeDurable() {}

  /**
   * Commits/s of one writer: {@code warmup} then {@code n} transactions of one person entity each
   * (5 datoms), each durable when {@code transact} returns.
   */
  static double singleWriterCommitsPerSec(Backend backend, List<Person> people, int warmup, int n)
      throws Exception {
    try (Db db = DatahikeHarness.open(backend)) {
      for (int i = 0; i < warmup; i++) {
        db.conn.transact(List.of(DatahikeHarness.entityMap(people.get(i % people.size()))));
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        db.conn.transact(
            List.of(DatahikeHarness.entityMap(people.get((warmup + i) % people.size()))));
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Group commit as the last {@link #concurrentCommitsPerSec} timed round saw it: transactions per
   * sync, microseconds per append+sync, microseconds the appender waited to gather more
   * transactions; null when the backend writes no log here.
   */
  record GroupCommit(double txPerSync, double appendMicros, double gatherMicros) {}

  static volatile GroupCommit lastGroupCommit;

  /**
   * Commits/s of {@code writers} threads on one connection, each committing {@code perWriter}
   * one-person transactions; the figure is all commits over the wall time of the slowest. An
   * untimed round of the same size comes first, as the single-writer figure has its warm-up:
   * measured on 2 cores, the first rounds of 16 × 200 commits ran at half the rate of later ones
   * (the JIT compiling the contended paths), which is why the full plan also runs 16 × 1,000.
   */
  static double concurrentCommitsPerSec(
      Backend backend, List<Person> people, int writers, int perWriter) throws Exception {
    try (Db db = DatahikeHarness.open(backend)) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        writersRound(db, pool, people, writers, perWriter, 0);
        long[] s0 = db.conn.commitStats();
        long t0 = System.nanoTime();
        writersRound(db, pool, people, writers, perWriter, writers * perWriter);
        double rate = (double) writers * perWriter / ((System.nanoTime() - t0) / 1e9);
        long[] s1 = db.conn.commitStats();
        long syncs = s1.length >= 4 ? s1[0] - s0[0] : 0;
        lastGroupCommit =
            syncs <= 0
                ? null
                : new GroupCommit(
                    (double) (s1[1] - s0[1]) / syncs,
                    (s1[2] - s0[2]) / 1e3 / syncs,
                    (s1[3] - s0[3]) / 1e3 / syncs);
        return rate;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Each of {@code writers} threads commits {@code perWriter} people, starting at {@code offset}. */
  private static void writersRound(
      Db db, ExecutorService pool, List<Person> people, int writers, int perWriter, int offset)
      throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int base = offset + w * perWriter;
      fs.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perWriter; i++) {
                  Person p = people.get((base + i) % people.size());
                  db.conn.transact(List.of(DatahikeHarness.entityMap(p)));
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
  }

  /** Datoms/s of the first warm-up load of the last {@link #bulkLoadDatomsPerSec}: a cold JVM's. */
  static volatile double lastBulkColdRate;

  /**
   * Datoms/s of loading {@code people} in transactions of {@code batch} entity maps into a fresh
   * database: the median of {@code timedLoads} such loads (a load of a million datoms takes about a
   * second, which one young collection more or less swings by a fifth), after {@code warmupLoads}
   * loads of the same set into other fresh databases (the first of them kept as {@link
   * #lastBulkColdRate}), as the single-writer figure has its warm-up commits. Measured here on 2
   * cores, a JVM's first load of a million datoms ran at 0.35-0.5 of the rate of its third and
   * later ones and the second at about 0.7: the JIT still compiling the transactor, the tree
   * merges and the codecs.
   *
   * <p>The transactions are built before the clock starts and a full GC runs then, so that the
   * input (about 80 MB of entity maps for 200,000 people) sits in the old generation instead of
   * being copied by the young collections of the timed load.
   */
  static double bulkLoadDatomsPerSec(
      Backend backend, List<Person> people, int batch, int warmupLoads, int timedLoads)
      throws Exception {
    for (int i = 0; i < warmupLoads; i++) {
      double rate = timedLoad(backend, people, batch);
      if (i == 0) lastBulkColdRate = rate;
    }
    double[] rates = new double[timedLoads];
    for (int i = 0; i < timedLoads; i++) {
      rates[i] = timedLoad(backend, people, batch);
    }
    Arrays.sort(rates);
    return rates[timedLoads / 2];
  }

  private static double timedLoad(Backend backend, List<Person> people, int batch)
      throws Exception {
    try (Db db = DatahikeHarness.open(backend)) {
      List<List<Object>> txs = bulkTransactions(people, batch);
      System.gc();
      long t0 = System.nanoTime();
      for (List<Object> tx : txs) {
        db.conn.transact(tx);
      }
      return (double) people.size() * People20k.ATTRS_PER_PERSON / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** {@code people} as transactions of {@code batch} entity maps each. */
  private static List<List<Object>> bulkTransactions(List<Person> people, int batch) {
    List<List<Object>> txs = new ArrayList<>();
    for (int i = 0; i < people.size(); i += batch) {
      List<Object> tx = new ArrayList<>();
      for (Person p : people.subList(i, Math.min(people.size(), i + batch))) {
        tx.add(DatahikeHarness.entityMap(p));
      }
      txs.add(tx);
    }
    return txs;
  }
}
