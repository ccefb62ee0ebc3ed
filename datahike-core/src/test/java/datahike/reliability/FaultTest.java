package datahike.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.Keyword;
import datahike.store.LogEntry;
import datahike.store.Store;
import datahike.store.Stores;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files of a file database: a torn or rotted last log group, rot in an earlier log group,
 * in an index node blob, in a head slot. The database either opens with the acknowledged prefix
 * (damage to the last log group reads as a torn tail: dropped; the store cannot tell rot there from
 * an unacknowledged torn write) or refuses with a {@link DatahikeException} naming the damaged key
 * or file position; never wrong data, never a hang. The checksum tests flip every single bit of a
 * node blob, of log groups and of a head slot and check that each flip is caught, and how.
 */
class FaultTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final String SCHEMA =
      "[{:db/ident :f/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :f/s :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";
  private static final Keyword N = Keyword.of("f/n");
  private static final Keyword S = Keyword.of("f/s");
  private static final Set<String> DETECTED =
      Set.of("store/corrupt", "store/too-new", "store/too-old");

  @TempDir Path dir;

  private static Config cfg(Path p, long segmentBytes) {
    return Config.parse(
        "{:store {:backend :file :path "
            + CrashWorkload.edn(p.toString())
            + " :log-segment-bytes "
            + segmentBytes
            + "}}");
  }

  private static String value(long i) {
    return "v" + i + "-" + "x".repeat((int) (i * 7 % 50));
  }

  /**
   * Creates a database in {@code p} with {@code n} one-entity transactions, flushing the indices
   * after the transactions listed in {@code syncAfter}, and closes it without a final flush (the
   * transactions after the last sync stay only in the log). Returns the tx id of each.
   */
  private static List<Long> build(Path p, long segmentBytes, int n, Set<Integer> syncAfter)
      throws Exception {
    Config cfg = cfg(p, segmentBytes);
    Datahike.createDatabase(cfg);
    List<Long> txs = new ArrayList<>();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      for (int i = 1; i <= n; i++) {
        txs.add(conn.transact("[{:f/n " + i + " :f/s \"" + value(i) + "\"}]").tx());
        if (syncAfter.contains(i)) conn.sync();
      }
      // Wait until the connection's idle writer lock lapses: then closing writes no indices.
      try (Store s = Stores.open(cfg.store());
          Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        assertThat(l).isNotNull();
      }
    }
    return txs;
  }

  /** What the database holds: n → tx, after checking each entity is whole. */
  private static TreeMap<Long, Long> read(Database db) {
    TreeMap<Long, Long> out = new TreeMap<>();
    Map<Long, Datom> strings = new TreeMap<>();
    for (Datom d : db.datoms(":eavt")) {
      if (d.attr().equals(N)) out.put((Long) d.v(), d.tx());
      if (d.attr().equals(S)) strings.put(d.e(), d);
    }
    // Reads every index of the current and the history view (no retractions: they agree).
    assertThat(db.datoms(":aevt")).hasSameSizeAs(db.datoms(":eavt"));
    assertThat(db.datoms(":avet")).hasSize(out.size() + 2); // :f/n and the two :db/idents
    assertThat(db.history().datoms(":eavt")).hasSameSizeAs(db.datoms(":eavt"));
    assertThat(db.history().datoms(":aevt")).hasSameSizeAs(db.datoms(":eavt"));
    assertThat(db.history().datoms(":avet")).hasSize(out.size() + 2);
    assertThat(strings).hasSameSizeAs(out);
    for (Datom d : db.datoms(":eavt")) {
      if (!d.attr().equals(N)) continue;
      Datom s = strings.get(d.e());
      assertThat(s.v()).isEqualTo(value((Long) d.v()));
      assertThat(s.tx()).isEqualTo(d.tx());
    }
    return out;
  }

  private static TreeMap<Long, Long> prefix(List<Long> txs, int k) {
    TreeMap<Long, Long> m = new TreeMap<>();
    for (int i = 1; i <= k; i++) m.put((long) i, txs.get(i - 1));
    return m;
  }

  /** Opens {@code cfg} and checks it holds exactly the first {@code k} transactions. */
  private static void expectPrefix(Config cfg, List<Long> txs, int k) {
    try (Connection conn = Datahike.connect(cfg)) {
      assertThat(read(conn.db())).isEqualTo(prefix(txs, k));
    }
  }

  private static DatahikeException openAndReadAll(Config cfg) {
    try (Connection conn = Datahike.connect(cfg)) {
      read(conn.db());
      return null;
    } catch (DatahikeException e) {
      return e;
    }
  }

  private Path copy(Path pristine, String name) throws Exception {
    Path p = dir.resolve(name);
    FileStoreLayout.copyTree(pristine, p);
    return p;
  }

  // ------------------------------------------------------------------ the log

  @Test
  void lastLogGroup_truncatedAnywhere_isDroppedAsTornTail_andTheWriterRecovers() throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          int n = 12;
          Path pristine = dir.resolve("pristine");
          List<Long> txs = build(pristine, 1 << 20, n, Set.of());
          assertThat(FileStoreLayout.headLogSeq(pristine)).as("nothing flushed").isZero();
          List<FileStoreLayout.Group> groups = FileStoreLayout.allGroups(pristine);
          assertThat(groups).hasSize(n + 1); // the schema, then one group per transaction
          FileStoreLayout.Group last = groups.get(n);
          long[] cuts = {0, 1, 12, 30, last.length() - 1};
          for (long cut : cuts) {
            Path p = copy(pristine, "cut-" + cut);
            FileStoreLayout.truncate(
                p.resolve(pristine.relativize(last.segment())), last.start() + cut);
            Config cfg = cfg(p, 1 << 20);
            expectPrefix(cfg, txs, n - 1);
            if (cut != 1 && cut != last.length() - 1) continue;
            // The next writer cuts the torn bytes off and appends after the last good group.
            try (Connection conn = Datahike.connect(cfg)) {
              long tx = conn.transact("[{:f/n " + n + " :f/s \"" + value(n) + "\"}]").tx();
              assertThat(tx).isEqualTo(txs.get(n - 1));
              conn.transact("[{:f/n " + (n + 1) + " :f/s \"" + value(n + 1) + "\"}]");
            }
            try (Connection conn = Datahike.connect(cfg)) {
              assertThat(read(conn.db())).hasSize(n + 1).containsAllEntriesOf(prefix(txs, n));
            }
          }
        });
  }

  @Test
  void lastLogGroup_bytesFlipped_isDroppedAsTornTail() throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          int n = 8;
          Path pristine = dir.resolve("pristine");
          List<Long> txs = build(pristine, 1 << 20, n, Set.of());
          FileStoreLayout.Group last = FileStoreLayout.allGroups(pristine).get(n);
          // magic, kind, flags, length, first seq, count, record length, payload, checksum
          long[] offsets = {0, 4, 8, 12, 20, last.length() / 2, last.length() - 1};
          for (long off : offsets) {
            Path p = copy(pristine, "flip-" + off);
            Path seg = p.resolve(pristine.relativize(last.segment()));
            for (int bit : new int[] {0, 7}) FileStoreLayout.flipBit(seg, last.start() + off, bit);
            expectPrefix(cfg(p, 1 << 20), txs, n - 1);
          }
        });
  }

  @Test
  void earlierLogGroup_bytesFlipped_refusesNamingSegmentAndOffset() throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          int n = 8;
          Path pristine = dir.resolve("pristine");
          build(pristine, 1 << 20, n, Set.of());
          List<FileStoreLayout.Group> groups = FileStoreLayout.allGroups(pristine);
          for (int g : new int[] {0, n / 2, n - 1}) {
            FileStoreLayout.Group grp = groups.get(g);
            for (long off : new long[] {0, 8, grp.length() - 1}) {
              Path p = copy(pristine, "g" + g + "-" + off);
              Path seg = p.resolve(pristine.relativize(grp.segment()));
              FileStoreLayout.flipBit(seg, grp.start() + off, 3);
              String segment = seg.toRealPath().toString();
              Config cfg = cfg(p, 1 << 20);
              assertThatThrownBy(() -> Datahike.connect(cfg).close())
                  .isInstanceOfSatisfying(
                      DatahikeException.class,
                      e -> {
                        assertThat(e.code()).isEqualTo(Keyword.of("store/corrupt"));
                        assertThat(e.getMessage())
                            .contains(seg.getFileName().toString())
                            .contains("offset " + grp.start());
                        assertThat(e.data())
                            .containsEntry(Keyword.of("offset"), grp.start())
                            .containsEntry(Keyword.of("segment"), segment);
                      });
            }
          }
        });
  }

  // ------------------------------------------------------------------ nodes and heads

  @Test
  void nodeBlob_damaged_failsNamingTheKey_neverWrongData() throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          int n = 120;
          Path pristine = dir.resolve("pristine");
          List<Long> txs = build(pristine, 1 << 20, n, Set.of(100));
          expectPrefix(cfg(pristine, 1 << 20), txs, n);
          List<FileStoreLayout.Blob> all = FileStoreLayout.blobs(pristine);
          assertThat(all).hasSizeGreaterThan(3);
          // Every root, then other nodes (leaves, inner branches) up to eight blobs in all.
          Set<String> roots = FileStoreLayout.rootAddresses(pristine);
          List<FileStoreLayout.Blob> blobs = new ArrayList<>();
          for (FileStoreLayout.Blob b : all) if (roots.contains(b.key())) blobs.add(b);
          for (int i = 0; i < all.size() && blobs.size() < 8; i += 1 + all.size() / 8) {
            if (!blobs.contains(all.get(i))) blobs.add(all.get(i));
          }
          for (FileStoreLayout.Blob blob : blobs) {
            String key = blob.key();
            Path p = copy(pristine, "blob-" + key);
            Path b = p.resolve(pristine.relativize(blob.pack()));
            FileStoreLayout.flipBit(b, blob.offset() + blob.length() / 2, 2);
            DatahikeException e = openAndReadAll(cfg(p, 1 << 20));
            // Every blob belongs to the only head that names any: reading everything must fail.
            assertThat(e).as("damaged node %s read without error", key).isNotNull();
            assertThat(e.code()).isEqualTo(Keyword.of("store/corrupt"));
            assertThat(e.getMessage()).contains(key);
            FileStoreLayout.deleteTree(p);
          }
        });
  }

  @Test
  void newestHead_damaged_fallsBackToThePreviousHeadAndItsLogTail() throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          int n = 40;
          Path pristine = dir.resolve("pristine");
          List<Long> txs = build(pristine, 1024, n, Set.of(10, 20, 30));
          // Small segments: flushing really dropped the log before the previous head.
          assertThat(FileStoreLayout.segments(pristine).get(0).getFileName().toString())
              .isNotEqualTo("00000000000000000001.log");
          Path newest = FileStoreLayout.newestHeadSlot(pristine);
          Path older =
              pristine.resolve(
                  newest.getFileName().toString().equals("head.0") ? "head.1" : "head.0");

          Path flipped = copy(pristine, "flipped");
          FileStoreLayout.flipBit(flipped.resolve(newest.getFileName()), Files.size(newest) / 2, 0);
          expectPrefix(cfg(flipped, 1024), txs, n);

          Path torn = copy(pristine, "torn");
          FileStoreLayout.truncate(torn.resolve(newest.getFileName()), Files.size(newest) / 3);
          expectPrefix(cfg(torn, 1024), txs, n);
          // A writer on the fallback head writes its next head over the damaged slot.
          try (Connection conn = Datahike.connect(cfg(torn, 1024))) {
            conn.transact("[{:f/n " + (n + 1) + " :f/s \"" + value(n + 1) + "\"}]");
            conn.sync();
          }
          try (Connection conn = Datahike.connect(cfg(torn, 1024))) {
            assertThat(read(conn.db())).hasSize(n + 1).containsAllEntriesOf(prefix(txs, n));
          }

          Path both = copy(pristine, "both");
          FileStoreLayout.flipBit(both.resolve(newest.getFileName()), Files.size(newest) / 2, 0);
          FileStoreLayout.flipBit(both.resolve(older.getFileName()), Files.size(older) / 2, 0);
          assertThatThrownBy(() -> Datahike.connect(cfg(both, 1024)).close())
              .isInstanceOfSatisfying(
                  DatahikeException.class,
                  e -> {
                    assertThat(e.code()).isEqualTo(Keyword.of("store/corrupt"));
                    assertThat(e.getMessage()).containsPattern("head\\.[01]");
                  });
        });
  }

  // ------------------------------------------------------------------ every bit

  /** Flips one bit in place (no new file), so thousands of flips stay quick. */
  private static void flip(FileChannel ch, long offset, int bit) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(1);
    ch.read(b, offset);
    b.put(0, (byte) (b.get(0) ^ (1 << bit)));
    b.rewind();
    ch.write(b, offset);
  }

  @Test
  void everyBitOfANodeBlob_isDetectedNamingTheKey() throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          Path p = dir.resolve("db");
          build(p, 1 << 20, 100, Set.of(100));
          FileStoreLayout.Blob blob =
              FileStoreLayout.blob(p, FileStoreLayout.rootAddress(p, "eavt"));
          for (FileStoreLayout.Blob b : FileStoreLayout.blobs(p))
            if (b.length() > blob.length()) blob = b;
          String key = blob.key();
          long bits = 8L * blob.length();
          long base = blob.offset();
          int newer = 0;
          try (Store s = Stores.open(cfg(p, 1 << 20).store());
              FileChannel ch =
                  FileChannel.open(
                      blob.pack(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] good = s.get(key);
            for (long i = 0; i < bits; i++) {
              flip(ch, base + i / 8, (int) (i % 8));
              try {
                s.get(key);
                throw new AssertionError("flip of bit " + i + " of " + key + " went unnoticed");
              } catch (DatahikeException e) {
                assertThat(e.code().fullName()).as("bit %d", i).isIn(DETECTED);
                assertThat(e.data()).as("bit %d", i).containsEntry(Keyword.of("key"), key);
                if (i / 8 == FileStoreLayout.VERSION_OFFSET) newer++;
              }
              flip(ch, base + i / 8, (int) (i % 8));
            }
            assertThat(s.get(key)).isEqualTo(good);
          }
          assertThat(newer).isEqualTo(8);
        });
  }

  @Test
  void everyBitOfLogGroups_isDetected_earlierGroupRefused_lastGroupDroppedAsTorn()
      throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          int n = 6;
          Path p = dir.resolve("db");
          build(p, 1 << 20, n, Set.of());
          List<FileStoreLayout.Group> groups = FileStoreLayout.allGroups(p);
          FileStoreLayout.Group mid = groups.get(n / 2);
          FileStoreLayout.Group last = groups.get(n);
          Path seg = mid.segment().toRealPath();
          assertThat(last.segment().toRealPath()).isEqualTo(seg);
          try (Store s = Stores.open(cfg(p, 1 << 20).store());
              FileChannel ch =
                  FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<LogEntry> all = s.readLog(1);
            assertThat(all).hasSize(n + 1);
            // An earlier group: every flip is an error naming the segment and the group's offset.
            for (long i = 0; i < 8L * mid.length(); i++) {
              long off = mid.start() + i / 8;
              flip(ch, off, (int) (i % 8));
              try {
                s.readLog(1);
                throw new AssertionError(
                    "flip of bit " + i + " of group " + mid + " went unnoticed");
              } catch (DatahikeException e) {
                assertThat(e.code().fullName()).as("bit %d", i).isIn(DETECTED);
                if (e.code().fullName().equals("store/corrupt")) {
                  assertThat(e.data())
                      .as("bit %d", i)
                      .containsEntry(Keyword.of("segment"), seg.toString())
                      .containsEntry(Keyword.of("offset"), mid.start());
                } else {
                  assertThat(i / 8).isEqualTo(FileStoreLayout.VERSION_OFFSET);
                  assertThat(e.data()).containsEntry(Keyword.of("key"), seg + "@" + mid.start());
                }
              }
              flip(ch, off, (int) (i % 8));
            }
            // The last group: a flip reads as a torn tail and drops just that group, except in
            // the version byte, which is never passed over (a newer writer may have appended):
            // there the log refuses, naming the position.
            int torn = 0;
            int refused = 0;
            for (long i = 0; i < 8L * last.length(); i++) {
              long off = last.start() + i / 8;
              flip(ch, off, (int) (i % 8));
              if (i / 8 == FileStoreLayout.VERSION_OFFSET) {
                try {
                  s.readLog(1);
                  throw new AssertionError("flip of version bit " + i + " went unnoticed");
                } catch (DatahikeException e) {
                  assertThat(e.code().fullName()).isIn("store/too-new", "store/too-old");
                  assertThat(e.data()).containsEntry(Keyword.of("key"), seg + "@" + last.start());
                  refused++;
                }
              } else {
                List<LogEntry> got = s.readLog(1);
                assertThat(got).as("bit %d", i).hasSize(n);
                for (int k = 0; k < n; k++) {
                  assertThat(got.get(k).payload()).isEqualTo(all.get(k).payload());
                }
                torn++;
              }
              flip(ch, off, (int) (i % 8));
            }
            assertThat(refused).isEqualTo(8);
            assertThat(torn).isEqualTo(8 * last.length() - 8);
            assertThat(s.readLog(1)).hasSize(n + 1);
          }
        });
  }

  @Test
  void everyBitOfTheNewestHeadSlot_fallsBackToTheOlderSlot_orRefusesOnItsVersion()
      throws Exception {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          Path p = dir.resolve("db");
          build(p, 1 << 20, 10, Set.of(5, 10));
          Path newest = FileStoreLayout.newestHeadSlot(p).toRealPath();
          try (Store s = Stores.open(cfg(p, 1 << 20).store());
              FileChannel ch =
                  FileChannel.open(newest, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] current = s.readHead();
            long size = ch.size();
            // The older slot's content: what a reader sees while the newest is unreadable.
            FileStoreLayout.flipBit(newest, size - 1, 0);
            byte[] previous = s.readHead();
            FileStoreLayout.flipBit(newest, size - 1, 0);
            assertThat(previous).isNotEqualTo(current);
            int refused = 0;
            for (long i = 0; i < 8 * size; i++) {
              flip(ch, i / 8, (int) (i % 8));
              if (i / 8 == FileStoreLayout.VERSION_OFFSET) {
                try {
                  s.readHead();
                  throw new AssertionError("flip of version bit " + i + " went unnoticed");
                } catch (DatahikeException e) {
                  assertThat(e.code().fullName()).isIn("store/too-new", "store/too-old");
                  assertThat(e.data()).containsEntry(Keyword.of("key"), newest.toString());
                  refused++;
                }
              } else {
                assertThat(s.readHead()).as("bit %d", i).isEqualTo(previous);
              }
              flip(ch, i / 8, (int) (i % 8));
            }
            assertThat(refused).isEqualTo(8);
            assertThat(s.readHead()).isEqualTo(current);
          }
        });
  }
}
