package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 32 clients ({@code Datahike.connect} with {@code :remote-peer}) transact and query over loopback for a bounded time (10 s): every acknowledged
 * transaction is in the database afterwards, and each client reads its own acknowledged writes.
 */
class ConcurrentClientsTest {
  static final int CLIENTS = 32;
  static final long DURATION_MS = 10_000;

  @Test
  void concurrentClients_loseNoAcknowledgedTransaction() throws Exception {
    String id = "concurrent-" + UUID.randomUUID();
    try (RemoteFixture fx = new RemoteFixture()) {
      Config admin = fx.remote(id, Format.TRANSIT);
      Datahike.createDatabase(admin);
      try (Connection c = Datahike.connect(admin)) {
        c.transact(
            "[{:db/ident :key :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
                + "  :db/unique :db.unique/identity}"
                + " {:db/ident :client :db/valueType :db.type/long"
                + "  :db/cardinality :db.cardinality/one}]");
      }
      Set<String> acknowledged = concurrentSet();
      Collection<String> unknown = new ConcurrentLinkedQueue<>();
      Collection<String> failures = new ConcurrentLinkedQueue<>();
      AtomicLong txs = new AtomicLong();
      AtomicLong queries = new AtomicLong();
      CountDownLatch done = new CountDownLatch(CLIENTS);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MS);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        final int client = i;
        Thread t =
            new Thread(
                () -> {
                  Format f = Format.values()[client % Format.values().length];
                  long mine = 0;
                  try (Connection conn = Datahike.connect(fx.remote(id, f))) {
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                      String key = "c" + client + "-" + n;
                      try {
                        conn.transact(
                            List.of(
                                Map.of(
                                    Keyword.of("key"), key, Keyword.of("client"), (long) client)));
                        acknowledged.add(key);
                        mine++;
                        txs.incrementAndGet();
                      } catch (RemoteException e) {
                        if (e.status() == 0) {
                          unknown.add(key);
                        } else {
                          failures.add(key + ": " + e.code() + " " + e.getMessage());
                        }
                      }
                      Object count =
                          Datahike.q(
                              "[:find (count ?e) . :in $ ?c :where [?e :client ?c]]",
                              conn.db(),
                              (long) client);
                      queries.incrementAndGet();
                      if (count == null || ((Number) count).longValue() < mine) {
                        failures.add(
                            "client "
                                + client
                                + " read "
                                + count
                                + " after "
                                + mine
                                + " acknowledged");
                      }
                    }
                  } catch (RuntimeException e) {
                    failures.add("client " + client + ": " + e);
                  } finally {
                    done.countDown();
                  }
                },
                "client-" + i);
        threads.add(t);
        t.start();
      }
      assertThat(done.await(DURATION_MS + 60_000, TimeUnit.MILLISECONDS)).isTrue();
      assertThat(failures).isEmpty();

      Config localCfg = RemoteFixture.local(id);
      Connection local = Datahike.connect(localCfg);
      Collection<?> keys = Datahike.q("[:find [?k ...] :where [_ :key ?k]]", local.db());
      Set<Object> present = new HashSet<>(keys);
      assertThat(present).containsAll(acknowledged);
      assertThat(present.size()).isLessThanOrEqualTo(acknowledged.size() + unknown.size());
      System.out.printf(
          "%d clients, %d ms: %d transactions acknowledged (%.0f/s), %d unknown, %d queries"
              + " (%.0f/s)%n",
          CLIENTS,
          DURATION_MS,
          txs.get(),
          txs.get() * 1000.0 / DURATION_MS,
          unknown.size(),
          queries.get(),
          queries.get() * 1000.0 / DURATION_MS);
      assertThat(txs.get()).isPositive();
      Datahike.deleteDatabase(localCfg);
    }
  }

  private static Set<String> concurrentSet() {
    return java.util.concurrent.ConcurrentHashMap.newKeySet();
  }
}
