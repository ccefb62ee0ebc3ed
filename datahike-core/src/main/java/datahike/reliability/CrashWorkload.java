package datahike.reliability;

import datahike.Config;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The crash workload's data, shared by the writer child and the verifier. Each transaction belongs
 * to a writer {@code W} (one thread of one child process, e.g. {@code c12w3}) and has a number
 * {@code n} (1, 2, ... in commit order for that writer). Its key is {@code W-n} and it asserts
 *
 * <pre>
 * {:crash/writer "W" :crash/progress n}                  ; upsert: replaces n-1 (history keeps it)
 * {:crash/id "K/i" :crash/key "K" :crash/part i :crash/payload "..."}   ; for i in 0 .. parts(K)-1
 * </pre>
 *
 * Parts and payloads are derived from the key, so the verifier knows what a whole transaction looks
 * like even for one it never saw acknowledged.
 */
public final class CrashWorkload {
  private CrashWorkload() {}

  /** The schema, transacted once when the database is created. */
  public static final String SCHEMA =
      "[{:db/ident :crash/id :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity} {:db/ident :crash/key :db/valueType :db.type/string"
          + " :db/cardinality :db.cardinality/one :db/index true} {:db/ident :crash/part"
          + " :db/valueType :db.type/long :db/cardinality :db.cardinality/one} {:db/ident"
          + " :crash/payload :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
          + " {:db/ident :crash/writer :db/valueType :db.type/string :db/cardinality"
          + " :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :crash/progress"
          + " :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  /** Small log segments, so that rolling and truncating segments happen under the kills too. */
  public static final long SEGMENT_BYTES = 16 * 1024;

  /** The configuration of the crash database in {@code dir} (a file store). */
  public static Config config(Path dir) {
    return config(
        "{:backend :file :path "
            + edn(dir.toAbsolutePath().toString())
            + " :log-segment-bytes "
            + SEGMENT_BYTES
            + "}");
  }

  /**
   * The configuration of the crash database in the store {@code store} (an EDN map). A writer waits
   * up to a minute for the writer lock: a killed writer's lease (Redis, S3) must lapse.
   */
  public static Config config(String store) {
    return Config.parse("{:store " + store + " :writer-lock-wait-ms 60000}");
  }

  /** {@code s} as an EDN string literal. */
  public static String edn(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The writer name of thread {@code t} in cycle {@code cycle}. */
  public static String writer(int cycle, int t) {
    return "c" + cycle + "w" + t;
  }

  /** The key of writer {@code w}'s transaction {@code n}. */
  public static String key(String w, long n) {
    return w + "-" + n;
  }

  /** The writer of a key. */
  public static String writerOf(String key) {
    return key.substring(0, key.lastIndexOf('-'));
  }

  /** The number of a key within its writer. */
  public static long numberOf(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf('-') + 1));
  }

  private static long mix(long x) {
    x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
    x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return x ^ (x >>> 33);
  }

  /** How many part entities the transaction {@code key} asserts: 1..4, now and then 40. */
  public static int parts(String key) {
    long h = mix(key.hashCode());
    if (Math.floorMod(h, 53) == 0) return 40;
    return 1 + (int) (h & 3);
  }

  /** The payload of part {@code part} of transaction {@code key}: 0 to 300 letters and digits. */
  public static String payload(String key, int part) {
    SplittableRandom r = new SplittableRandom(mix(key.hashCode() * 31L + part));
    int len = r.nextInt(301);
    StringBuilder sb = new StringBuilder(len);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < len; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    return sb.toString();
  }

  /** The transaction data (EDN) of writer {@code w}'s transaction {@code n}. */
  public static String tx(String w, long n) {
    String key = key(w, n);
    StringBuilder sb = new StringBuilder(256);
    sb.append("[{:crash/writer ").append(edn(w)).append(" :crash/progress ").append(n).append('}');
    int parts = parts(key);
    for (int i = 0; i < parts; i++) {
      sb.append(" {:crash/id ")
          .append(edn(key + "/" + i))
          .append(" :crash/key ")
          .append(edn(key))
          .append(" :crash/part ")
          .append(i)
          .append(" :crash/payload ")
          .append(edn(payload(key, i)))
          .append('}');
    }
    return sb.append(']').toString();
  }
}
