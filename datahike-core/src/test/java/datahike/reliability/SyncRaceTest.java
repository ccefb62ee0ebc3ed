package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.TxReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index flushes ({@code conn.sync()}) racing commits in one process: eight writer threads commit
 * while another thread syncs in a loop. Every acknowledged transaction must have its own
 * transaction id, and the reopened database must hold each one whole ({@link CrashVerifier}).
 */
class SyncRaceTest {
  @TempDir Path dir;

  @Test
  void syncDuringConcurrentCommits_keepsEveryTransactionDistinctAndDurable() throws Exception {
    Config cfg = CrashWorkload.config(dir.resolve("db"));
    Datahike.createDatabase(cfg);
    Map<String, Long> acked = new ConcurrentHashMap<>();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(CrashWorkload.SCHEMA);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(9);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          String w = CrashWorkload.writer(0, t);
          fs.add(
              pool.submit(
                  () -> {
                    for (int n = 1; n <= 25; n++) {
                      TxReport r = conn.transact(CrashWorkload.tx(w, n));
                      acked.put(CrashWorkload.key(w, n), r.tx());
                    }
                  }));
        }
        Future<?> syncer =
            pool.submit(
                () -> {
                  while (!stop.get()) conn.sync();
                });
        for (Future<?> f : fs) f.get();
        stop.set(true);
        syncer.get();
      } finally {
        stop.set(true);
        pool.shutdown();
      }
    }
    Map<Long, String> byTx = new HashMap<>();
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      String other = byTx.put(e.getValue(), e.getKey());
      assertThat(other)
          .as("tx %d acknowledged for both %s and %s", e.getValue(), e.getKey(), other)
          .isNull();
    }
    CrashVerifier.Outcome v = CrashVerifier.verify(cfg, acked, Map.of());
    assertThat(v.violations()).isEmpty();
  }
}
