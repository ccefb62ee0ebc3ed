package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} backend keeps. A backend's test extends this and supplies a
 * fresh configuration plus a few hooks that reach behind the store to damage what it wrote (so that
 * torn writes and rot are tested the same way everywhere).
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
public abstract class AbstractStoreContractTest {

  /** The configuration of a fresh store that does not exist yet. */
  protected abstract Map<Keyword, Object> newConfig();

  /** The bytes the backend keeps for blob {@code key} (its frame). */
  protected abstract byte[] rawBlob(Map<Keyword, Object> config, String key) throws Exception;

  /** Replaces the bytes the backend keeps for blob {@code key}. */
  protected abstract void rawBlob(Map<Keyword, Object> config, String key, byte[] framed)
      throws Exception;

  /** Flips a byte at {@code offset} within the stored log group holding record {@code seq}. */
  protected abstract void flipLogByte(Map<Keyword, Object> config, long seq, int offset)
      throws Exception;

  /** Cuts {@code n} bytes off the end of the stored log, as a crash mid-append would. */
  protected abstract void tearLogTail(Map<Keyword, Object> config, int n) throws Exception;

  /** Appends raw {@code bytes} to the end of the stored log, as a torn append may leave. */
  protected abstract void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes)
      throws Exception;

  /** Damages the newest head slot, if the backend keeps more than one; false if not. */
  protected boolean damageNewestHead(Map<Keyword, Object> config) throws Exception {
    return false;
  }

  /** True when the store can be shared with another process (for the child-JVM tests). */
  protected boolean crossProcess() {
    return false;
  }

  private final List<Store> opened = new ArrayList<>();

  /** Opens (creating if needed) the store of {@code config}; closed after the test. */
  protected Store open(Map<Keyword, Object> config) {
    Store s = Stores.open(config);
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    for (Store s : opened) {
      s.close();
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static String code(Throwable t) {
    return ((DatahikeException) t).code().fullName();
  }

  static List<Long> seqs(List<LogEntry> entries) {
    List<Long> out = new ArrayList<>();
    for (LogEntry e : entries) {
      out.add(e.seq());
    }
    return out;
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  // ---- blobs ---------------------------------------------------------------------------

  @Test
  void get_missing_returnsNull() {
    Store s = open(newConfig());
    assertThat(s.get("nope")).isNull();
  }

  @Test
  void putAll_thenGet_roundTripsAnyKeyAndValue() {
    Store s = open(newConfig());
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("a", bytes("alpha"));
    m.put("A", bytes("upper alpha"));
    m.put("empty", new byte[0]);
    m.put(".dot-first", bytes("dot"));
    m.put("x.y", bytes("xy"));
    m.put("%41", bytes("percent"));
    m.put("with space/and slash\\", bytes("odd"));
    m.put("ünïcødé 🙂", bytes("unicode"));
    m.put("f47ac10b-58cc-4372-a567-0e02b2c3d479", bytes("uuid"));
    s.putAll(m);
    for (Map.Entry<String, byte[]> e : m.entrySet()) {
      assertThat(s.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(s.list()).containsExactlyInAnyOrderElementsOf(m.keySet());
  }

  @Test
  void put_existingKey_replacesValue() {
    Store s = open(newConfig());
    s.put("k", bytes("one"));
    s.put("k", bytes("two"));
    assertThat(str(s.get("k"))).isEqualTo("two");
    assertThat(s.list()).containsExactly("k");
  }

  @Test
  void putAll_callerMutatesArrays_storedValueUnchanged() {
    Store s = open(newConfig());
    byte[] v = bytes("value");
    s.put("k", v);
    v[0] = 'X';
    byte[] got = s.get("k");
    got[1] = 'Y';
    assertThat(str(s.get("k"))).isEqualTo("value");
  }

  @Test
  void delete_removesAndIgnoresMissing() {
    Store s = open(newConfig());
    s.putAll(Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3")));
    s.delete(List.of("a", "c", "never-there"));
    assertThat(s.get("a")).isNull();
    assertThat(str(s.get("b"))).isEqualTo("2");
    assertThat(s.list()).containsExactly("b");
  }

  @Test
  void putAll_largeBatch_allDurableAndListed() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    Map<String, byte[]> m = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      m.put("node-" + i, bytes("value " + i));
    }
    s.putAll(m);
    s.close();
    Store again = open(cfg);
    for (int i = 0; i < 1000; i += 37) {
      assertThat(str(again.get("node-" + i))).isEqualTo("value " + i);
    }
    List<String> keys = new ArrayList<>();
    again.list().forEach(keys::add);
    assertThat(keys).containsExactlyInAnyOrderElementsOf(m.keySet());
  }

  @Test
  void blobs_randomOperations_matchTreeMapModel() {
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    Store s = open(newConfig());
    TreeMap<String, byte[]> model = new TreeMap<>();
    try {
      for (int step = 0; step < 400; step++) {
        int op = r.nextInt(10);
        if (op < 5) {
          Map<String, byte[]> batch = new HashMap<>();
          for (int i = r.nextInt(4) + 1; i > 0; i--) {
            byte[] v = new byte[r.nextInt(64)];
            r.nextBytes(v);
            batch.put("k" + r.nextInt(60), v);
          }
          s.putAll(batch);
          model.putAll(batch);
        } else if (op < 7) {
          List<String> ks = List.of("k" + r.nextInt(60), "k" + r.nextInt(60));
          s.delete(ks);
          ks.forEach(model::remove);
        } else if (op < 9) {
          String k = "k" + r.nextInt(60);
          assertThat(s.get(k)).isEqualTo(model.get(k));
        } else {
          TreeSet<String> listed = new TreeSet<>();
          s.list().forEach(listed::add);
          assertThat(listed).isEqualTo(model.keySet());
        }
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("random blob test failed; seed " + seed, e);
    }
  }

  @Test
  void putAll_badKey_rejected() {
    Store s = open(newConfig());
    assertThatThrownBy(() -> s.put("", bytes("x")))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/bad-key"));
    String tooLong = "k".repeat(StoreKeys.MAX_LENGTH + 1);
    assertThatThrownBy(() -> s.put(tooLong, bytes("x")))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/bad-key"));
  }

  @Test
  void largeValues_16MiB_roundTripAcrossReopen() {
    Map<Keyword, Object> cfg = newConfig();
    byte[] big = new byte[(16 << 20) + 3];
    new Random(7).nextBytes(big);
    Store s = open(cfg);
    s.put("big", big);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("small")));
      s.append(List.of(big, bytes("after")));
    }
    s.close();
    Store again = open(cfg);
    assertThat(again.get("big")).isEqualTo(big);
    List<LogEntry> log = again.readLog(1);
    assertThat(seqs(log)).containsExactly(1L, 2L, 3L);
    assertThat(log.get(1).payload()).isEqualTo(big);
    assertThat(str(log.get(2).payload())).isEqualTo("after");
  }

  @Test
  void twoInstances_sameStore_seeEachOthersWrites() {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    Store b = open(cfg);
    a.put("k", bytes("v"));
    assertThat(str(b.get("k"))).isEqualTo("v");
    assertThat(a.casHead(null, bytes("h1"))).isTrue();
    assertThat(str(b.readHead())).isEqualTo("h1");
    try (Store.WriterLock l = a.lockWriter(Duration.ofSeconds(5))) {
      a.append(List.of(bytes("r1")));
    }
    assertThat(seqs(b.readLog(1))).containsExactly(1L);
  }

  // ---- head ----------------------------------------------------------------------------

  @Test
  void casHead_sequence_onlyExpectedValueWins() {
    Store s = open(newConfig());
    assertThat(s.readHead()).isNull();
    assertThat(s.casHead(bytes("x"), bytes("a"))).isFalse();
    assertThat(s.casHead(null, bytes("a"))).isTrue();
    assertThat(s.casHead(null, bytes("b"))).isFalse();
    assertThat(s.casHead(bytes("a"), bytes("b"))).isTrue();
    assertThat(s.casHead(bytes("a"), bytes("c"))).isFalse();
    assertThat(str(s.readHead())).isEqualTo("b");
    assertThat(s.casHead(bytes("b"), new byte[0])).isTrue();
    assertThat(s.readHead()).isEmpty();
  }

  @Test
  void casHead_survivesReopen() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.casHead(null, bytes("one"));
    s.casHead(bytes("one"), bytes("two"));
    s.close();
    assertThat(str(open(cfg).readHead())).isEqualTo("two");
  }

  @Test
  void casHead_contendedByThreads_noLostUpdate() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store shared = open(cfg);
    Store other = open(cfg); // a second instance contends too
    shared.casHead(null, bytes("0"));
    int threads = 8;
    int perThread = 25;
    ExecutorService ex = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger failedCas = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Store s = t % 2 == 0 ? shared : other;
      fs.add(
          ex.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  while (true) {
                    byte[] cur = s.readHead();
                    long n = Long.parseLong(str(cur));
                    if (s.casHead(cur, bytes(Long.toString(n + 1)))) {
                      break;
                    }
                    failedCas.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    ex.shutdown();
    assertThat(str(shared.readHead())).isEqualTo(Integer.toString(threads * perThread));
  }

  @Test
  void readHead_newestSlotTorn_previousHeadUsed() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.casHead(null, bytes("first"));
    s.casHead(bytes("first"), bytes("second"));
    assumeThat(damageNewestHead(cfg)).as("backend keeps two head slots").isTrue();
    assertThat(str(s.readHead())).isEqualTo("first");
    assertThat(s.casHead(bytes("second"), bytes("x"))).isFalse();
    assertThat(s.casHead(bytes("first"), bytes("third"))).isTrue();
    assertThat(str(open(cfg).readHead())).isEqualTo("third");
  }

  // ---- log -----------------------------------------------------------------------------

  @Test
  void append_withoutWriterLock_fails() {
    Store s = open(newConfig());
    assertThatThrownBy(() -> s.append(List.of(bytes("r"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/not-locked"));
    assertThatThrownBy(() -> s.truncateLogBefore(1))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/not-locked"));
  }

  @Test
  void append_assignsDenseSequenceNumbers() {
    Store s = open(newConfig());
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      assertThat(s.append(List.of())).isZero();
      assertThat(s.append(List.of(bytes("a")))).isEqualTo(1);
      assertThat(s.append(List.of(bytes("b"), bytes("c"), bytes("d")))).isEqualTo(4);
      assertThat(s.append(List.of(new byte[0]))).isEqualTo(5);
      assertThat(s.append(List.of())).isEqualTo(5);
    }
    List<LogEntry> log = s.readLog(1);
    assertThat(seqs(log)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(log.stream().map(e -> str(e.payload()))).containsExactly("a", "b", "c", "d", "");
    assertThat(seqs(s.readLog(3))).containsExactly(3L, 4L, 5L);
    assertThat(seqs(s.readLog(0))).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(s.readLog(6)).isEmpty();
  }

  @Test
  void readLog_emptyStore_isEmpty() {
    assertThat(open(newConfig()).readLog(1)).isEmpty();
  }

  @Test
  void log_acrossReopen_readBackAndNumberingContinues() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      for (int i = 1; i <= 300; i++) {
        s.append(List.of(bytes("record " + i)));
      }
    }
    s.close();
    Store again = open(cfg);
    assertThat(seqs(again.readLog(1))).isEqualTo(range(1, 300));
    assertThat(str(again.readLog(250).get(0).payload())).isEqualTo("record 250");
    try (Store.WriterLock l = again.lockWriter(Duration.ofSeconds(5))) {
      assertThat(again.append(List.of(bytes("record 301")))).isEqualTo(301);
    }
    assertThat(seqs(open(cfg).readLog(299))).containsExactly(299L, 300L, 301L);
  }

  @Test
  void append_concurrentThreads_eachBatchContiguousAndAllReadBack() throws Exception {
    Store s = open(newConfig());
    int threads = 8;
    int perThread = 60;
    Map<Long, String> expected = Collections.synchronizedMap(new TreeMap<>());
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      ExecutorService ex = Executors.newFixedThreadPool(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        fs.add(
            ex.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    int n = 1 + (i % 3);
                    List<byte[]> recs = new ArrayList<>();
                    for (int j = 0; j < n; j++) {
                      recs.add(bytes(tt + "/" + i + "/" + j));
                    }
                    long last = s.append(recs);
                    for (int j = 0; j < n; j++) {
                      expected.put(last - n + 1 + j, tt + "/" + i + "/" + j);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      ex.shutdown();
    }
    List<LogEntry> log = s.readLog(1);
    assertThat(log).hasSize(expected.size());
    for (LogEntry e : log) {
      assertThat(str(e.payload())).as("record %d", e.seq()).isEqualTo(expected.get(e.seq()));
    }
    assertThat(seqs(log)).isEqualTo(range(1, expected.size()));
  }

  @Test
  void truncateLogBefore_keepsEverythingFromSeqAndNumbering() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      for (int i = 1; i <= 200; i++) {
        s.append(List.of(bytes("record " + i + " " + "x".repeat(40))));
      }
      s.truncateLogBefore(150);
      List<Long> left = seqs(s.readLog(1));
      assertThat(left).containsSubsequence(range(150, 200));
      assertThat(left.get(0)).isLessThanOrEqualTo(150L);
      assertThat(left).isEqualTo(range(left.get(0), 200));
      s.truncateLogBefore(10_000);
      assertThat(seqs(s.readLog(201))).isEmpty();
    }
    s.close();
    Store again = open(cfg);
    try (Store.WriterLock l = again.lockWriter(Duration.ofSeconds(5))) {
      assertThat(again.append(List.of(bytes("next")))).isEqualTo(201);
    }
    assertThat(seqs(again.readLog(201))).containsExactly(201L);
  }

  @Test
  void readLog_tornTail_notReturnedAndRecoveredByWriter() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("one")));
      s.append(List.of(bytes("two"), bytes("three")));
      s.append(List.of(bytes("four, torn by the crash")));
    }
    s.close();
    tearLogTail(cfg, 5);
    Store again = open(cfg);
    assertThat(seqs(again.readLog(1))).containsExactly(1L, 2L, 3L);
    try (Store.WriterLock l = again.lockWriter(Duration.ofSeconds(5))) {
      assertThat(again.append(List.of(bytes("four again")))).isEqualTo(4);
    }
    again.close();
    List<LogEntry> log = open(cfg).readLog(1);
    assertThat(log.stream().map(e -> str(e.payload())))
        .containsExactly("one", "two", "three", "four again");
  }

  @Test
  void readLog_garbageAfterLastGroup_ignoredAndRecovered() throws Exception {
    for (byte[] garbage : List.of(new byte[100], bytes("\u0089DHJ garbage"), new byte[3])) {
      Map<Keyword, Object> cfg = newConfig();
      Store s = open(cfg);
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
        s.append(List.of(bytes("one")));
        s.append(List.of(bytes("two")));
      }
      s.close();
      appendLogGarbage(cfg, garbage);
      Store again = open(cfg);
      assertThat(seqs(again.readLog(1))).containsExactly(1L, 2L);
      try (Store.WriterLock l = again.lockWriter(Duration.ofSeconds(5))) {
        assertThat(again.append(List.of(bytes("three")))).isEqualTo(3);
      }
      assertThat(seqs(open(cfg).readLog(1))).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void readLog_flippedByteInAcknowledgedGroup_isCorrupt() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("one")));
      s.append(List.of(bytes("two is the victim")));
      s.append(List.of(bytes("three")));
    }
    s.close();
    flipLogByte(cfg, 2, BlobFrame.HEADER_BYTES + LogCodec.GROUP_HEADER + 6);
    Store again = open(cfg);
    assertThatThrownBy(() -> again.readLog(1))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/corrupt"));
    assertThatThrownBy(() -> again.readLog(2))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/corrupt"));
  }

  @Test
  void readLog_flippedByteInLastGroup_readsAsTornTail() throws Exception {
    // Documented limit: damage in the last group cannot be told from a torn append.
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("one")));
      s.append(List.of(bytes("two")));
    }
    s.close();
    flipLogByte(cfg, 2, BlobFrame.HEADER_BYTES + LogCodec.GROUP_HEADER + 5);
    assertThat(seqs(open(cfg).readLog(1))).containsExactly(1L);
  }

  // ---- framing -------------------------------------------------------------------------

  @Test
  void get_flippedByte_isCorruptNamingKey() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.put("victim", bytes("some precious bytes"));
    byte[] pristine = rawBlob(cfg, "victim");
    for (int i = 0; i < pristine.length; i++) {
      byte[] bad = pristine.clone();
      bad[i] ^= 0x10;
      rawBlob(cfg, "victim", bad);
      int at = i;
      assertThatThrownBy(() -> s.get("victim"))
          .as("flipped byte %d", at)
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName())
                    .isEqualTo(at == 5 ? "store/too-new" : "store/corrupt");
                assertThat(e.data()).containsEntry(Keyword.of("key"), "victim");
                assertThat(e.getMessage()).contains("victim");
              });
    }
    rawBlob(cfg, "victim", Arrays.copyOf(pristine, pristine.length - 1));
    assertThatThrownBy(() -> s.get("victim"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/corrupt"));
    rawBlob(cfg, "victim", pristine);
    assertThat(str(s.get("victim"))).isEqualTo("some precious bytes");
  }

  @Test
  void get_newerFormatVersion_isTooNew() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.put("k", bytes("v"));
    byte[] p = bytes("from the future");
    rawBlob(cfg, "k", BlobFrame.encode(BlobFrame.KIND_BLOB, BlobFrame.VERSION + 1, p, 0, p.length));
    assertThatThrownBy(() -> s.get("k"))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/too-new");
              assertThat(e.data()).containsEntry(Keyword.of("key"), "k");
            });
  }

  // ---- writer lock ---------------------------------------------------------------------

  @Test
  void lockWriter_heldByOtherInstance_waitsThenFailsLocked() {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    Store b = open(cfg);
    try (Store.WriterLock l = a.lockWriter(Duration.ofSeconds(5))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> b.lockWriter(Duration.ofMillis(200)))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(150_000_000L);
      assertThatThrownBy(() -> a.lockWriter(Duration.ZERO))
          .as("not reentrant")
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThatThrownBy(() -> b.append(List.of(bytes("x"))))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/not-locked"));
    }
    try (Store.WriterLock l = b.lockWriter(Duration.ZERO)) {
      b.append(List.of(bytes("b writes")));
    }
  }

  @Test
  void lockWriter_releasedWhileWaiting_acquires() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    Store b = open(cfg);
    Store.WriterLock la = a.lockWriter(Duration.ofSeconds(5));
    ExecutorService ex = Executors.newSingleThreadExecutor();
    Future<Store.WriterLock> fb = ex.submit(() -> b.lockWriter(Duration.ofSeconds(20)));
    Thread.sleep(150);
    assertThat(fb.isDone()).isFalse();
    la.close();
    try (Store.WriterLock lb = fb.get(20, TimeUnit.SECONDS)) {
      assertThat(b.append(List.of(bytes("x")))).isEqualTo(1);
    }
    ex.shutdown();
  }

  @Test
  void close_releasesWriterLock() {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    a.lockWriter(Duration.ZERO);
    a.close();
    Store b = open(cfg);
    b.lockWriter(Duration.ZERO).close();
  }

  @Test
  void lockWriter_heldByOtherProcess_excludes() throws Exception {
    assumeThat(crossProcess()).as("backend shared across processes").isTrue();
    Map<Keyword, Object> cfg = newConfig();
    open(cfg).close(); // create it
    Process child = StoreChildMain.start("lock", cfg.get(Keyword.of("path")).toString());
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("LOCKED");
      Store s = open(cfg);
      assertThatThrownBy(() -> s.lockWriter(Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName()).isEqualTo("store/locked");
                assertThat(e.getMessage()).contains("process " + child.pid());
              });
      child.getOutputStream().close(); // the child releases and exits
      try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(30))) {
        assertThat(s.append(List.of(bytes("parent")))).isEqualTo(2); // the child appended 1
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // A killed holder's lock goes with its process.
      Process killed = StoreChildMain.start("lock", cfg.get(Keyword.of("path")).toString());
      BufferedReader kout =
          new BufferedReader(
              new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8));
      assertThat(kout.readLine()).isEqualTo("LOCKED");
      killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      s.lockWriter(Duration.ofSeconds(30)).close();
    } finally {
      child.destroyForcibly();
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------

  @Test
  void reopenAfterClose_everythingThere() {
    Map<Keyword, Object> cfg = newConfig();
    assertThat(Stores.exists(cfg)).isFalse();
    Store s = open(cfg);
    assertThat(Stores.exists(cfg)).isTrue();
    s.put("k", bytes("v"));
    s.casHead(null, bytes("head"));
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("r")));
    }
    s.close();
    s.close(); // idempotent
    assertThatThrownBy(() -> s.get("k"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/closed"));
    assertThat(Stores.exists(cfg)).isTrue();
    Store again = open(cfg);
    assertThat(str(again.get("k"))).isEqualTo("v");
    assertThat(str(again.readHead())).isEqualTo("head");
    assertThat(seqs(again.readLog(1))).containsExactly(1L);
  }

  @Test
  void deleteAll_removesStore_reopenIsEmpty() {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.put("k", bytes("v"));
    s.casHead(null, bytes("head"));
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("r")));
    }
    s.deleteAll();
    assertThat(Stores.exists(cfg)).isFalse();
    assertThatThrownBy(() -> s.get("k"))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/closed"));
    Store fresh = open(cfg);
    assertThat(fresh.get("k")).isNull();
    assertThat(fresh.readHead()).isNull();
    assertThat(fresh.readLog(1)).isEmpty();
    assertThat(fresh.list()).isEmpty();
  }

  @Test
  void delete_whileAnotherWriterHoldsLock_failsLocked() {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    try (Store.WriterLock l = a.lockWriter(Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> Stores.delete(cfg))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/locked"));
      assertThat(Stores.exists(cfg)).isTrue();
    }
    Stores.delete(cfg);
    assertThat(Stores.exists(cfg)).isFalse();
    Stores.delete(cfg); // deleting what is gone is fine
  }

  @Test
  void stores_unknownOrMissingBackend_clearErrors() {
    assertThatThrownBy(() -> Stores.open(Map.of(Stores.BACKEND, Keyword.of("nope"))))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/unknown-backend");
              assertThat(e.getMessage()).contains(":nope").contains("file").contains("memory");
            });
    assertThatThrownBy(() -> Stores.open(Map.of()))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    Map<Keyword, Object> cfg = new HashMap<>(newConfig());
    cfg.remove(Keyword.of("path"));
    cfg.remove(Keyword.of("id"));
    assertThatThrownBy(() -> Stores.open(cfg))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
  }

  /** For backends whose configuration names a directory. */
  static Map<Keyword, Object> fileConfig(Path dir) {
    Map<Keyword, Object> m = new HashMap<>();
    m.put(Stores.BACKEND, Keyword.of("file"));
    m.put(Keyword.of("path"), dir.toString());
    return m;
  }
}
