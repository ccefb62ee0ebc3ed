package datahike.server.client;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.edn.Keyword;
import datahike.server.Server;
import datahike.server.ServerConfig;
import datahike.server.ServerMain;
import datahike.server.codec.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small loopback benchmark (not a test): requests per second for a small query and a small
 * transaction through {@code Datahike.connect} with {@code :remote-peer} against an in-process
 * server, one client and eight
 * concurrent ones, in each wire format. Bounded: about 3 s per measurement.
 *
 * <p>Run: {@code mvn -pl datahike-server -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=datahike.server.client.RemoteBench} (optionally {@code -Dexec.args="SECONDS
 * FORMAT..."}).
 */
public final class RemoteBench {
  private RemoteBench() {}

  /** One measured operation. */
  interface Op {
    void run(Connection conn, long i);
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    String token = "bench";
    List<Format> formats = new ArrayList<>();
    for (int i = 1; i < args.length; i++) formats.add(Format.ofName(args[i]));
    if (formats.isEmpty()) formats = List.of(Format.values());
    try (Server server =
        ServerMain.start(ServerConfig.builder().port(0).token(token).allowCreate(true).build())) {
      // Two passes over everything: the first warms the JIT up (server and client share this
      // JVM), the second is printed.
      for (int pass = 0; pass < 2; pass++) {
        boolean print = pass == 1;
        if (print) {
          System.out.printf(
              "%-8s %-12s %8s %12s %10s%n",
              "format", "operation", "clients", "requests/s", "mean ms");
        }
        for (Format f : formats) {
          String id = "bench-" + UUID.randomUUID();
          Config cfg =
              Config.parse(
                  "{:store {:backend :memory :id \""
                      + id
                      + "\"} :keep-history? false"
                      + " :remote-peer {:backend :datahike-server :url \""
                      + server.url()
                      + "\""
                      + " :token \""
                      + token
                      + "\" :format "
                      + f.keyword()
                      + "}}");
          Datahike.createDatabase(cfg);
          try (Connection conn = Datahike.connect(cfg)) {
            conn.transact(
                "[{:db/ident :id :db/valueType :db.type/long"
                    + "  :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
                    + " {:db/ident :name :db/valueType :db.type/string"
                    + "  :db/cardinality :db.cardinality/one}]");
            StringBuilder tx = new StringBuilder("[");
            for (int i = 0; i < 1000; i++) {
              tx.append("{:id ").append(i).append(" :name \"n").append(i).append("\"}");
            }
            conn.transact(tx.append("]").toString());
          }
          Op query =
              (c, i) ->
                  Datahike.q(
                      "[:find ?n . :in $ ?id :where [?e :id ?id] [?e :name ?n]]", c.db(), i % 1000);
          AtomicLong next = new AtomicLong(1_000_000);
          Op transact =
              (c, i) ->
                  c.transact(
                      List.of(
                          Map.of(
                              Keyword.of("id"), next.getAndIncrement(), Keyword.of("name"), "x")));
          double secs = print ? seconds : seconds / 2;
          for (int clients : new int[] {1, 8}) {
            measure(f, "query", clients, secs, cfg, query, print);
            measure(f, "transact", clients, secs, cfg, transact, print);
          }
          Datahike.deleteDatabase(cfg);
        }
      }
    }
  }

  private static void measure(
      Format f, String name, int clients, double seconds, Config cfg, Op op, boolean print)
      throws Exception {
    long[] r = run(clients, seconds, cfg, op);
    if (!print) return;
    double perSecond = r[0] / (r[1] / 1e9);
    System.out.printf(
        "%-8s %-12s %8d %12.0f %10.3f%n",
        f, name, clients, perSecond, clients * 1000.0 / perSecond);
  }

  /** Returns {requests, nanos}. */
  private static long[] run(int clients, double seconds, Config cfg, Op op) throws Exception {
    AtomicLong count = new AtomicLong();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      Thread th =
          new Thread(
              () -> {
                try (Connection conn = Datahike.connect(cfg)) {
                  for (long i = 0; System.nanoTime() < end; i++) {
                    op.run(conn, i);
                    count.incrementAndGet();
                  }
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) th.join();
    return new long[] {count.get(), System.nanoTime() - start};
  }
}
