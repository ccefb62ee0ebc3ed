package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.store.PowerLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss for the file store, for real: a scripted workload (create, schema, 200 transactions of
 * the crash workload, some of 40 entities, with index flushes every 25 and garbage collection every
 * 75, on 16 KiB log segments) runs through {@link PowerLoss}, which records what every file force
 * and directory fsync made durable. Then the crash point walks over every sync of the workload: the
 * disk as it would be after a power loss right after that sync (un-synced data and un-synced
 * directory entries lost) is built in a fresh directory, reopened and checked by {@link
 * CrashVerifier}: every transaction acknowledged before that sync is there under its tx id, every
 * transaction present is whole, each writer's transactions are a prefix of its sequence with their
 * history. A store that is not there is allowed only before {@code createDatabase} returned. Any
 * exception on reopen is a finding too: power loss must not damage what was synced.
 */
class PowerLossTest {
  @TempDir Path dir;

  @Test
  void powerLossAfterEverySync_keepsEveryAcknowledgedTransaction_andNothingHalf() {
    assertTimeoutPreemptively(Duration.ofMinutes(15), this::walk);
  }

  /**
   * The crash points to check: all of them with {@code -Ddatahike.powerloss.all=true} (the long
   * form) or when there are at most 100; otherwise every point until the database and its schema
   * exist plus 100 drawn at random (seed {@code -Ddatahike.seed}, printed), so that runs cover
   * different points.
   */
  private static List<Integer> points(int total, int created) {
    List<Integer> all = new ArrayList<>();
    for (int k = 0; k <= total; k++) all.add(k);
    if (Boolean.getBoolean("datahike.powerloss.all") || total <= 100) return all;
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    System.out.println("PowerLossTest seed " + seed);
    List<Integer> out = new ArrayList<>(all.subList(0, Math.min(total, created + 10)));
    List<Integer> rest = new ArrayList<>(all.subList(out.size(), all.size()));
    Collections.shuffle(rest, new Random(seed));
    out.addAll(rest.subList(0, Math.min(100, rest.size())));
    out.add(total);
    Collections.sort(out);
    return out.stream().distinct().toList();
  }

  private static String store(Path root) {
    return "{:backend :file :path "
        + CrashWorkload.edn(root.resolve("db").toString())
        + " :log-segment-bytes 16384}";
  }

  private void walk() throws Exception {
    Path work = dir.resolve("work");
    Files.createDirectories(work);
    Config cfg = CrashWorkload.config(store(work));
    String w = "w0";
    int txs = Integer.getInteger("datahike.powerloss.txs", 200);
    Map<String, Long> acked = new LinkedHashMap<>();
    Map<String, Integer> ackedAt = new HashMap<>();
    int created;
    int total;
    try (PowerLoss pl = PowerLoss.install(work)) {
      Datahike.createDatabase(cfg);
      created = pl.syncs();
      try (Connection conn = Datahike.connect(cfg)) {
        conn.transact(CrashWorkload.SCHEMA);
        for (int n = 1; n <= txs; n++) {
          long tx = conn.transact(CrashWorkload.tx(w, n)).tx();
          String key = CrashWorkload.key(w, n);
          acked.put(key, tx);
          ackedAt.put(key, pl.syncs());
          if (n % 25 == 0) conn.sync();
          if (n % 75 == 0) Datahike.gcStorage(conn, new Date());
        }
      }
      total = pl.syncs();
      System.out.println(
          "PowerLossTest: " + txs + " transactions, " + total + " syncs; created after " + created);
      pl.close(); // reopening and recovery write the copies through plain channels
      List<String> findings = new ArrayList<>();
      long checked = 0;
      int absent = 0;
      List<Integer> points = points(total, created);
      for (int k : points) {
        Path crash = dir.resolve("crash-" + k);
        pl.materialize(k, crash);
        Map<String, Long> mustHave = new HashMap<>();
        for (Map.Entry<String, Long> en : acked.entrySet()) {
          if (ackedAt.get(en.getKey()) <= k) mustHave.put(en.getKey(), en.getValue());
        }
        Config c = CrashWorkload.config(store(crash));
        try {
          if (!Datahike.databaseExists(c)) {
            absent++;
            if (k >= created) findings.add("sync " + k + ": the database is gone");
            continue;
          }
          CrashVerifier.Outcome o = CrashVerifier.verify(c, mustHave, Map.of());
          checked++;
          for (String v : o.violations()) findings.add("sync " + k + ": " + v);
        } catch (DatahikeException e) {
          findings.add("sync " + k + ": " + e.code() + " " + e.getMessage());
        } finally {
          FileStoreLayout.deleteTree(crash);
        }
        if (findings.size() > 20) break;
      }
      System.out.println(
          "PowerLossTest: "
              + (total + 1)
              + " crash points, "
              + points.size()
              + " walked, "
              + checked
              + " reopened and checked, "
              + absent
              + " before the store existed, findings "
              + findings.size());
      assertThat(findings).isEmpty();
      assertThat(checked + absent).isEqualTo(points.size());
      assertThat(absent).isLessThanOrEqualTo(created);
    }
  }
}
