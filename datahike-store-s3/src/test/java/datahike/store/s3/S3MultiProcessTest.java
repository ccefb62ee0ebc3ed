package datahike.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.BlobFrame;
import datahike.store.LogEntry;
import datahike.store.Store;
import datahike.store.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The S3 backend across processes: a writer killed mid-append (its lease expires, every
 * acknowledged record survives, the next writer continues), fencing of a writer whose lease was
 * taken, and readers in two other JVMs following a writer through {@code conn.refresh()}.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class S3MultiProcessTest {
  static final String BUCKET = "multi";
  static S3TestServer server;

  @BeforeAll
  static void start() {
    server = S3TestServer.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String prefix() {
    return "p-" + UUID.randomUUID() + "/";
  }

  private static Map<Keyword, Object> config(String prefix, long leaseMs) {
    Map<Keyword, Object> m =
        new HashMap<>(S3ChildMain.storeConfig(server.endpoint(), BUCKET, prefix));
    m.put(Keyword.of("lease-ms"), leaseMs);
    return m;
  }

  private static String code(Throwable t) {
    return ((DatahikeException) t).code().fullName();
  }

  @Test
  void writerKilledMidAppend_leaseExpires_acknowledgedRecordsSurvive() throws Exception {
    String prefix = prefix();
    Map<Keyword, Object> cfg = config(prefix, 2000);
    Process child = S3ChildMain.start("append", server.endpoint(), BUCKET, prefix, "2000");
    Map<Long, String> acked = new HashMap<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Store s = Stores.open(cfg)) {
      assertThat(out.readLine()).isEqualTo("LOCKED");
      assertThatThrownBy(() -> s.lockWriter(Duration.ofMillis(200)))
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName()).isEqualTo("store/locked");
                assertThat(e.getMessage()).contains("process " + child.pid());
              });
      String line;
      while (acked.size() < 100 && (line = out.readLine()) != null) {
        String[] p = line.split(" ");
        acked.put(Long.parseLong(p[0]), p[1]);
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(acked).hasSize(100);
      long t0 = System.nanoTime();
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(20))) {
        // The dead holder's lease had to run out first (one lease period after we first saw it).
        assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
        List<LogEntry> log = s.readLog(1);
        for (LogEntry e : log) {
          assertThat(e.seq()).isEqualTo(log.indexOf(e) + 1L);
        }
        Map<Long, String> stored = new HashMap<>();
        log.forEach(e -> stored.put(e.seq(), new String(e.payload(), StandardCharsets.UTF_8)));
        assertThat(stored).containsAllEntriesOf(acked);
        long next = s.append(List.of("parent".getBytes(StandardCharsets.UTF_8)));
        assertThat(next).isEqualTo(log.size() + 1L);
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void leaseTakenOver_formerHolderFencedOut() throws Exception {
    String prefix = prefix();
    Map<Keyword, Object> cfg = config(prefix, 600);
    try (Store a = Stores.open(cfg);
        Store b = Stores.open(cfg)) {
      Store.WriterLock la = a.lockWriter(Duration.ZERO);
      a.append(List.of(new byte[] {1}));
      // Another writer takes the lease behind a's back (as after a long GC pause of a).
      byte[] other =
          "state held\nholder someone-else\npid 1\nhost elsewhere\nlease-ms 600\nrenewal 0\n"
              .getBytes(StandardCharsets.UTF_8);
      ((StoreS3) b).bucket().put(S3Lease.NAME, BlobFrame.encode(BlobFrame.KIND_BLOB, other));
      // a notices at its next renewal (a quarter of the lease) and refuses to append.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      Throwable fenced = null;
      while (fenced == null && System.nanoTime() < deadline) {
        try {
          a.append(List.of(new byte[] {2}));
          Thread.sleep(50);
        } catch (DatahikeException e) {
          fenced = e;
        }
      }
      assertThat(fenced).isNotNull();
      assertThat(code(fenced)).isEqualTo("store/locked");
      la.close();
    }
  }

  @Test
  void logPositionTakenByAnotherWriter_appendFailsLocked() {
    Map<Keyword, Object> cfg = config(prefix(), 10_000);
    try (Store a = Stores.open(cfg)) {
      Store.WriterLock la = a.lockWriter(Duration.ZERO);
      a.append(List.of(new byte[] {1}));
      // A zombie writer got its group 2 in first: If-None-Match makes a's append fail, not clobber.
      ((StoreS3) a).bucket().put(StoreS3.LOG + S3Keys.logName(2), new byte[] {9});
      assertThatThrownBy(() -> a.append(List.of(new byte[] {2})))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThatThrownBy(() -> a.append(List.of(new byte[] {3})))
          .as("the lock stays lost")
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      la.close();
    }
  }

  /**
   * One writer (this JVM) and two reader JVMs that open the database from storage alone and poll
   * {@code conn.refresh()}. Every transaction adds exactly five named entities, so a reader that
   * ever saw half a transaction would print a count that is not a multiple of five. Both readers
   * must reach the writer's final count.
   */
  @Test
  void readersInOtherProcesses_followWriter_neverSeeHalfTransactions() throws Exception {
    String prefix = prefix();
    Config cfg = Config.of(Map.of(Keyword.of("store"), config(prefix, 10_000)));
    Datahike.createDatabase(cfg);
    int txs = 40;
    int perTx = 5;
    List<Process> readers = new ArrayList<>();
    List<CompletableFuture<List<Long>>> seen = new ArrayList<>();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      for (int r = 0; r < 2; r++) {
        Process p =
            S3ChildMain.start(
                "reader",
                server.endpoint(),
                BUCKET,
                prefix,
                prefix,
                Long.toString((long) txs * perTx));
        readers.add(p);
        seen.add(
            CompletableFuture.supplyAsync(
                () -> {
                  List<Long> counts = new ArrayList<>();
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                      counts.add(Long.parseLong(l.trim()));
                    }
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                  return counts;
                }));
      }
      for (int t = 0; t < txs; t++) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < perTx; i++) {
          sb.append("{:name \"e").append(t).append('-').append(i).append("\"}");
        }
        conn.transact(sb.append(']').toString());
        Thread.sleep(25);
      }
      Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.db());
      assertThat(n).isEqualTo((long) txs * perTx);
      for (int r = 0; r < 2; r++) {
        assertThat(readers.get(r).waitFor(60, TimeUnit.SECONDS)).as("reader %d done", r).isTrue();
        assertThat(readers.get(r).exitValue()).as("reader %d converged", r).isZero();
        List<Long> counts = seen.get(r).get(10, TimeUnit.SECONDS);
        assertThat(counts).as("reader %d", r).isNotEmpty().isSorted();
        assertThat(counts).allSatisfy(c -> assertThat(c % perTx).isZero());
        assertThat(counts.get(counts.size() - 1)).isEqualTo((long) txs * perTx);
      }
    } finally {
      readers.forEach(Process::destroyForcibly);
    }
  }
}
