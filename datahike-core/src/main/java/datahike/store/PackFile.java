package datahike.store;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pack file format of the file store: many blobs in one immutable file, written and synced
 * once, with an index at its end. Also the {@code .dead} files that record keys deleted from a
 * pack.
 *
 * <p>Byte layout of {@code packs/<seq>-<gen>-<random>.pack} (integers big-endian):
 *
 * <pre>
 * offset  size  content
 *  0      ...   blob frames, back to back: {@link BlobFrame} KIND_BLOB, one per key
 *  X      ...   the index frame: KIND_PACK_INDEX, payload count (4), then count times
 *               (key length in UTF-8 bytes (2), key, frame length (4)); frame i starts at the
 *               sum of the lengths before it, and the lengths sum to X
 *  end-16  8    X, where the index frame starts
 *  end-8   4    magic 0x44 'H' 'J' 'P' ("DHJP")
 *  end-4   4    CRC32C over the 12 bytes before it
 * </pre>
 *
 * <p>The trailer comes last, so a pack cut short anywhere (a torn write) has no valid trailer and
 * is not a pack at all: it is ignored, never read as data. Each blob keeps its own frame and CRC,
 * so a rotted byte in a pack fails only the blob it lies in, named by its key. Offsets are implied
 * by the lengths, which keeps the index small: about key length + 6 bytes per blob.
 *
 * <p>Names: {@code seq} (16 hex digits) orders packs, a later pack's blob replacing an earlier
 * one's under the same key; {@code gen} (4 hex digits) orders a pack rewritten by compaction,
 * which keeps the highest seq of its sources, after them; the random part keeps names of
 * concurrent writers apart. Packs are written as {@code .tmp-<random>} and renamed when complete.
 *
 * <p>A {@code .dead} file ({@code <pack name minus .pack>.dead}) holds frames of kind
 * KIND_PACK_DEAD, one per delete, payload count (4), then count times (key length (2), key). It
 * is appended to without a sync (a delete need not be durable): a torn last frame ends it.
 */
final class PackFile {
  static final String SUFFIX = ".pack";
  static final String DEAD_SUFFIX = ".dead";
  static final String TEMP_PREFIX = ".tmp-";

  /** Bytes of the trailer: index offset (8), magic (4), CRC32C (4). */
  static final int TRAILER_BYTES = 16;

  /** The trailer's magic number: 'D' 'H' 'J' 'P'. */
  static final int TRAILER_MAGIC = 0x44_48_4A_50;

  private static final int BUFFER_BYTES = 1 << 20;

  private PackFile() {}

  /** A pack's file name, parsed; ordered as packs replace one another. */
  record Name(long seq, int gen, String file) implements Comparable<Name> {
    @Override
    public int compareTo(Name o) {
      int c = Long.compare(seq, o.seq);
      if (c == 0) c = Integer.compare(gen, o.gen);
      return c != 0 ? c : file.compareTo(o.file);
    }

    /** The file name of this pack's {@code .dead} file. */
    String deadFile() {
      return file.substring(0, file.length() - SUFFIX.length()) + DEAD_SUFFIX;
    }

    /** A fresh name for pack {@code seq}, generation {@code gen}. */
    static Name fresh(long seq, int gen) {
      String f =
          String.format(
              "%016x-%04x-%08x%s", seq, gen, ThreadLocalRandom.current().nextInt(), SUFFIX);
      return new Name(seq, gen, f);
    }

    /** The name {@code file} stands for, or null when it is not a pack's name. */
    static Name parse(String file) {
      // 16 hex, '-', 4 hex, '-', 8 hex, ".pack"
      if (file.length() != 16 + 1 + 4 + 1 + 8 + SUFFIX.length()
          || !file.endsWith(SUFFIX)
          || file.charAt(16) != '-'
          || file.charAt(21) != '-') {
        return null;
      }
      try {
        long seq = Long.parseUnsignedLong(file.substring(0, 16), 16);
        int gen = Integer.parseInt(file.substring(17, 21), 16);
        Integer.parseUnsignedInt(file.substring(22, 30), 16);
        return new Name(seq, gen, file);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** A pack's index: its keys and their frame lengths, in file order. */
  record Index(String[] keys, int[] lengths) {
    /** Bytes of blob frames, where the index starts. */
    long dataBytes() {
      long n = 0;
      for (int l : lengths) n += l;
      return n;
    }
  }

  /**
   * Reads the index at the end of the pack open on {@code ch}; null when the pack has no valid
   * trailer or index (a torn or truncated write). An index written by a newer format is {@code
   * :store/too-new}: ignoring it would hide blobs.
   */
  static Index readIndex(FileChannel ch, String where) throws IOException {
    long size = ch.size();
    if (size < TRAILER_BYTES + BlobFrame.OVERHEAD) {
      return null;
    }
    byte[] t = FileIo.readFully(ch, size - TRAILER_BYTES, TRAILER_BYTES);
    if (BlobFrame.getInt(t, 8) != TRAILER_MAGIC
        || BlobFrame.getInt(t, 12) != BlobFrame.crc(t, 0, 12)) {
      return null;
    }
    long at = BlobFrame.getLong(t, 0);
    long len = size - TRAILER_BYTES - at;
    if (at < 0 || len < BlobFrame.OVERHEAD || len > BlobFrame.MAX_PAYLOAD) {
      return null;
    }
    byte[] frame = FileIo.readFully(ch, at, (int) len);
    int n;
    try {
      n = BlobFrame.check(where, frame, 0, frame.length, BlobFrame.KIND_PACK_INDEX, 1, 1);
    } catch (DatahikeException e) {
      if (e.code().fullName().equals("store/too-new")) throw e;
      return null;
    }
    Index idx = parseIndex(frame, BlobFrame.HEADER_BYTES, n);
    return idx != null && idx.dataBytes() == at ? idx : null;
  }

  private static Index parseIndex(byte[] b, int off, int n) {
    int end = off + n;
    if (n < 4) return null;
    int count = BlobFrame.getInt(b, off);
    if (count < 0 || count > n / 6) return null;
    String[] keys = new String[count];
    int[] lengths = new int[count];
    int p = off + 4;
    for (int i = 0; i < count; i++) {
      if (p + 2 > end) return null;
      int kl = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
      p += 2;
      if (p + kl + 4 > end) return null;
      keys[i] = new String(b, p, kl, StandardCharsets.UTF_8);
      p += kl;
      lengths[i] = BlobFrame.getInt(b, p);
      p += 4;
      if (lengths[i] < BlobFrame.OVERHEAD) return null;
    }
    return p == end ? new Index(keys, lengths) : null;
  }

  /** Appends key length (2) and UTF-8 key to {@code out}. */
  private static void putKey(ByteBuf out, byte[] utf8) {
    out.ensure(2 + utf8.length);
    out.b[out.n++] = (byte) (utf8.length >>> 8);
    out.b[out.n++] = (byte) utf8.length;
    System.arraycopy(utf8, 0, out.b, out.n, utf8.length);
    out.n += utf8.length;
  }

  /** A growable byte array. */
  private static final class ByteBuf {
    byte[] b;
    int n;

    ByteBuf(int cap) {
      b = new byte[cap];
    }

    void ensure(int more) {
      if (n + more > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
    }

    void putInt(int v) {
      ensure(4);
      BlobFrame.putInt(b, n, v);
      n += 4;
    }
  }

  /** The frame recording {@code keys} as deleted, for a {@code .dead} file. */
  static byte[] encodeDead(List<String> keys) {
    ByteBuf out = new ByteBuf(64 + keys.size() * 60);
    out.putInt(keys.size());
    for (String k : keys) putKey(out, k.getBytes(StandardCharsets.UTF_8));
    return BlobFrame.encode(BlobFrame.KIND_PACK_DEAD, 1, out.b, 0, out.n);
  }

  /**
   * The deleted keys recorded in {@code bytes} (a {@code .dead} file's content from a frame
   * boundary on), added to {@code into}; returns how many bytes held whole frames. A damaged frame
   * ends the reading: what follows it is a torn append or rot, and either way a delete may be lost.
   */
  static int decodeDead(byte[] bytes, List<String> into) {
    int p = 0;
    while (p + BlobFrame.OVERHEAD <= bytes.length) {
      int n = BlobFrame.getInt(bytes, p + 8);
      if (n < 4 || (long) p + n + BlobFrame.OVERHEAD > bytes.length) break;
      try {
        BlobFrame.check("", bytes, p, n + BlobFrame.OVERHEAD, BlobFrame.KIND_PACK_DEAD, 1, 1);
      } catch (DatahikeException e) {
        break;
      }
      int q = p + BlobFrame.HEADER_BYTES;
      int end = q + n;
      int count = BlobFrame.getInt(bytes, q);
      q += 4;
      List<String> keys = new ArrayList<>(Math.max(0, Math.min(count, n / 2)));
      for (int i = 0; i < count && q + 2 <= end; i++) {
        int kl = (bytes[q] & 0xff) << 8 | (bytes[q + 1] & 0xff);
        q += 2;
        if (q + kl > end) break;
        keys.add(new String(bytes, q, kl, StandardCharsets.UTF_8));
        q += kl;
      }
      into.addAll(keys);
      p = end + BlobFrame.FOOTER_BYTES;
    }
    return p;
  }

  /**
   * Writes one pack: blob frames as they are added, then on {@link #finish} the index and trailer,
   * and a sync. Writes go through {@link FileIo#open} (the power-loss seam) to a new file.
   */
  static final class Writer implements AutoCloseable {
    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    private final ByteBuf index = new ByteBuf(4096);
    private final List<String> keys = new ArrayList<>();
    private int[] lengths = new int[64];
    private long pos;
    private long written;

    Writer(Path path) throws IOException {
      this.path = path;
      this.ch = FileIo.open(path, CREATE_NEW, WRITE);
      index.putInt(0); // count, filled in by finish
    }

    /** The file being written. */
    Path path() {
      return path;
    }

    /** Bytes of blob frames added so far; the next frame starts here. */
    long position() {
      return pos;
    }

    /** Adds blob {@code key} as {@code value} (framed here). */
    void add(String key, byte[] value) throws IOException {
      addFrame(key, BlobFrame.encode(BlobFrame.KIND_BLOB, value), 0, -1);
    }

    /**
     * Adds the already framed blob {@code frame[off, off+len)} under {@code key} (len -1: all of
     * it); compaction copies frames as they are, so rot already there stays detectable.
     */
    void addFrame(String key, byte[] frame, int off, int len) throws IOException {
      int n = len < 0 ? frame.length - off : len;
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      putKey(index, utf8);
      index.putInt(n);
      if (keys.size() == lengths.length) lengths = Arrays.copyOf(lengths, lengths.length * 2);
      lengths[keys.size()] = n;
      keys.add(key);
      put(frame, off, n);
    }

    private void put(byte[] b, int off, int n) throws IOException {
      if (n > buf.remaining()) {
        drain();
        if (n > buf.capacity()) {
          FileIo.writeFully(ch, ByteBuffer.wrap(b, off, n), written);
          written += n;
          pos += n;
          return;
        }
      }
      buf.put(b, off, n);
      pos += n;
    }

    private void drain() throws IOException {
      buf.flip();
      int n = buf.remaining();
      FileIo.writeFully(ch, buf, written);
      written += n;
      buf.clear();
    }

    /** Writes index and trailer, syncs and closes the file; returns the index written. */
    Index finish() throws IOException {
      BlobFrame.putInt(index.b, 0, keys.size());
      long at = pos;
      byte[] idx = BlobFrame.encode(BlobFrame.KIND_PACK_INDEX, 1, index.b, 0, index.n);
      put(idx, 0, idx.length);
      byte[] t = new byte[TRAILER_BYTES];
      BlobFrame.putLong(t, 0, at);
      BlobFrame.putInt(t, 8, TRAILER_MAGIC);
      BlobFrame.putInt(t, 12, BlobFrame.crc(t, 0, 12));
      put(t, 0, t.length);
      drain();
      ch.force(true);
      ch.close();
      return new Index(keys.toArray(new String[0]), Arrays.copyOf(lengths, keys.size()));
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
