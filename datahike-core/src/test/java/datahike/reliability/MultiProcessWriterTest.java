package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Datom;
import datahike.edn.Keyword;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes writing one file database: each write takes the store's writer lock (waiting up
 * to {@code :writer-lock-wait-ms}) and first catches up with what the others appended. Two
 * processes × 1,000 transactions all land, each under the transaction id it was acknowledged with;
 * four processes × 250 upserts of 20 shared unique-identity keys leave one entity per key, holding
 * the values of the last transaction that upserted it.
 */
class MultiProcessWriterTest {
  @TempDir Path dir;

  private static final String SCHEMA =
      "[{:db/ident :mp/id :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :mp/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :u/key :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :u/by :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
          + " {:db/ident :u/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :u/tx :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}]";

  private Config create() {
    Config cfg = WriterChildMain.config(dir.resolve("db").toString());
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
    }
    return cfg;
  }

  /** Starts the writers together and returns each one's output lines. */
  private List<List<String>> runAll(List<List<String>> argLists) throws Exception {
    List<Process> ps = new ArrayList<>();
    List<ChildOutput> outs = new ArrayList<>();
    try {
      for (List<String> args : argLists) {
        Process p = ChildJvm.start(WriterChildMain.class, args);
        ps.add(p);
        outs.add(new ChildOutput(p));
      }
      for (ChildOutput o : outs) assertThat(o.await("READY", 0, 60_000)).isGreaterThanOrEqualTo(0);
      for (Process p : ps) {
        OutputStream in = p.getOutputStream();
        in.write("GO\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      List<List<String>> lines = new ArrayList<>();
      for (int i = 0; i < ps.size(); i++) {
        assertThat(ps.get(i).waitFor(150, TimeUnit.SECONDS)).as("writer %d finished", i).isTrue();
        assertThat(ps.get(i).exitValue()).as("writer %d exit code", i).isZero();
        List<String> l = outs.get(i).finish(10_000);
        assertThat(l).last().isEqualTo("DONE");
        lines.add(l);
      }
      return lines;
    } finally {
      for (Process p : ps) p.destroyForcibly();
    }
  }

  /** How often consecutive transactions (by tx id) come from different writers. */
  private static int switches(Map<Long, String> writerByTx) {
    int n = 0;
    String prev = null;
    for (String w : new TreeMap<>(writerByTx).values()) {
      if (prev != null && !prev.equals(w)) n++;
      prev = w;
    }
    return n;
  }

  @Test
  void twoProcesses_thousandTransactionsEach_allLand() throws Exception {
    Config cfg = create();
    int count = 1000;
    List<List<String>> out =
        runAll(
            List.of(
                List.of("commit", cfg.store().get(Keyword.of("path")).toString(), "a", "" + count),
                List.of(
                    "commit", cfg.store().get(Keyword.of("path")).toString(), "b", "" + count)));
    Map<String, Long> acked = new HashMap<>();
    Map<Long, String> writerByTx = new HashMap<>();
    for (List<String> lines : out) {
      for (String l : lines) {
        if (!l.startsWith("ACK ")) continue;
        String[] f = l.split(" ");
        acked.put(f[1], Long.parseLong(f[2]));
        assertThat(writerByTx.put(Long.parseLong(f[2]), f[1].substring(0, 1)))
            .as("tx %s acknowledged twice", f[2])
            .isNull();
      }
    }
    assertThat(acked).hasSize(2 * count);
    assertThat(switches(writerByTx)).as("the writers took turns").isGreaterThanOrEqualTo(2);
    try (Connection conn = Datahike.connect(cfg)) {
      Map<String, Long> found = new HashMap<>();
      Map<Long, Datom> ns = new HashMap<>();
      Database db = conn.db();
      for (Datom d : db.datoms(":aevt", ":mp/n")) ns.put(d.e(), d);
      for (Datom d : db.datoms(":aevt", ":mp/id")) {
        String id = (String) d.v();
        assertThat(found.put(id, d.tx())).as("%s twice", id).isNull();
        Datom n = ns.get(d.e());
        assertThat(n.v()).isEqualTo(Long.parseLong(id.substring(2)));
        assertThat(n.tx()).isEqualTo(d.tx());
      }
      assertThat(ns).hasSize(2 * count);
      assertThat(found).isEqualTo(acked);
    }
  }

  @Test
  void fourProcesses_upsertingSharedKeys_leaveOneEntityPerKey() throws Exception {
    Config cfg = create();
    String path = cfg.store().get(Keyword.of("path")).toString();
    int count = 250;
    int keys = 20;
    List<List<String>> args = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      args.add(List.of("upsert", path, "p" + p, "" + count, "" + keys, "" + (17 + p)));
    }
    List<List<String>> out = runAll(args);
    // key → [tx, writer, n] of the last upsert, by tx id
    Map<String, Object[]> last = new HashMap<>();
    Map<Long, String> writerByTx = new HashMap<>();
    Map<String, Long> txOf = new HashMap<>();
    for (List<String> lines : out) {
      for (String l : lines) {
        if (!l.startsWith("ACK ")) continue;
        String[] f = l.split(" ");
        long tx = Long.parseLong(f[3]);
        String[] idParts = f[1].split("-");
        assertThat(writerByTx.put(tx, idParts[0])).as("tx %d acknowledged twice", tx).isNull();
        txOf.put(f[1], tx);
        Object[] prev = last.get(f[2]);
        if (prev == null || (Long) prev[0] < tx) {
          last.put(f[2], new Object[] {tx, idParts[0], Long.parseLong(idParts[1])});
        }
      }
    }
    assertThat(txOf).hasSize(4 * count);
    assertThat(switches(writerByTx)).as("the writers took turns").isGreaterThanOrEqualTo(3);
    try (Connection conn = Datahike.connect(cfg)) {
      Database db = conn.db();
      Map<String, List<Long>> entitiesByKey = new HashMap<>();
      for (Datom d : db.datoms(":aevt", ":u/key")) {
        entitiesByKey.computeIfAbsent((String) d.v(), k -> new ArrayList<>()).add(d.e());
      }
      assertThat(entitiesByKey.keySet()).isEqualTo(last.keySet());
      for (Map.Entry<String, List<Long>> en : entitiesByKey.entrySet()) {
        assertThat(en.getValue()).as("entities of %s", en.getKey()).hasSize(1);
        Map<Keyword, Object> e = db.pull("[:u/by :u/n]", en.getValue().get(0));
        Object[] l = last.get(en.getKey());
        assertThat(e)
            .as("values of %s", en.getKey())
            .containsEntry(Keyword.of("u/by"), l[1])
            .containsEntry(Keyword.of("u/n"), l[2]);
      }
      Map<String, Long> metas = new HashMap<>();
      for (Datom d : db.datoms(":aevt", ":u/tx")) metas.put((String) d.v(), d.e());
      assertThat(metas).isEqualTo(txOf);
    }
  }
}
