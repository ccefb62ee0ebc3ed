package datahike.reliability;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Datom;
import datahike.TxReport;
import datahike.edn.Keyword;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Several processes writing one database at once: each child JVM commits {@code txs} transactions,
 * each asserting an entity of its own ({@code :mp/id "<writer>-<i>"}) and upserting one of 20
 * shared unique-identity keys ({@code :u/key}), so every write takes the store's writer lock and
 * first catches up with what the others appended. Afterwards the database must hold every
 * acknowledged transaction under the transaction id it was acknowledged with, nothing else, one
 * entity per shared key (an upsert never duplicated), holding the values of the key's last
 * transaction.
 */
public final class MultiWriters {
  private MultiWriters() {}

  static final String SCHEMA =
      "[{:db/ident :mp/id :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :mp/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :u/key :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :u/by :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
          + " {:db/ident :u/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  static final int KEYS = 20;

  /**
   * What a run found.
   *
   * @param acknowledged transactions the writers acknowledged
   * @param present workload transactions found in the database
   * @param lost acknowledged transactions missing or under another transaction id
   * @param duplicatedKeys shared keys held by more than one entity
   * @param handovers how often consecutive transactions came from different processes
   * @param violations the first problems found (empty when all is well)
   * @param seconds how long the writers ran
   */
  public record Outcome(
      int acknowledged,
      int present,
      int lost,
      int duplicatedKeys,
      int handovers,
      List<String> violations,
      long seconds) {
    public boolean ok() {
      return violations.isEmpty();
    }

    @Override
    public String toString() {
      return "acknowledged "
          + acknowledged
          + ", present "
          + present
          + ", lost "
          + lost
          + ", duplicated upsert keys "
          + duplicatedKeys
          + ", writer handovers "
          + handovers
          + ", "
          + seconds
          + " s, violations "
          + violations.size()
          + (violations.isEmpty() ? "" : " " + violations);
    }
  }

  /** Runs {@code processes} writers of {@code txs} transactions each on a fresh database. */
  public static Outcome run(
      CrashBackend backend, Path dir, int processes, int txs, long seed, PrintStream log)
      throws Exception {
    String store = backend.store(dir, CrashBackend.runName(), 0);
    Config cfg = config(store);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Process> ps = new ArrayList<>();
    List<ChildOutput> outs = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    long start = System.currentTimeMillis();
    try {
      for (int p = 0; p < processes; p++) {
        Process child =
            ChildJvm.start(Child.class, List.of(store, "p" + p, "" + txs, "" + random.nextLong()));
        ps.add(child);
        outs.add(new ChildOutput(child));
      }
      for (ChildOutput o : outs) {
        if (o.await("READY", 0, 120_000) < 0) throw new IllegalStateException("a writer died");
      }
      for (Process p : ps) {
        OutputStream in = p.getOutputStream();
        in.write("GO\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      Map<String, Long> acked = new HashMap<>();
      Map<Long, String> writerByTx = new HashMap<>();
      Map<String, Object[]> last = new HashMap<>(); // key → {tx, writer, n} of its last upsert
      for (int i = 0; i < ps.size(); i++) {
        Process p = ps.get(i);
        if (!p.waitFor(Math.max(600, txs / 2), TimeUnit.SECONDS)) bad.add("writer " + i + " hung");
        else if (p.exitValue() != 0) bad.add("writer " + i + " exited with " + p.exitValue());
        for (String l : outs.get(i).finish(10_000)) {
          if (!l.startsWith("ACK ")) continue;
          String[] f = l.split(" "); // ACK <id> <key> <tx>
          long tx = Long.parseLong(f[3]);
          String writer = f[1].substring(0, f[1].indexOf('-'));
          if (writerByTx.put(tx, writer) != null) bad.add("tx " + tx + " acknowledged twice");
          acked.put(f[1], tx);
          Object[] prev = last.get(f[2]);
          if (prev == null || (Long) prev[0] < tx) {
            last.put(
                f[2],
                new Object[] {tx, writer, Long.parseLong(f[1].substring(f[1].indexOf('-') + 1))});
          }
        }
      }
      long seconds = (System.currentTimeMillis() - start) / 1000;
      if (acked.size() != processes * txs) {
        bad.add("acknowledged " + acked.size() + " of " + processes * txs);
      }
      int handovers = 0;
      String prev = null;
      for (String w : new TreeMap<>(writerByTx).values()) {
        if (prev != null && !prev.equals(w)) handovers++;
        prev = w;
      }
      int[] counts = verify(cfg, acked, last, bad);
      Outcome o =
          new Outcome(
              acked.size(), counts[0], counts[1], counts[2], handovers, limit(bad), seconds);
      if (o.ok()) Datahike.deleteDatabase(cfg);
      return o;
    } finally {
      for (Process p : ps) p.destroyForcibly();
    }
  }

  private static List<String> limit(List<String> l) {
    return List.copyOf(l.subList(0, Math.min(30, l.size())));
  }

  /** Checks the database; returns {present, lost, duplicated keys}. */
  private static int[] verify(
      Config cfg, Map<String, Long> acked, Map<String, Object[]> last, List<String> bad) {
    try (Connection conn = Datahike.connect(cfg)) {
      Database db = conn.db();
      Map<String, Long> found = new HashMap<>();
      Map<Long, Datom> ns = new HashMap<>();
      for (Datom d : db.datoms(":aevt", ":mp/n")) ns.put(d.e(), d);
      for (Datom d : db.datoms(":aevt", ":mp/id")) {
        String id = (String) d.v();
        if (found.put(id, d.tx()) != null) bad.add(id + " twice");
        Datom n = ns.get(d.e());
        long expected = Long.parseLong(id.substring(id.indexOf('-') + 1));
        if (n == null || !n.v().equals(expected) || n.tx() != d.tx()) {
          bad.add(id + " is not whole: " + n);
        }
      }
      if (ns.size() != found.size())
        bad.add(ns.size() + " :mp/n datoms for " + found.size() + " ids");
      int lost = 0;
      for (Map.Entry<String, Long> en : acked.entrySet()) {
        if (!en.getValue().equals(found.get(en.getKey()))) {
          lost++;
          bad.add(
              "acknowledged "
                  + en.getKey()
                  + " (tx "
                  + en.getValue()
                  + ") is "
                  + found.get(en.getKey()));
        }
      }
      for (String id : found.keySet()) {
        if (!acked.containsKey(id)) bad.add(id + " present but never acknowledged");
      }
      Map<String, List<Long>> entitiesByKey = new HashMap<>();
      for (Datom d : db.datoms(":aevt", ":u/key")) {
        entitiesByKey.computeIfAbsent((String) d.v(), k -> new ArrayList<>()).add(d.e());
      }
      if (!entitiesByKey.keySet().equals(last.keySet())) {
        bad.add("keys " + entitiesByKey.keySet() + ", upserted " + last.keySet());
      }
      int duplicated = 0;
      for (Map.Entry<String, List<Long>> en : entitiesByKey.entrySet()) {
        if (en.getValue().size() != 1) {
          duplicated++;
          bad.add("key " + en.getKey() + " has entities " + en.getValue());
          continue;
        }
        Map<Keyword, Object> e = db.pull("[:u/by :u/n]", en.getValue().get(0));
        Object[] l = last.get(en.getKey());
        if (l != null
            && (!l[1].equals(e.get(Keyword.of("u/by")))
                || !l[2].equals(e.get(Keyword.of("u/n"))))) {
          bad.add(
              "key " + en.getKey() + " holds " + e + ", its last upsert was " + l[1] + " " + l[2]);
        }
      }
      return new int[] {found.size(), lost, duplicated};
    }
  }

  static Config config(String store) {
    return Config.parse("{:store " + store + " :writer-lock-wait-ms 120000}");
  }

  /**
   * A writer process: {@code Child <store> <name> <count> <seed>}. Connects, prints {@code READY},
   * waits for a line on stdin (so that all writers start together), commits, printing {@code ACK
   * <name>-<i> <key> <tx>} per acknowledged transaction, then {@code DONE}. Every 25 transactions
   * it pauses a little longer than the writer lock's linger time, so the lock changes hands.
   */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      String name = args[1];
      int count = Integer.parseInt(args[2]);
      SplittableRandom random = new SplittableRandom(Long.parseLong(args[3]));
      try (Connection conn = Datahike.connect(config(args[0]))) {
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (int i = 1; i <= count; i++) {
          String id = name + "-" + i;
          String key = "k" + random.nextInt(KEYS);
          TxReport r =
              conn.transact(
                  "[{:mp/id \""
                      + id
                      + "\" :mp/n "
                      + i
                      + "} {:u/key \""
                      + key
                      + "\" :u/by \""
                      + name
                      + "\" :u/n "
                      + i
                      + "}]");
          System.out.println("ACK " + id + " " + key + " " + r.tx());
          System.out.flush();
          if (i % 25 == 0) Thread.sleep(210 + random.nextInt(60));
        }
      }
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
