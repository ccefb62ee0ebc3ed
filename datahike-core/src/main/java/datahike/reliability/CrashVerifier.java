package datahike.reliability;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Datom;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a crash database after its writer was killed: reopens it and reads every datom.
 *
 * <ul>
 *   <li>Every acknowledged transaction is present, as the transaction id it was acknowledged with.
 *   <li>Every transaction present is whole: all its part entities with all their datoms, all in one
 *       transaction, with the payloads the workload derives from the key, and its transaction
 *       entity; nothing belongs to a transaction that is not there.
 *   <li>Each writer's transactions are a prefix 1..m of its sequence (it committed them one after
 *       another), its progress upsert holds m, and the history index holds each replaced value
 *       asserted and retracted by the right transactions.
 *   <li>Whatever a previous verification saw is still there (recovery never loses what a reader
 *       once read), and EAVT and AEVT hold the same datoms.
 * </ul>
 */
public final class CrashVerifier {
  private CrashVerifier() {}

  private static final long TX0 = 536870912L;
  private static final Keyword ID = Keyword.of("crash/id");
  private static final Keyword KEY = Keyword.of("crash/key");
  private static final Keyword PART = Keyword.of("crash/part");
  private static final Keyword PAYLOAD = Keyword.of("crash/payload");
  private static final Keyword WRITER = Keyword.of("crash/writer");
  private static final Keyword PROGRESS = Keyword.of("crash/progress");
  private static final Keyword IDENT = Keyword.of("db/ident");
  private static final Keyword TX_INSTANT = Keyword.of("db/txInstant");
  private static final int MAX_REPORTED = 30;

  /**
   * What a verification found.
   *
   * @param present key → transaction id of every workload transaction in the database
   * @param lost keys of acknowledged transactions missing (or present under another transaction id)
   * @param violations descriptions of everything wrong, lost transactions included (at most 30)
   * @param violationCount how many violations there were in all
   */
  public record Outcome(
      Map<String, Long> present, Set<String> lost, List<String> violations, long violationCount) {
    public boolean ok() {
      return violationCount == 0;
    }
  }

  private static final class Findings {
    final List<String> list = new ArrayList<>();
    long count;

    void add(String s) {
      count++;
      if (list.size() < MAX_REPORTED) list.add(s);
    }
  }

  /**
   * Opens the database of {@code cfg} and checks it against {@code acked} (key → acknowledged
   * transaction id) and {@code seen} (key → transaction id found by earlier verifications).
   */
  public static Outcome verify(Config cfg, Map<String, Long> acked, Map<String, Long> seen) {
    try (Connection conn = Datahike.connect(cfg)) {
      return verify(conn.db(), acked, seen);
    }
  }

  /** Checks the database value {@code db}; see {@link #verify(Config, Map, Map)}. */
  public static Outcome verify(Database db, Map<String, Long> acked, Map<String, Long> seen) {
    Findings bad = new Findings();
    List<Datom> eavt = db.datoms(":eavt");
    List<Datom> aevt = db.datoms(":aevt");
    if (aevt.size() != eavt.size() || !new HashSet<>(aevt).equals(new HashSet<>(eavt))) {
      bad.add("EAVT holds " + eavt.size() + " datoms but AEVT " + aevt.size() + " (or others)");
    }
    Map<Long, Map<Keyword, List<Datom>>> entities = new LinkedHashMap<>();
    for (Datom d : eavt) {
      entities
          .computeIfAbsent(d.e(), k -> new LinkedHashMap<>())
          .computeIfAbsent((Keyword) d.attr(), k -> new ArrayList<>())
          .add(d);
    }
    Set<Long> instants = new HashSet<>();
    Set<Long> schemaTxs = new HashSet<>();
    Set<Long> datomTxs = new HashSet<>();
    Map<String, Long> keyTx = new HashMap<>();
    Map<String, Set<Long>> keyParts = new HashMap<>();
    Map<String, long[]> writers = new HashMap<>(); // writer → {eid, progress, progress tx, w tx}
    for (Map.Entry<Long, Map<Keyword, List<Datom>>> en : entities.entrySet()) {
      long e = en.getKey();
      Map<Keyword, List<Datom>> attrs = en.getValue();
      for (List<Datom> ds : attrs.values()) for (Datom d : ds) datomTxs.add(d.tx());
      if (e >= TX0) {
        if (attrs.containsKey(TX_INSTANT)) instants.add(e);
        if (!attrs.keySet().equals(Set.of(TX_INSTANT))) {
          bad.add("transaction entity " + e + " holds " + attrs.keySet());
        }
        continue;
      }
      if (attrs.containsKey(IDENT)) {
        for (List<Datom> ds : attrs.values()) for (Datom d : ds) schemaTxs.add(d.tx());
        continue;
      }
      if (attrs.containsKey(ID)) {
        checkPart(e, attrs, keyTx, keyParts, bad);
      } else if (attrs.containsKey(WRITER)) {
        if (!attrs.keySet().equals(Set.of(WRITER, PROGRESS)) || single(attrs) == null) {
          bad.add("writer entity " + e + " is not whole: " + attrs);
          continue;
        }
        Datom w = attrs.get(WRITER).get(0);
        Datom p = attrs.get(PROGRESS).get(0);
        writers.put((String) w.v(), new long[] {e, (Long) p.v(), p.tx(), w.tx()});
      } else {
        bad.add("unexpected entity " + e + ": " + attrs);
      }
    }
    // Whole transactions, one key per transaction, every transaction with its entity.
    Map<Long, String> txKey = new HashMap<>();
    for (Map.Entry<String, Long> en : keyTx.entrySet()) {
      String key = en.getKey();
      int parts = CrashWorkload.parts(key);
      Set<Long> got = keyParts.get(key);
      if (got.size() != parts) {
        bad.add("transaction " + key + " is half there: parts " + got + " of " + parts);
      }
      String other = txKey.put(en.getValue(), key);
      if (other != null) bad.add("keys " + key + " and " + other + " share tx " + en.getValue());
      if (!instants.contains(en.getValue())) {
        bad.add("transaction " + key + " (tx " + en.getValue() + ") lacks its :db/txInstant");
      }
    }
    for (long tx : datomTxs) {
      if (!instants.contains(tx)) bad.add("datoms of tx " + tx + " without its transaction entity");
    }
    for (long tx : instants) {
      if (!txKey.containsKey(tx) && !schemaTxs.contains(tx)) {
        bad.add("transaction entity " + tx + " without its workload datoms");
      }
    }
    checkWriters(db, keyTx, writers, bad);
    Set<String> lost = new TreeSet<>();
    for (Map.Entry<String, Long> en : acked.entrySet()) {
      Long tx = keyTx.get(en.getKey());
      if (tx == null || !tx.equals(en.getValue())) {
        lost.add(en.getKey());
        bad.add(
            "acknowledged transaction "
                + en.getKey()
                + " (tx "
                + en.getValue()
                + ") is "
                + (tx == null ? "missing" : "present as tx " + tx));
      }
    }
    for (Map.Entry<String, Long> en : seen.entrySet()) {
      Long tx = keyTx.get(en.getKey());
      if (tx == null || !tx.equals(en.getValue())) {
        bad.add(
            "transaction "
                + en.getKey()
                + " (tx "
                + en.getValue()
                + ") was read before but is now "
                + (tx == null ? "missing" : "tx " + tx));
      }
    }
    return new Outcome(keyTx, lost, List.copyOf(bad.list), bad.count);
  }

  private static Map<Keyword, Datom> single(Map<Keyword, List<Datom>> attrs) {
    Map<Keyword, Datom> out = new HashMap<>();
    for (Map.Entry<Keyword, List<Datom>> en : attrs.entrySet()) {
      if (en.getValue().size() != 1) return null;
      out.put(en.getKey(), en.getValue().get(0));
    }
    return out;
  }

  private static void checkPart(
      long e,
      Map<Keyword, List<Datom>> attrs,
      Map<String, Long> keyTx,
      Map<String, Set<Long>> keyParts,
      Findings bad) {
    Map<Keyword, Datom> one = single(attrs);
    if (!attrs.keySet().equals(Set.of(ID, KEY, PART, PAYLOAD)) || one == null) {
      bad.add("part entity " + e + " is not whole: " + attrs);
      return;
    }
    String key = (String) one.get(KEY).v();
    long part = (Long) one.get(PART).v();
    long tx = one.get(ID).tx();
    for (Datom d : one.values()) {
      if (d.tx() != tx) bad.add("part entity " + e + " spans transactions: " + attrs);
    }
    if (!one.get(ID).v().equals(key + "/" + part)) bad.add("part entity " + e + " has a bad id");
    if (part < 0 || part >= CrashWorkload.parts(key)) bad.add("part " + part + " of " + key);
    else if (!one.get(PAYLOAD).v().equals(CrashWorkload.payload(key, (int) part))) {
      bad.add("part entity " + e + " of " + key + " has a wrong payload");
    }
    Long prev = keyTx.putIfAbsent(key, tx);
    if (prev != null && prev != tx)
      bad.add("transaction " + key + " spans txs " + prev + ", " + tx);
    keyParts.computeIfAbsent(key, k -> new TreeSet<>()).add(part);
  }

  private static void checkWriters(
      Database db, Map<String, Long> keyTx, Map<String, long[]> writers, Findings bad) {
    Map<String, TreeSet<Long>> numbers = new TreeMap<>();
    for (String key : keyTx.keySet()) {
      numbers
          .computeIfAbsent(CrashWorkload.writerOf(key), k -> new TreeSet<>())
          .add(CrashWorkload.numberOf(key));
    }
    for (String w : writers.keySet()) {
      if (!numbers.containsKey(w)) bad.add("writer " + w + " without transactions");
    }
    Database history = db.history();
    for (Map.Entry<String, TreeSet<Long>> en : numbers.entrySet()) {
      String w = en.getKey();
      TreeSet<Long> ns = en.getValue();
      long max = ns.last();
      if (ns.first() != 1 || ns.size() != max) {
        bad.add("writer " + w + " has transactions " + ns + ", not a prefix of its sequence");
        continue;
      }
      long[] st = writers.get(w);
      if (st == null) {
        bad.add("writer " + w + " has transactions but no writer entity");
        continue;
      }
      long maxTx = keyTx.get(CrashWorkload.key(w, max));
      if (st[1] != max || st[2] != maxTx) {
        bad.add(
            "writer " + w + " progress " + st[1] + "@" + st[2] + ", expected " + max + "@" + maxTx);
      }
      if (st[3] != keyTx.get(CrashWorkload.key(w, 1))) {
        bad.add("writer " + w + " entity asserted in tx " + st[3] + ", not by its first");
      }
      Map<Long, Long> added = new HashMap<>();
      Map<Long, Long> retracted = new HashMap<>();
      for (Datom d : history.datoms(":eavt", st[0], PROGRESS)) {
        Long old = (d.added() ? added : retracted).put((Long) d.v(), d.tx());
        if (old != null) bad.add("writer " + w + " history repeats " + d);
      }
      for (long n = 1; n <= max; n++) {
        long txN = keyTx.get(CrashWorkload.key(w, n));
        if (!Long.valueOf(txN).equals(added.get(n))) {
          bad.add("writer " + w + " history lacks progress " + n + " asserted by tx " + txN);
        }
        if (n < max) {
          long txNext = keyTx.get(CrashWorkload.key(w, n + 1));
          if (!Long.valueOf(txNext).equals(retracted.get(n))) {
            bad.add("writer " + w + " history lacks progress " + n + " retracted by tx " + txNext);
          }
        }
      }
      if (added.size() != max || retracted.size() != max - 1) {
        bad.add("writer " + w + " history has extra datoms: " + added + " / " + retracted);
      }
    }
  }
}
