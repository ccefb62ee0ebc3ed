package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on the file backend (with 4 KiB log segments, so rolling is exercised
 * everywhere), plus what only files have: segment and offset in errors, tears at every byte of the
 * last group, torn segment headers, a writer killed mid-append, stale temporaries.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
class StoreFileTest extends AbstractStoreContractTest {
  @TempDir Path tmp;
  private int stores;

  @Override
  protected Map<Keyword, Object> newConfig() {
    Map<Keyword, Object> m = fileConfig(tmp.resolve("db" + stores++));
    m.put(Keyword.of("log-segment-bytes"), 4096);
    return m;
  }

  @Override
  protected boolean crossProcess() {
    return true;
  }

  private static Path root(Map<Keyword, Object> config) {
    return Path.of(config.get(Keyword.of("path")).toString());
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String key) throws Exception {
    return PackLayout.read(root(config), key);
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String key, byte[] framed) throws Exception {
    PackLayout.replace(root(config), key, framed);
  }

  private static List<Path> segments(Map<Keyword, Object> config) throws Exception {
    try (Stream<Path> s = Files.list(root(config).resolve("log"))) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  /** A group in a segment file: where it starts and how long it is. */
  private record Group(Path segment, int offset, int length, long firstSeq, int count) {}

  private static List<Group> groups(Map<Keyword, Object> config) throws Exception {
    List<Group> out = new ArrayList<>();
    for (Path seg : segments(config)) {
      byte[] b = Files.readAllBytes(seg);
      int pos = LogSegments.SEGMENT_HEADER_BYTES;
      while (pos + BlobFrame.OVERHEAD <= b.length && BlobFrame.getInt(b, pos) == BlobFrame.MAGIC) {
        int n = BlobFrame.getInt(b, pos + 8);
        out.add(
            new Group(
                seg,
                pos,
                n + BlobFrame.OVERHEAD,
                LogCodec.firstSeq(b, pos),
                LogCodec.count(b, pos)));
        pos += n + BlobFrame.OVERHEAD;
      }
    }
    return out;
  }

  private static Group groupOf(Map<Keyword, Object> config, long seq) throws Exception {
    for (Group g : groups(config)) {
      if (seq >= g.firstSeq() && seq < g.firstSeq() + g.count()) {
        return g;
      }
    }
    throw new AssertionError("no group holds " + seq);
  }

  private static void flipAt(Path file, long offset) throws Exception {
    byte[] b = Files.readAllBytes(file);
    b[(int) offset] ^= 0x10;
    Files.write(file, b);
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) throws Exception {
    Group g = groupOf(config, seq);
    flipAt(g.segment(), g.offset() + offset);
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) throws Exception {
    List<Path> segs = segments(config);
    LogLayout.tearTail(segs.get(segs.size() - 1), n);
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) throws Exception {
    List<Path> segs = segments(config);
    LogLayout.garbageAfterGroups(segs.get(segs.size() - 1), bytes);
  }

  @Override
  protected boolean damageNewestHead(Map<Keyword, Object> config) throws Exception {
    Path newest = null;
    long best = -1;
    for (int i = 0; i < 2; i++) {
      Path p = root(config).resolve("head." + i);
      if (Files.exists(p)) {
        byte[] payload = BlobFrame.decode("", Files.readAllBytes(p), BlobFrame.KIND_HEAD).payload();
        long seq = BlobFrame.getLong(payload, 0);
        if (seq > best) {
          best = seq;
          newest = p;
        }
      }
    }
    flipAt(newest, Files.size(newest) - 6);
    return true;
  }

  private Map<Keyword, Object> logOfThreeGroups() {
    Map<Keyword, Object> cfg = newConfig();
    try (Store s = Stores.open(cfg);
        Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      s.append(List.of(bytes("one")));
      s.append(List.of(bytes("two"), bytes("three")));
      s.append(List.of(bytes("four"), bytes("five")));
    }
    return cfg;
  }

  @Test
  void readLog_corruptMiddleGroup_errorNamesSegmentAndOffset() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Group g = groupOf(cfg, 2);
    flipAt(g.segment(), g.offset() + 20);
    String segment = g.segment().toRealPath().toString();
    Store s = open(cfg);
    assertThatThrownBy(() -> s.readLog(1))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/corrupt");
              assertThat(e.data())
                  .containsEntry(Keyword.of("segment"), segment)
                  .containsEntry(Keyword.of("offset"), (long) g.offset());
              assertThat(e.getMessage())
                  .contains(g.segment().getFileName().toString())
                  .contains("offset " + g.offset());
            });
    // The writer must not "recover" acknowledged records away either.
    assertThatThrownBy(() -> s.lockWriter(Duration.ZERO))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/corrupt"));
  }

  @Test
  void delete_damagedLog_stillDeletes() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Group g = groupOf(cfg, 2);
    flipAt(g.segment(), g.offset() + 20);
    Stores.delete(cfg);
    assertThat(Stores.exists(cfg)).isFalse();
    assertThat(root(cfg)).doesNotExist();
  }

  @Test
  void readLog_everyByteOfMiddleGroupFlipped_isDetected() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Group g = groupOf(cfg, 2);
    byte[] pristine = Files.readAllBytes(g.segment());
    for (int i = 0; i < g.length(); i++) {
      byte[] bad = pristine.clone();
      bad[g.offset() + i] ^= 0x01;
      Files.write(g.segment(), bad);
      try (Store s = Stores.open(cfg)) {
        int at = i;
        assertThatThrownBy(() -> s.readLog(1))
            .as("byte %d of the group", at)
            .satisfies(
                t -> assertThat(code(t)).isIn("store/corrupt", "store/too-new", "store/too-old"));
      }
    }
  }

  @Test
  void recover_tornAtEveryByteOfLastGroup_dropsOnlyThatGroup() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Group last = groupOf(cfg, 4);
    byte[] pristine = Files.readAllBytes(last.segment());
    for (int cut = last.offset(); cut < last.offset() + last.length(); cut++) {
      Files.write(last.segment(), Arrays.copyOf(pristine, cut));
      try (Store s = Stores.open(cfg)) {
        assertThat(seqs(s.readLog(1))).as("cut at %d", cut).containsExactly(1L, 2L, 3L);
        try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
          assertThat(s.append(List.of(bytes("four'")))).isEqualTo(4);
        }
        assertThat(seqs(s.readLog(1))).containsExactly(1L, 2L, 3L, 4L);
      }
    }
  }

  @Test
  void recover_zeroFilledTail_truncated() throws Exception {
    // Some file systems extend the file before the data lands: a crash leaves zeros.
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Group last = groupOf(cfg, 4);
    byte[] b = Files.readAllBytes(last.segment());
    Arrays.fill(b, last.offset() + 8, b.length, (byte) 0);
    Files.write(last.segment(), b);
    Store s = open(cfg);
    assertThat(seqs(s.readLog(1))).containsExactly(1L, 2L, 3L);
    s.lockWriter(Duration.ofSeconds(5)).close();
    assertThat(Files.size(last.segment())).isEqualTo(last.offset());
  }

  @Test
  void zerosWrittenAhead_endTheLogCleanly_andAreKeptByTheWriter() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Path seg = groupOf(cfg, 4).segment();
    byte[] b = Files.readAllBytes(seg);
    int end = LogLayout.groupsEnd(b);
    assertThat(b.length).as("zeros written ahead").isGreaterThan(end);
    Store s = open(cfg);
    assertThat(seqs(s.readLog(1))).containsExactly(1L, 2L, 3L, 4L, 5L);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      assertThat(s.append(List.of(bytes("six")))).isEqualTo(6);
    }
    assertThat(Files.size(seg)).as("not truncated by recovery").isEqualTo(b.length);
    assertThat(seqs(open(cfg).readLog(1))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void zerosAtTheEndOfAnEarlierSegment_readAsItsEnd() throws Exception {
    // A crash before the rolled segment was trimmed leaves its zeros: the next segment goes on.
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      for (int i = 1; i <= 100; i++) s.append(List.of(bytes("x".repeat(200) + i)));
    }
    List<Path> segs = segments(cfg);
    assertThat(segs.size()).isGreaterThan(2);
    Path first = segs.get(0);
    Files.write(first, new byte[4096], StandardOpenOption.APPEND);
    assertThat(seqs(open(cfg).readLog(1))).isEqualTo(range(1, 100));
  }

  @Test
  void recover_tornSegmentHeader_segmentRestarted() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    // A crash while starting segment 6 leaves a stub of its header.
    Path stub = root(cfg).resolve("log").resolve(LogSegments.name(6));
    byte[] header = Files.readAllBytes(segments(cfg).get(0));
    Files.write(stub, Arrays.copyOf(header, 10));
    Store s = open(cfg);
    assertThat(seqs(s.readLog(1))).containsExactly(1L, 2L, 3L, 4L, 5L);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      assertThat(s.append(List.of(bytes("six")))).isEqualTo(6);
    }
    assertThat(seqs(s.readLog(1))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(Files.size(stub)).isGreaterThan(LogSegments.SEGMENT_HEADER_BYTES);
  }

  @Test
  void log_manySegments_rolledAndReadAcross() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    try (Store.WriterLock l = s.lockWriter(Duration.ofSeconds(5))) {
      for (int i = 1; i <= 100; i++) {
        s.append(List.of(bytes("x".repeat(200) + i)));
      }
    }
    assertThat(segments(cfg).size()).isGreaterThan(4);
    assertThat(seqs(s.readLog(1))).isEqualTo(range(1, 100));
    assertThat(seqs(s.readLog(57))).isEqualTo(range(57, 100));
  }

  @Test
  void writerKilledMidAppend_everyAcknowledgedRecordSurvives() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    open(cfg).close();
    Process child = StoreChildMain.start("append", root(cfg).toString());
    List<Long> acked = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < 300 && (line = out.readLine()) != null) {
        acked.add(Long.parseLong(line));
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).hasSize(300);
    Store s = open(cfg);
    s.lockWriter(Duration.ofSeconds(30)).close();
    List<LogEntry> log = s.readLog(1);
    assertThat(log.size()).isGreaterThanOrEqualTo(300);
    for (LogEntry e : log) {
      assertThat(str(e.payload())).isEqualTo("r" + e.seq());
    }
    assertThat(seqs(log)).containsAll(acked);
  }

  /** Copies a store directory as a crash would leave it, minus the packs (the log tests' need). */
  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path rel = from.relativize(p);
        if (rel.startsWith("packs")) {
          continue;
        }
        Path q = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  /**
   * Crash test: for every N, the N-th log write or sync fails; a write is torn first (half its
   * bytes land). At that moment the store directory is copied, as the disk would be found after a
   * power cut. Recovering the copy must keep every acknowledged record, and may keep the
   * unacknowledged group only whole. The failing store itself refuses further appends until the
   * lock is taken again, and then holds exactly what was acknowledged.
   */
  @Test
  void crash_atEveryLogWriteAndSync_acknowledgedRecordsSurvive() throws Exception {
    byte[] pad = bytes("p".repeat(700));
    for (int n = 1; n <= 40; n++) {
      Map<Keyword, Object> cfg = newConfig();
      Path crashCopy = tmp.resolve("crash" + n);
      StoreFile s = (StoreFile) open(cfg);
      int failAt = n;
      int[] ops = {0};
      s.log()
          .fault(
              (op, ch, pos, b) -> {
                if (++ops[0] != failAt) {
                  return;
                }
                if (op.equals("write")) {
                  FileIo.writeFully(ch, Arrays.copyOf(b, b.length / 2), pos);
                }
                copyTree(root(cfg), crashCopy);
                throw new java.io.IOException("injected failure at " + op + " #" + failAt);
              });
      List<Long> acked = new ArrayList<>();
      Store.WriterLock lock = s.lockWriter(Duration.ofSeconds(5));
      long inFlight = -1;
      for (int i = 1; i < 1000; i++) {
        try {
          acked.add(s.append(List.of(bytes("r" + i), pad)) - 1);
        } catch (DatahikeException e) {
          assertThat(code(e)).isEqualTo("store/io");
          inFlight = i;
          break;
        }
      }
      assertThat(inFlight).as("fault %d fired", n).isPositive();
      assertThatThrownBy(() -> s.append(List.of(bytes("after"))))
          .satisfies(t -> assertThat(code(t)).isEqualTo("store/io"));
      lock.close();
      s.log().fault(null);

      try (Store copy = Stores.open(fileConfig(crashCopy))) {
        copy.lockWriter(Duration.ofSeconds(5)).close();
        List<Long> recovered = new ArrayList<>();
        for (LogEntry e : copy.readLog(1)) {
          if (str(e.payload()).startsWith("r")) {
            recovered.add(e.seq());
            assertThat(str(e.payload())).isEqualTo("r" + (e.seq() + 1) / 2);
          }
        }
        assertThat(recovered.size()).as("fault %d", n).isIn(acked.size(), acked.size() + 1);
        assertThat(recovered.subList(0, acked.size())).as("fault %d", n).isEqualTo(acked);
      }
      try (Store.WriterLock again = s.lockWriter(Duration.ofSeconds(5))) {
        List<Long> firsts = new ArrayList<>();
        for (LogEntry e : s.readLog(1)) {
          if (str(e.payload()).startsWith("r")) {
            firsts.add(e.seq());
          }
        }
        assertThat(firsts).as("fault %d", n).isEqualTo(acked);
        assertThat(s.append(List.of(bytes("resumed")))).isEqualTo(2L * acked.size() + 1);
      }
    }
  }

  @Test
  void readHead_bothSlotsDamaged_isCorrupt() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.casHead(null, bytes("a"));
    s.casHead(bytes("a"), bytes("b"));
    flipAt(root(cfg).resolve("head.0"), 14);
    flipAt(root(cfg).resolve("head.1"), 14);
    assertThatThrownBy(s::readHead).satisfies(t -> assertThat(code(t)).isEqualTo("store/corrupt"));
  }

  @Test
  void lockWriter_staleTemporaries_removedFreshKept() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store s = open(cfg);
    s.put("k", bytes("v"));
    Path packs = root(cfg).resolve("packs");
    Path stale = Files.write(packs.resolve(".tmp-dead.pack"), bytes("half"));
    Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    Path fresh = Files.write(packs.resolve(".tmp-live.pack"), bytes("in flight"));
    assertThat(s.list()).containsExactly("k");
    s.lockWriter(Duration.ZERO).close();
    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void open_directoryOfOtherFiles_refused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("not-a-store"));
    Files.write(dir.resolve("precious.txt"), bytes("mine"));
    assertThatThrownBy(() -> Stores.open(fileConfig(dir)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    assertThat(dir.resolve("precious.txt")).exists();
  }

  @Test
  void open_formatFromNewerVersion_isTooNew() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    open(cfg).close();
    byte[] p = bytes("datahike-java file store");
    Files.write(
        root(cfg).resolve("format"),
        BlobFrame.encode(BlobFrame.KIND_FORMAT, StoreFile.FORMAT_VERSION + 1, p, 0, p.length));
    assertThatThrownBy(() -> Stores.open(cfg))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/too-new"));
  }

  @Test
  void create_afterInterruptedDelete_startsEmpty() throws Exception {
    Map<Keyword, Object> cfg = logOfThreeGroups();
    Store s = open(cfg);
    s.casHead(null, bytes("old"));
    s.close();
    Files.delete(root(cfg).resolve("format")); // deletion got this far, then crashed
    assertThat(Stores.exists(cfg)).isFalse();
    Store fresh = open(cfg);
    assertThat(fresh.readHead()).isNull();
    assertThat(fresh.readLog(1)).isEmpty();
  }

  @Test
  void stores_stringBackend_opensFileStore() {
    Map<Keyword, Object> cfg = newConfig();
    cfg.put(Stores.BACKEND, ":file");
    Store s = open(cfg);
    assertThat(s).isInstanceOf(StoreFile.class);
  }
}
