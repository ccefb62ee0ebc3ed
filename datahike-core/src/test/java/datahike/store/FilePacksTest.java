package datahike.store;

import static datahike.store.AbstractStoreContractTest.bytes;
import static datahike.store.AbstractStoreContractTest.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's pack files: one pack per batch, damaged packs ignored and set aside, rot confined
 * to the blob it hits, other instances catching up, compaction and merging that lose nothing
 * (also for readers in the middle of it), and stores of the one-file-per-blob layout.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class FilePacksTest {
  @TempDir Path tmp;
  private final List<Store> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    for (Store s : opened) s.close();
  }

  private StoreFile open(Path dir) {
    StoreFile s = StoreFile.open(dir, FileLog.DEFAULT_SEGMENT_BYTES);
    opened.add(s);
    return s;
  }

  private static List<Path> files(Path dir, String suffix) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static Map<String, byte[]> batch(String prefix, int n, int size) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) m.put(prefix + i, value(prefix + i, size));
    return m;
  }

  private static byte[] value(String key, int size) {
    byte[] b = new byte[size];
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < size; i++) b[i] = k[i % k.length];
    return b;
  }

  private static void assertHolds(Store s, Map<String, byte[]> model) {
    for (Map.Entry<String, byte[]> e : model.entrySet()) {
      assertThat(s.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    List<String> listed = new ArrayList<>();
    s.list().forEach(listed::add);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(model.keySet());
  }

  @Test
  void putAll_oneBatch_isOnePackFile() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    Map<String, byte[]> b = batch("k", 500, 300);
    s.putAll(b);
    assertThat(files(dir.resolve("packs"), ".pack")).hasSize(1);
    assertThat(dir.resolve("blobs")).doesNotExist();
    s.close();
    assertHolds(open(dir), b);
  }

  @Test
  void damagedPack_everyPrefix_ignoredByReaders_setAsideByTheWriter() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    s.putAll(batch("a", 3, 50));
    byte[] whole =
        PackLayout.pack(
            List.of("c", "d"),
            List.of(
                BlobFrame.encode(BlobFrame.KIND_BLOB, bytes("cee")),
                BlobFrame.encode(BlobFrame.KIND_BLOB, bytes("dee"))));
    Path torn = dir.resolve("packs").resolve(PackFile.Name.fresh(99, 0).file());
    for (int cut = 0; cut < whole.length; cut++) {
      Files.write(torn, Arrays.copyOf(whole, cut));
      // A fresh instance, as another process would read it.
      try (StoreFile r = StoreFile.open(dir, FileLog.DEFAULT_SEGMENT_BYTES)) {
        assertThat(r.get("c")).as("cut %d", cut).isNull();
        assertThat(str(r.get("a1"))).hasSize(50);
        assertThat(r.list()).as("cut %d", cut).containsExactlyInAnyOrder("a0", "a1", "a2");
      }
    }
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      assertThat(torn).doesNotExist();
      assertThat(torn.resolveSibling(torn.getFileName() + FilePacks.DAMAGED_SUFFIX)).exists();
    }
    // The whole pack (what a complete write leaves) is read.
    Files.write(torn, whole);
    try (StoreFile r = StoreFile.open(dir, FileLog.DEFAULT_SEGMENT_BYTES)) {
      assertThat(str(r.get("d"))).isEqualTo("dee");
    }
  }

  @Test
  void rottedByteInAPack_failsOnlyThatBlob_namingItsKey() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    s.putAll(batch("k", 3, 100));
    PackLayout.Loc victim = PackLayout.locate(dir, "k1");
    byte[] b = Files.readAllBytes(victim.pack());
    b[(int) victim.offset() + 40] ^= 0x04;
    Files.write(victim.pack(), b);
    StoreFile r = open(dir);
    assertThatThrownBy(() -> r.get("k1"))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/corrupt");
              assertThat(e.data()).containsEntry(Keyword.of("key"), "k1");
              assertThat(e.getMessage()).contains("k1");
            });
    assertThat(r.get("k0")).isEqualTo(value("k0", 100));
    assertThat(r.get("k2")).isEqualTo(value("k2", 100));
  }

  @Test
  void secondInstance_seesBlobsWrittenAndDeletedAfterItOpened() {
    Path dir = tmp.resolve("db");
    StoreFile w = open(dir);
    StoreFile r = open(dir);
    w.put("early", bytes("1"));
    assertThat(str(r.get("early"))).isEqualTo("1"); // r's table is built now
    w.putAll(Map.of("late", bytes("2"), "later", bytes("3")));
    assertThat(str(r.get("late"))).isEqualTo("2");
    assertThat(r.list()).containsExactlyInAnyOrder("early", "late", "later");
    w.delete(List.of("late"));
    assertThat(r.list()).containsExactlyInAnyOrder("early", "later");
    w.put("fresh", bytes("4"));
    r.delete(List.of("fresh")); // r never read it: deleting catches up first
    assertThat(open(dir).get("fresh")).isNull();
    assertThat(w.list()).containsExactlyInAnyOrder("early", "later");
  }

  @Test
  void writtenAgain_olderCopyNeverComesBack() {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    s.put("k", bytes("v1"));
    s.put("k", bytes("v2"));
    assertThat(str(open(dir).get("k"))).isEqualTo("v2");
    s.delete(List.of("k"));
    assertThat(s.get("k")).isNull();
    assertThat(open(dir).get("k")).isNull();
    assertThat(open(dir).list()).isEmpty();
  }

  @Test
  void compaction_keepsEveryLiveBlobAndReclaimsTheRest() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    Map<String, byte[]> model = new TreeMap<>();
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      for (String p : List.of("a", "b", "c")) {
        Map<String, byte[]> b = batch(p, 200, 2000);
        s.putAll(b);
        model.putAll(b);
      }
      List<Path> before = files(dir.resolve("packs"), ".pack");
      assertThat(before).hasSize(3);
      // Three in five of a and b go: both packs fall under half live and are rewritten.
      List<String> dead = new ArrayList<>();
      for (String k : model.keySet()) {
        if (!k.startsWith("c") && Integer.parseInt(k.substring(1)) % 5 < 3) dead.add(k);
      }
      s.delete(dead);
      dead.forEach(model::remove);
      List<Path> after = files(dir.resolve("packs"), ".pack");
      assertThat(after).hasSize(2).contains(before.get(2)).doesNotContain(before.get(0));
      assertThat(files(dir.resolve("packs"), ".dead")).isEmpty();
      long bytes = 0;
      for (Path p : after) bytes += Files.size(p);
      assertThat(bytes).isLessThan(2000L * (200 + 160) + 40_000);
      assertHolds(s, model);
    }
    s.close();
    assertHolds(open(dir), model);
  }

  @Test
  void readersDuringCompaction_alwaysReadEveryLiveBlob() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile w = open(dir);
    StoreFile other = open(dir); // as another process would
    Map<String, byte[]> live = new HashMap<>();
    try (Store.WriterLock l = w.lockWriter(Duration.ofSeconds(5))) {
      for (int round = 0; round < 4; round++) {
        Map<String, byte[]> b = batch("r" + round + "-", 300, 500);
        w.putAll(b);
        live.putAll(b);
      }
      List<String> forever = new ArrayList<>(live.keySet()); // never deleted
      forever.removeIf(k -> k.hashCode() % 4 != 0);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicInteger reads = new AtomicInteger();
      List<Thread> readers = new ArrayList<>();
      for (StoreFile r : List.of(w, other, w, other)) {
        Thread t =
            new Thread(
                () -> {
                  Random rnd = new Random();
                  try {
                    while (!stop.get()) {
                      String k = forever.get(rnd.nextInt(forever.size()));
                      if (!Arrays.equals(r.get(k), live.get(k))) {
                        throw new AssertionError("wrong or missing value for " + k);
                      }
                      if (reads.incrementAndGet() % 500 == 0) r.get("missing"); // catch up
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                });
        t.start();
        readers.add(t);
      }
      // Delete everything not kept forever, a slice at a time: pack after pack is rewritten.
      List<String> doomed = new ArrayList<>(live.keySet());
      doomed.removeAll(forever);
      int rewrites = 0;
      for (int i = 0; i < doomed.size(); i += 60) {
        List<Path> before = files(dir.resolve("packs"), ".pack");
        w.delete(doomed.subList(i, Math.min(doomed.size(), i + 60)));
        if (!files(dir.resolve("packs"), ".pack").equals(before)) rewrites++;
        Thread.sleep(5);
      }
      stop.set(true);
      for (Thread t : readers) t.join();
      assertThat(failure.get()).isNull();
      assertThat(rewrites).isPositive();
      assertThat(reads.get()).isGreaterThan(100);
      Map<String, byte[]> expected = new HashMap<>();
      for (String k : forever) expected.put(k, live.get(k));
      assertHolds(w, expected);
      assertHolds(other, expected);
    }
  }

  @Test
  void smallPacks_mergedByTheWriter() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    Map<String, byte[]> model = new HashMap<>();
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      for (int i = 0; i < 3 * FilePacks.MERGE_SMALL_AT; i++) {
        s.put("k" + i, value("k" + i, 100));
        model.put("k" + i, value("k" + i, 100));
        assertThat(files(dir.resolve("packs"), ".pack").size())
            .isLessThan(FilePacks.MERGE_SMALL_AT);
      }
    }
    assertHolds(s, model);
    assertHolds(open(dir), model);
  }

  @Test
  void oldLayoutStore_blobFilesStillRead_firstWriteMovesTheMarkerToVersion2() throws Exception {
    Path dir = tmp.resolve("old");
    open(dir).close();
    // Make it what an older build leaves: marker version 1, blobs as files, no packs.
    byte[] text = bytes("datahike-java file store");
    Files.write(
        dir.resolve("format"), BlobFrame.encode(BlobFrame.KIND_FORMAT, 1, text, 0, text.length));
    Files.delete(dir.resolve("packs"));
    String key = "n-old";
    Path file = dir.resolve("blobs").resolve(StoreKeys.shard(key)).resolve(StoreKeys.encode(key));
    Files.createDirectories(file.getParent());
    Files.write(file, BlobFrame.encode(BlobFrame.KIND_BLOB, bytes("from the old days")));

    StoreFile s = open(dir);
    assertThat(s.formatVersion()).isEqualTo(1);
    assertThat(str(s.get(key))).isEqualTo("from the old days");
    assertThat(s.list()).containsExactly(key);
    s.put("n-new", bytes("packed"));
    assertThat(s.formatVersion()).isEqualTo(2);
    byte[] marker = Files.readAllBytes(dir.resolve("format"));
    assertThat(BlobFrame.decode("format", marker, BlobFrame.KIND_FORMAT, 1, 2).version())
        .isEqualTo(2);
    StoreFile again = open(dir);
    assertThat(str(again.get(key))).isEqualTo("from the old days");
    assertThat(str(again.get("n-new"))).isEqualTo("packed");
    assertThat(again.list()).containsExactlyInAnyOrder(key, "n-new");
    again.delete(List.of(key));
    assertThat(file).doesNotExist();
    assertThat(again.get(key)).isNull();
  }

  @Test
  void orphanDeadFile_removedByTheWriter() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    s.put("k", bytes("v"));
    Path orphan = dir.resolve("packs").resolve(PackFile.Name.fresh(77, 0).deadFile());
    Files.write(orphan, PackFile.encodeDead(List.of("x")));
    s.lockWriter(Duration.ofSeconds(5)).close();
    assertThat(orphan).doesNotExist();
    assertThat(str(s.get("k"))).isEqualTo("v");
  }

  @Test
  void deadFile_tornLastRecord_earlierDeletesKept() throws Exception {
    Path dir = tmp.resolve("db");
    StoreFile s = open(dir);
    s.putAll(batch("k", 4, 10));
    s.delete(List.of("k0"));
    s.delete(List.of("k1"));
    Path dead = files(dir.resolve("packs"), ".dead").get(0);
    byte[] b = Files.readAllBytes(dead);
    Files.write(dead, Arrays.copyOf(b, b.length - 3));
    StoreFile r = open(dir);
    assertThat(r.get("k0")).isNull();
    assertThat(r.list()).containsExactlyInAnyOrder("k1", "k2", "k3"); // the torn delete is lost
    // The next writer cuts the torn record, so deletes recorded after it are seen by others.
    s.lockWriter(Duration.ofSeconds(5)).close();
    s.delete(List.of("k2"));
    assertThat(open(dir).list()).containsExactlyInAnyOrder("k1", "k3");
  }

  /**
   * Power loss after every sync (file force or directory fsync) while batches are written,
   * deleted and compacted: the disk as found then holds every acknowledged blob, intact, and a new
   * writer recovers it.
   */
  @Test
  void powerLoss_atEverySync_everyAcknowledgedLiveBlobReadable() throws Exception {
    Path dir = tmp.resolve("db");
    record Acked(int syncs, Map<String, byte[]> blobs) {}
    List<Acked> acked = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    int total;
    try (PowerLoss pl = PowerLoss.install(dir)) {
      StoreFile s = open(dir);
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
        for (int round = 0; round < 24; round++) {
          Map<String, byte[]> b = batch("r" + round + "-", 10, 200 + round);
          s.putAll(b);
          acked.add(new Acked(pl.syncs(), b));
          if (round % 3 == 2) {
            // Most of the batch before last goes: its pack is compacted.
            List<String> d = new ArrayList<>(batch("r" + (round - 1) + "-", 8, 1).keySet());
            s.delete(d);
            deleted.addAll(d);
          }
        }
      }
      s.close();
      total = pl.syncs();
      assertThat(total).isGreaterThan(48);
      for (int k = 0; k <= total; k++) {
        Path copy = tmp.resolve("lost-" + k);
        pl.materialize(k, copy);
        if (!Files.exists(copy.resolve("format"))) continue; // lost before the store existed
        try (StoreFile r = StoreFile.open(copy, FileLog.DEFAULT_SEGMENT_BYTES)) {
          r.lockWriter(Duration.ofSeconds(5)).close();
          for (Acked a : acked) {
            if (a.syncs() > k) break;
            for (Map.Entry<String, byte[]> e : a.blobs().entrySet()) {
              if (deleted.contains(e.getKey())) continue; // may or may not be back
              assertThat(r.get(e.getKey())).as("%s after sync %d", e.getKey(), k)
                  .isEqualTo(e.getValue());
            }
          }
        }
      }
    }
  }
}
