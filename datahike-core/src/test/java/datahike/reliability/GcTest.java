package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection of stored index nodes racing commits and readers. {@code gcStorage(conn, now -
 * grace)} may delete only what no snapshot younger than the grace period can reach: every such
 * snapshot must still read in full, and read the same datoms as the as-of view of the final
 * database at its last transaction; the database must reopen intact. The same holds for a snapshot
 * held by another process ({@link GcReaderMain}), whose node cache cannot hide a deleted node, and
 * for a reader process that opened before the collection and catches up after it.
 */
class GcTest {
  @TempDir Path dir;

  private static final String SCHEMA =
      "[{:db/ident :g/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique"
          + " :db.unique/identity} {:db/ident :g/v :db/valueType :db.type/long :db/cardinality"
          + " :db.cardinality/one} {:db/ident :g/tag :db/valueType :db.type/string :db/cardinality"
          + " :db.cardinality/many}]";

  static Config config(String path) {
    return Config.parse("{:store {:backend :file :path " + CrashWorkload.edn(path) + "}}");
  }

  /** A snapshot and when it was taken. */
  record Snap(long takenAt, Database db) {}

  private static List<Datom> readAll(Database db) {
    List<Datom> out = new ArrayList<>(db.datoms(":eavt"));
    out.addAll(db.history().datoms(":eavt"));
    return out;
  }

  private static String randomTx(Random r, int entities) {
    StringBuilder sb = new StringBuilder("[");
    int k = 1 + r.nextInt(20);
    for (int i = 0; i < k; i++) {
      sb.append("{:g/id ")
          .append(r.nextInt(entities))
          .append(" :g/v ")
          .append(r.nextInt(1000))
          .append(" :g/tag \"t")
          .append(r.nextInt(8))
          .append("\"}");
    }
    return sb.append(']').toString();
  }

  @Test
  void gcRacingCommits_youngSnapshotsReadFully_andTheDatabaseReopens() throws Exception {
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    System.out.println("GcTest seed " + seed);
    long grace = 400;
    Config cfg = config(dir.resolve("db").toString());
    Datahike.createDatabase(cfg);
    List<Snap> snaps = new CopyOnWriteArrayList<>();
    AtomicLong lastGc = new AtomicLong();
    AtomicLong deleted = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          try (Connection conn = Datahike.connect(cfg)) {
            conn.transact(SCHEMA);
            AtomicBoolean stop = new AtomicBoolean();
            Thread gc =
                new Thread(
                    () -> {
                      try {
                        while (!stop.get()) {
                          long now = System.currentTimeMillis();
                          deleted.addAndGet(Datahike.gcStorage(conn, new Date(now - grace)));
                          lastGc.set(now);
                          Thread.sleep(30);
                        }
                      } catch (Throwable t) {
                        failures.add(t);
                      }
                    });
            Thread reader =
                new Thread(
                    () -> {
                      Random r = new Random(seed + 1);
                      try {
                        while (!stop.get()) {
                          snaps.add(new Snap(System.currentTimeMillis(), conn.db()));
                          // Now and then read a young snapshot in full while GC runs.
                          Snap s = snaps.get(r.nextInt(snaps.size()));
                          if (System.currentTimeMillis() - s.takenAt() < grace / 2) readAll(s.db());
                          Thread.sleep(10);
                        }
                      } catch (Throwable t) {
                        failures.add(t);
                      }
                    });
            gc.start();
            reader.start();
            Random r = new Random(seed);
            for (int i = 0; i < 250; i++) {
              conn.transact(randomTx(r, 300));
              if (i % 50 == 49) conn.sync();
            }
            // GC goes on past the grace period: the first heads' nodes are then old enough to go,
            // however fast the commits above ran.
            Thread.sleep(grace * 3 / 2);
            stop.set(true);
            gc.join();
            reader.join();
            assertThat(failures).isEmpty();
            assertThat(deleted.get()).as("gc deleted something").isPositive();
            Database fin = conn.db();
            int checked = 0;
            int oldFailed = 0;
            for (Snap s : snaps) {
              boolean young = s.takenAt() > lastGc.get() - grace;
              List<Datom> got;
              try {
                got = readAll(s.db());
              } catch (DatahikeException e) {
                assertThat(young)
                    .as(
                        "snapshot taken %d ms before the last gc failed: %s",
                        lastGc.get() - s.takenAt(), e)
                    .isFalse();
                oldFailed++;
                continue;
              }
              // Whatever reads, reads right.
              Database asOf = fin.asOf(s.db().maxTx());
              assertThat(s.db().datoms(":eavt")).isEqualTo(asOf.datoms(":eavt"));
              if (young) checked++;
            }
            assertThat(checked).isPositive();
            System.out.println(
                "GcTest: "
                    + snaps.size()
                    + " snapshots, "
                    + checked
                    + " young ones read in full, "
                    + oldFailed
                    + " old ones unreadable, "
                    + deleted.get()
                    + " blobs deleted");
          }
          try (Connection conn = Datahike.connect(cfg)) {
            List<Datom> before = readAll(conn.db());
            Datahike.gcStorage(conn, new Date());
            try (Connection again = Datahike.connect(cfg)) {
              assertThat(readAll(again.db())).isEqualTo(before);
            }
          }
          try (Connection conn = Datahike.connect(cfg)) {
            assertThat(conn.db().datoms(":eavt")).isNotEmpty();
            readAll(conn.db());
          }
        });
  }

  @Test
  void gc_keepsTheNodesOfAYoungSnapshotHeldInAnotherProcess() throws Exception {
    long grace = 3000;
    Config cfg = config(dir.resolve("db").toString());
    Datahike.createDatabase(cfg);
    Process reader = null;
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      rewriteAll(conn, 0);
      reader = ChildJvm.start(GcReaderMain.class, List.of(dir.resolve("db").toString()));
      ChildOutput out = new ChildOutput(reader);
      assertThat(out.await("READY", 0, 60_000)).isNotNegative();
      // The indices written so far are now older than the grace period.
      Thread.sleep(grace + 200);
      long x = conn.transact("[{:g/id 1000 :g/v 1}]").tx();
      long committedX = System.currentTimeMillis();
      send(reader, "SNAP");
      int snapLine = out.await("", 1, 30_000);
      assertThat(snapLine).isNotNegative();
      // The other process holds the database as of x, committed moments ago. Rewrite every
      // index node twice (so the head and the previous head both moved on), then collect.
      rewriteAll(conn, 1);
      rewriteAll(conn, 2);
      long gcAt = System.currentTimeMillis();
      long removeBefore = gcAt - grace;
      Assumptions.assumeTrue(removeBefore < committedX, "the machine was too slow for the premise");
      long n = Datahike.gcStorage(conn, new Date(removeBefore));
      send(reader, "READ");
      int readLine = out.await("", snapLine + 1, 60_000);
      List<String> lines = stop(reader, out);
      assertThat(lines.get(snapLine)).isEqualTo("SNAP " + x);
      assertThat(lines.get(readLine))
          .as(
              "another process's snapshot as of tx %d, committed %d ms before a gc with a grace of"
                  + " %d ms (which deleted %d blobs)",
              x, gcAt - committedX, grace, n)
          .startsWith("OK");
    } finally {
      if (reader != null) reader.destroyForcibly();
    }
  }

  @Test
  void gc_thenAReaderProcessThatOpenedBeforeIt_refreshesAndReads() throws Exception {
    long grace = 1000;
    Config cfg = config(dir.resolve("db").toString());
    Datahike.createDatabase(cfg);
    Process reader = null;
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      rewriteAll(conn, 0);
      reader = ChildJvm.start(GcReaderMain.class, List.of(dir.resolve("db").toString()));
      ChildOutput out = new ChildOutput(reader);
      assertThat(out.await("READY", 0, 60_000)).isNotNegative();
      rewriteAll(conn, 1);
      Thread.sleep(grace + 200);
      rewriteAll(conn, 2);
      rewriteAll(conn, 3);
      long n = Datahike.gcStorage(conn, new Date(System.currentTimeMillis() - grace));
      long maxTx = conn.db().maxTx();
      send(reader, "SNAP");
      send(reader, "READ");
      int readLine = out.await("", 2, 60_000);
      List<String> lines = stop(reader, out);
      assertThat(lines.get(1))
          .as("refresh after gc deleted %d blobs", n)
          .isEqualTo("SNAP " + maxTx);
      assertThat(lines.get(readLine)).startsWith("OK");
    } finally {
      if (reader != null) reader.destroyForcibly();
    }
  }

  private static void send(Process p, String line) throws Exception {
    OutputStream cmd = p.getOutputStream();
    cmd.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    cmd.flush();
  }

  private static List<String> stop(Process reader, ChildOutput out) throws Exception {
    reader.getOutputStream().close();
    assertThat(reader.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.finish(5_000);
  }

  private static void rewriteAll(Connection conn, int round) {
    StringBuilder up = new StringBuilder("[");
    for (int i = 0; i < 400; i++) {
      up.append("{:g/id ").append(i).append(" :g/v ").append(round).append('}');
    }
    conn.transact(up.append(']').toString());
    conn.sync();
  }
}
