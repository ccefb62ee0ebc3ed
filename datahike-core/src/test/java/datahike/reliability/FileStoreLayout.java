package datahike.reliability;

import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the file store's on-disk layout from the outside, for fault injection: log segments and the
 * groups in them, head slots, blob frames in pack files. Mirrors the layouts documented in {@code
 * StoreFile}, {@code PackFile}, {@code FileLog}, {@code LogSegments}, {@code FileHead} and {@code
 * BlobFrame}: every frame is
 * magic (4), kind (1), version (1), flags (2), length n (4), payload (n), CRC32C (4).
 */
final class FileStoreLayout {
  private FileStoreLayout() {}

  /** Bytes a frame adds around its payload. */
  static final int FRAME_OVERHEAD = 16;

  /** A log segment's header frame (8-byte payload). */
  static final int SEGMENT_HEADER = FRAME_OVERHEAD + 8;

  /** Offset of the version byte in a frame. */
  static final int VERSION_OFFSET = 5;

  /** One group frame in a segment: where it starts and how long it is. */
  record Group(Path segment, long start, int length) {
    long end() {
      return start + length;
    }
  }

  static int getInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24
        | (b[off + 1] & 0xff) << 16
        | (b[off + 2] & 0xff) << 8
        | (b[off + 3] & 0xff);
  }

  /** The log segments of the store in {@code root}, oldest first. */
  static List<Path> segments(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("log"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }

  /** The group frames of one segment, in order (the zeros written ahead after them are not). */
  static List<Group> groups(Path segment) throws IOException {
    byte[] b = Files.readAllBytes(segment);
    List<Group> out = new ArrayList<>();
    int pos = SEGMENT_HEADER;
    // Zeros follow the last group (the writer writes them ahead): a frame starts with its magic.
    while (pos + FRAME_OVERHEAD <= b.length && getInt(b, pos) != 0) {
      int len = FRAME_OVERHEAD + getInt(b, pos + 8);
      out.add(new Group(segment, pos, len));
      pos += len;
    }
    return out;
  }

  /** Every group of the log, oldest first. */
  static List<Group> allGroups(Path root) throws IOException {
    List<Group> out = new ArrayList<>();
    for (Path s : segments(root)) out.addAll(groups(s));
    return out;
  }

  /** The head slot with the higher slot sequence number (both must be intact). */
  static Path newestHeadSlot(Path root) throws IOException {
    Path h0 = root.resolve("head.0");
    Path h1 = root.resolve("head.1");
    if (!Files.exists(h1)) return h0;
    if (!Files.exists(h0)) return h1;
    return slotSeq(h0) > slotSeq(h1) ? h0 : h1;
  }

  private static long slotSeq(Path slot) throws IOException {
    byte[] b = Files.readAllBytes(slot);
    return (long) getInt(b, 12) << 32 | getInt(b, 16) & 0xffffffffL;
  }

  /** The head as the database wrote it (an EDN map), read from the newest intact slot. */
  @SuppressWarnings("unchecked")
  static Map<Keyword, Object> head(Path root) throws IOException {
    byte[] b = Files.readAllBytes(newestHeadSlot(root));
    int n = getInt(b, 8);
    String edn = new String(b, 12 + 8, n - 8, StandardCharsets.UTF_8);
    return (Map<Keyword, Object>) EdnReader.read(edn);
  }

  /** The log sequence number the current head covers. */
  static long headLogSeq(Path root) throws IOException {
    return ((Number) head(root).get(Keyword.of("log-seq"))).longValue();
  }

  /** The root node address of index {@code tree} (e.g. "eavt") in the current head. */
  static String rootAddress(Path root, String tree) throws IOException {
    Map<?, ?> roots = (Map<?, ?>) head(root).get(Keyword.of("roots"));
    return (String) ((List<?>) roots.get(Keyword.of(tree))).get(0);
  }

  /** The root node addresses of every index in the current head. */
  static java.util.Set<String> rootAddresses(Path root) throws IOException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    Map<?, ?> roots = (Map<?, ?>) head(root).get(Keyword.of("roots"));
    for (Object r : roots.values()) {
      Object a = ((List<?>) r).get(0);
      if (a != null) out.add((String) a);
    }
    return out;
  }

  /** A blob's frame inside a pack file. */
  record Blob(String key, Path pack, long offset, int length) {}

  /**
   * Every blob frame in the store's pack files ({@code packs/*.pack}; see {@code PackFile}): the
   * trailer's last 16 bytes are the index frame's offset (8), magic (4), CRC32C (4); the index
   * payload is count (4), then (key length (2), key, frame length (4)) per frame, the frames back
   * to back from offset 0.
   */
  static List<Blob> blobs(Path root) throws IOException {
    List<Path> packs;
    try (Stream<Path> s = Files.list(root.resolve("packs"))) {
      packs = s.filter(p -> p.getFileName().toString().endsWith(".pack"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
    List<Blob> out = new ArrayList<>();
    for (Path pack : packs) {
      byte[] b = Files.readAllBytes(pack);
      int at = getInt(b, b.length - 12); // the low half of the offset: test packs are small
      int p = at + 12;
      int count = getInt(b, p);
      p += 4;
      long off = 0;
      for (int i = 0; i < count; i++) {
        int kl = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
        String key = new String(b, p + 2, kl, StandardCharsets.UTF_8);
        p += 2 + kl;
        int len = getInt(b, p);
        p += 4;
        out.add(new Blob(key, pack, off, len));
        off += len;
      }
    }
    return out;
  }

  /** The frame of blob {@code key} (the last pack holding it). */
  static Blob blob(Path root, String key) throws IOException {
    Blob found = null;
    for (Blob b : blobs(root)) if (b.key().equals(key)) found = b;
    if (found == null) throw new IllegalArgumentException("no blob " + key);
    return found;
  }

  /** Flips bit {@code bit} (0..7) of byte {@code offset} of {@code file}. */
  static void flipBit(Path file, long offset, int bit) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[(int) offset] ^= (byte) (1 << bit);
    Files.write(file, b);
  }

  /** Cuts {@code file} to {@code length} bytes. */
  static void truncate(Path file, long length) throws IOException {
    try (var ch =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
  }

  /** Copies the directory tree {@code from} to {@code to} (which must not exist). */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** Deletes a directory tree. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
